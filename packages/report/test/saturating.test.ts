import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample, TabularPayload } from '@growset/core';
import { loadVegaDataset } from '@growset/fixtures';
import { runStudy, standardVariants, studyDataFromSamples } from '@growset/study';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport, type StudyResults, screenshotReport, writeReport } from '../src/index.ts';

// A study whose accuracy saturates, as on a small clean table: the vega-datasets penguins
// (97-100% test accuracy), baseline vs l2 vs augment (SMOTE-NC) at 20, 40, 80 and 160 rows, as
// `growset study penguins.csv --label Species --variants baseline,l2,augment --sizes 20,40,80,160`
// runs it (with a logistic model here, to keep the test fast).

let dir: string;
let results: StudyResults;
let html: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-saturating-'));
  const rows = await loadVegaDataset('penguins');
  const samples: Sample<TabularPayload>[] = rows.flatMap((row, i) => {
    const { Species, ...values } = row as { Species: unknown; [column: string]: unknown };
    // As `growset study` reads the CSV: rows with an empty measurement are left out.
    if (typeof Species !== 'string' || Object.values(values).some((v) => v === null || v === undefined))
      return [];
    return [
      {
        id: `penguins#${i}`,
        label: Species,
        payload: { kind: 'tabular', values: values as TabularPayload['values'] },
        lineage: [],
      },
    ];
  });
  const { data } = await studyDataFromSamples(samples as Sample<unknown>[], { name: 'penguins' });
  results = await runStudy(data, {
    name: 'penguins',
    trainSizes: [20, 40, 80, 160],
    seeds: 3,
    workers: 0,
    bootstrapRounds: 100,
    // scikit-learn's validation_curve over logistic regression's C, drawn as its own chart.
    validationCurve: { param: 'C', values: [0.01, 1, 100] },
    variants: standardVariants(['baseline', 'l2', 'augment'], {
      task: 'tabular',
      base: { model: 'logistic', epochs: 25, batchSize: 16, learningRate: 0.05 },
      categorical: true,
    }),
  });
  html = await renderReport(results);
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The tick labels of every axis of every chart, chart by chart. */
function axisLabels(page: string): { chart: string; labels: string[] }[] {
  const out: { chart: string; labels: string[] }[] = [];
  for (const figure of page.split('data-chart="').slice(1)) {
    const chart = figure.slice(0, figure.indexOf('"'));
    for (const group of figure.split('role-axis-label').slice(1)) {
      const body = group.slice(0, group.indexOf('</g>'));
      const labels = [...body.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
      if (labels.length > 0) out.push({ chart, labels });
    }
  }
  return out;
}

describe('a report over a study whose accuracy saturates', () => {
  it('saturates: test accuracy is 90% or more at every size, and every trial succeeds', () => {
    expect(results.trials.filter((t) => !t.ok)).toEqual([]);
    for (const s of results.summaries)
      for (const z of s.sizes) expect(z.testAccuracy.mean).toBeGreaterThan(0.9);
    expect(results.comparisons!.filter((c) => c.metric === 'accuracy')).toHaveLength(2 * 4);
  });

  it('labels every axis with distinct ticks', () => {
    const axes = axisLabels(html);
    expect(axes.map((a) => a.chart)).toEqual(
      expect.arrayContaining(['learning-curves', 'gap', 'comparison', 'validation-curve']),
    );
    for (const { chart, labels } of axes)
      expect(new Set(labels).size, `${chart}: ${labels.join(' | ')}`).toBe(labels.length);
  });

  it('draws the validation curve: training and cross-validated accuracy at each C, in the given order', () => {
    const curve = results.validationCurve!;
    expect(curve.points.map((p) => p.value)).toEqual([0.01, 1, 100]);
    for (const p of curve.points) {
      expect(p.test.folds).toHaveLength(curve.folds);
      expect(p.train.mean).toBeGreaterThanOrEqual(p.test.mean - 0.05);
    }
    const figure = html.split('data-chart="validation-curve"')[1]!.split('</figure>')[0]!;
    const ticks = axisLabels(`data-chart="validation-curve"${figure}`).flatMap((a) => a.labels);
    expect(ticks).toEqual(expect.arrayContaining(['0.01', '1', '100']));
    expect(ticks.indexOf('0.01')).toBeLessThan(ticks.indexOf('100'));
    expect(figure).toMatch(/class="mark-line/);
    expect(figure).toContain('cross-validated');
  });

  it('says nothing with Infinity, NaN or an empty name in it', () => {
    const text = html
      .replace(/<style[\s\S]*?<\/style>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');
    expect(text).not.toMatch(/Infinity|NaN|undefined|\bnull\b/);
    // An empty name leaves two separators or a separator and a bracket side by side.
    expect(text).not.toMatch(/\(\s*\)|,\s*,|: :|of {2}/);
    for (const v of ['helps', 'hurts', 'no detectable difference'])
      if (results.comparisons!.some((c) => c.metric === 'accuracy' && c.verdict === v))
        expect(text).toContain(v);
    expect(text).toContain('smallest detectable difference');
  });

  it('draws the comparison with its verdict words and the chosen curves, and screenshots cleanly', async () => {
    expect(html).toMatch(/augment, n=160: (helps|hurts|no detectable difference)/);
    const reportPath = join(dir, 'report.html');
    await writeReport(results, reportPath);
    const png = join(dir, 'report.png');
    const shot = await screenshotReport(reportPath, png, { width: 1100 });
    expect(shot.consoleErrors ?? []).toEqual([]);
    const meta = await sharp(png).metadata();
    expect(meta.width).toBeGreaterThanOrEqual(1100);
    expect((await stat(png)).size).toBeGreaterThan(50_000);
    if (process.env.GROWSET_KEEP_SCREENSHOT) await sharp(png).toFile(process.env.GROWSET_KEEP_SCREENSHOT);
  }, 60_000);
});
