import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGrowset } from '@growset/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-pipelines-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(name: string) {
  const folder = join(dir, name);
  const {
    code,
    stderr: err,
    json,
  } = await runGrowset(['run', `pipelines/${name}`, '--quick', '--json', '--out', folder], { cwd: repo });
  if (code !== 0) throw new Error(`growset run pipelines/${name} exited ${code}:\n${err}`);
  return { folder, summary: json(), stderr: err };
}

/** What every study pipeline must get right, checked on its results.json. */
async function checkStudy(folder: string) {
  const results = JSON.parse(await readFile(join(folder, 'study', 'results.json'), 'utf8'));
  const test = new Set<string>(results.testIds);
  expect(test.size).toBe(results.config.testSize);
  for (const trial of results.trials) {
    expect(trial.ok, `${trial.key}: ${trial.error}`).toBe(true);
    for (const root of trial.trainRoots) expect(test.has(root)).toBe(false);
  }
  const html = await readFile(join(folder, 'study', 'report.html'), 'utf8');
  expect(html).toMatch(/<svg/);
  expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  return results;
}

describe('pipelines (--quick)', () => {
  it('digits: real MNIST learning curves with regularization, augmentation and ensembles', async () => {
    const { folder, summary } = await run('digits');
    expect(summary).toMatchObject({
      ok: true,
      pipeline: 'digits',
      quick: true,
      failedTrials: 0,
      trainSizes: [50, 100, 200],
    });
    const results = await checkStudy(folder);
    expect(results.summaries.map((s: { variant: string }) => s.variant)).toEqual([
      'baseline',
      'l2',
      'dropout',
      'augment',
      'bagging',
      'knn',
    ]);
    // Augmented children are fitted, and all of them descend from training originals.
    const augment = results.trials.filter((t: { variant: string }) => t.variant === 'augment');
    for (const t of augment) expect(t.fittedSamples).toBe(3 * t.trainRoots.length);
    expect(summary.verdicts[0]).toMatch(/^More data: baseline test accuracy goes from/);
  }, 180_000);

  it('penguins: cleaning quarantines the bad row, then tabular augmentation vs regularization', async () => {
    const { folder, summary } = await run('penguins');
    expect(summary).toMatchObject({ ok: true, rows: 344, kept: 343, quarantined: 1, failedTrials: 0 });
    const quarantine = (await readFile(join(folder, 'quarantine', 'quarantine.jsonl'), 'utf8'))
      .trim()
      .split('\n');
    expect(JSON.parse(quarantine[0]!)).toMatchObject({ reason: 'invalid value', source: { column: 'Sex' } });
    const results = await checkStudy(folder);
    expect(results.context.cleaning).toBeTruthy();
  }, 180_000);

  it('catalog: serve, scrape, clean, grow and study the scraped digits into one report', async () => {
    const { folder, summary } = await run('catalog');
    expect(summary).toMatchObject({ ok: true, pipeline: 'catalog', failedTrials: 0 });
    expect(['browser', 'http']).toContain(summary.engine);
    expect(summary.scraped).toBeGreaterThan(150);
    expect(summary.grown).toBe(3 * summary.cleaned);
    const results = await checkStudy(folder);
    expect(results.context.scrape.engine).toBe(summary.engine);
    const manifest = (await readFile(join(folder, 'grown', 'manifest.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const children = manifest.filter((m: { lineage: unknown[] }) => m.lineage.length > 0);
    expect(children).toHaveLength(2 * summary.cleaned);
    for (const child of children) expect(child.lineage.at(-1).roots).toHaveLength(1);
  }, 240_000);
});
