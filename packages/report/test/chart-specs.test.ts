import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { StudyResults } from '../src/index.ts';
import { planCharts } from '../src/internals/report/charts/plan.ts';
import { renderSvg } from '../src/internals/report/charts/render.ts';
import { studyView } from '../src/internals/report/study-view.ts';
import { syntheticStudy } from './helpers/study-results.ts';

// The chart specs of a report, compared with those written before `specs.ts` was split into one
// file per chart (test/golden/chart-specs.json holds a SHA-256 of each chart's JSON, per study).
// A deliberate change to a chart updates the golden file in the same commit.

const VALIDATION_CURVE = {
  variant: 'baseline',
  param: 'C',
  metric: 'accuracy',
  folds: 5,
  trainSize: 200,
  seed: 1,
  points: [
    { value: 0.01, train: { mean: 0.71, std: 0.02 }, test: { mean: 0.69, std: 0.03 } },
    { value: 1, train: { mean: 0.93, std: 0.01 }, test: { mean: 0.86, std: 0.04 } },
    { value: 'auto', train: { mean: 0.99, std: 0 }, test: { mean: Number.NaN, std: Number.NaN } },
  ],
};

async function studies(): Promise<{ [name: string]: StudyResults }> {
  const standard = await syntheticStudy();
  return {
    standard,
    'no-target-no-failure': await syntheticStudy({ targetAccuracy: null, failedTrial: null }),
    'extra-variants': await syntheticStudy({ extraVariants: 3, sizes: [40, 80, 160], seeds: [1, 2] }),
    'validation-curve': { ...standard, validationCurve: VALIDATION_CURVE } as unknown as StudyResults,
  };
}

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('chart specs', () => {
  it('are the same as before the split into one file per chart', async () => {
    const actual: { [study: string]: { [chart: string]: string } } = {};
    for (const [name, results] of Object.entries(await studies()))
      actual[name] = Object.fromEntries(planCharts(studyView(results)).map((p) => [p.id, digest(p)]));
    const golden = JSON.parse(await readFile(new URL('./golden/chart-specs.json', import.meta.url), 'utf8'));
    expect(Object.keys(actual['validation-curve']!)).toContain('validation-curve');
    expect(actual).toEqual(golden);
  });

  it('compile without a vega-lite warning, and the learning curves name their variants in a legend', async () => {
    for (const [name, results] of Object.entries(await studies())) {
      for (const plan of planCharts(studyView(results))) {
        if (!('spec' in plan)) continue; // a skipped chart has no spec: nothing to compile
        const warnings: string[] = [];
        const record = (...message: unknown[]) => {
          warnings.push(message.join(' '));
          return logger;
        };
        const logger = {
          level: () => logger,
          warn: record,
          info: () => logger,
          debug: () => logger,
          error: record,
        };
        compile(plan.spec, { logger: logger as never });
        expect([name, plan.id, warnings]).toEqual([name, plan.id, []]);
      }
    }
    const [curves] = planCharts(studyView(await syntheticStudy()));
    if (!curves || !('spec' in curves)) throw new Error('the learning-curve chart is missing');
    expect(curves.id).toBe('learning-curves');
    const svg = await renderSvg(curves.spec, 'lc');
    expect(svg).toContain('role-legend');
    expect(svg).toMatch(/>baseline</);
  });
});
