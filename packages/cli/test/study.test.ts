import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromIterable, type ImagePayload, pipeline, type Sample, writeImageFolder } from '@growset/core';
import { loadMnist, loadVegaDataset } from '@growset/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repo, runMain } from './helpers/run-main.ts';

let dir: string;
let images: string;
let penguins: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-study-cli-'));
  images = join(dir, 'digits');
  await pipeline(
    fromIterable('digits', (await loadMnist({ perClass: 20 })) as Sample<ImagePayload>[]),
    writeImageFolder(images),
  ).run();
  const rows = await loadVegaDataset('penguins');
  const columns = Object.keys(rows[0]!);
  const cell = (v: unknown) => (v === null ? '' : String(v));
  penguins = join(dir, 'penguins.csv');
  await writeFile(
    penguins,
    [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n'),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const growset = (args: string[]) => runMain(args);

describe('growset study', () => {
  it('runs a study on an ImageFolder of real digits and writes results and the report', async () => {
    const out = join(dir, 'study-images');
    const run = await growset([
      'study',
      images,
      '--out',
      out,
      '--sizes',
      '30,60,120',
      '--seeds',
      '2',
      '--variants',
      'baseline,augment,majority',
      '--epochs',
      '4',
      '--hidden',
      '16',
      '--test-fraction',
      '50',
      '--workers',
      '2',
      '--json',
    ]);
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.code).toBe(0);
    const summary = run.json();
    expect(summary).toMatchObject({
      ok: true,
      command: 'study',
      originals: 200,
      testSize: 50,
      trainSizes: [30, 60, 120],
      trials: 18,
      failedTrials: 0,
    });
    expect(summary.variants.map((v: { variant: string }) => v.variant)).toEqual([
      'baseline',
      'augment',
      'majority',
    ]);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    const test = new Set<string>(results.testIds);
    for (const trial of results.trials)
      for (const root of trial.trainRoots) expect(test.has(root)).toBe(false);
    expect(results.context.gallery.length).toBeGreaterThan(0);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('data:image/png;base64,');
  }, 300_000);

  it('runs a study on a CSV (the real penguins table, missing values included) with tabular augmentation', async () => {
    const out = join(dir, 'study-penguins');
    const run = await growset([
      'study',
      penguins,
      '--label',
      'Species',
      '--out',
      out,
      '--sizes',
      '30,60,120',
      '--seeds',
      '2',
      '--variants',
      'baseline,smote,mixup,knn',
      '--epochs',
      '15',
      '--scale',
      'minmax',
      '--hidden',
      '16',
      '--workers',
      '0',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const summary = run.json();
    // 344 rows; one has Sex "." where MALE or FEMALE is expected: quarantined with its line.
    expect(summary).toMatchObject({ originals: 343, trials: 24, failedTrials: 0 });
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results.context.quarantine).toEqual([{ stage: 'read-csv', reason: 'invalid value', count: 1 }]);
    expect(results.config.scaling).toBe('minmax');
    for (const t of results.trials)
      expect(['converged', 'budget', 'validation', 'error']).toContain(t.stopReason);
    expect(results.trials.filter((t: { variant: string }) => t.variant === 'knn')[0].stopReason).toBe(
      'converged',
    );
    const smote = results.trials.filter((t: { variant: string }) => t.variant === 'smote');
    for (const t of smote) expect(t.fittedSamples).toBeGreaterThan(t.trainSize - t.validationSize);
    const best = Math.max(
      ...summary.variants.flatMap((v: { testAccuracy: { mean: number }[] }) =>
        v.testAccuracy.map((a) => a.mean),
      ),
    );
    expect(best).toBeGreaterThan(0.9); // penguin species are easy to tell apart from measurements
  }, 300_000);

  it('answers "resample or move the threshold?" on a two-class table, and refuses a threshold on three classes', async () => {
    const out = join(dir, 'study-threshold');
    // Sex is MALE or FEMALE, or missing (left out), except one row's `.`: without it, two classes.
    const [header, ...lines] = (await readFile(penguins, 'utf8')).split('\n');
    const sex = header!.split(',').indexOf('Sex');
    const twoClasses = join(dir, 'penguins-sex.csv');
    await writeFile(twoClasses, [header, ...lines.filter((l) => l.split(',')[sex] !== '.')].join('\n'));
    const args = [
      '--model',
      'knn',
      '--sizes',
      '60,120',
      '--seeds',
      '2',
      '--test-fraction',
      '80',
      '--workers',
      '0',
    ];
    const run = await growset([
      'study',
      twoClasses,
      '--label',
      'Sex',
      '--variants',
      'baseline,threshold,smote',
      ...args,
      '--out',
      out,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const summary = run.json();
    expect(summary.variants.map((v: { variant: string }) => v.variant)).toEqual([
      'baseline',
      'threshold',
      'smote',
    ]);
    expect(summary.comparisons.filter((c: { variant: string }) => c.variant === 'threshold')).toHaveLength(2);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    const tuned = results.trials.filter((t: { variant: string }) => t.variant === 'threshold');
    expect(tuned).toHaveLength(4);
    for (const t of tuned)
      expect(t.threshold).toMatchObject({ metric: 'balancedAccuracy', on: 'validation' });
    const three = await growset([
      'study',
      penguins,
      '--label',
      'Species',
      '--variants',
      'baseline,threshold',
      ...args,
      '--out',
      join(dir, 'three'),
    ]);
    expect(three.code).toBe(2);
    expect(three.stderr).toMatch(
      /`variants\[threshold\]\.threshold` in StudyOptions: expected a binary classification/,
    );
  });

  it('exits 2 with one line for bad usage', async () => {
    const noOut = await growset(['study', images]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr.trim()).toBe(
      'growset study: Missing `--out <dir>`: where to write results and the report',
    );
    const badVariant = await growset([
      'study',
      images,
      '--out',
      join(dir, 'x'),
      '--variants',
      'baseline,magic',
    ]);
    expect(badVariant.code).toBe(2);
    expect(badVariant.stderr).toMatch(/--variants: Unknown variant\(s\) `magic`/);
    const noLabel = await growset(['study', penguins, '--out', join(dir, 'y')]);
    expect(noLabel.code).toBe(2);
    expect(noLabel.stderr).toMatch(/A CSV input needs `--label <column>`/);
    const wrongLabel = await growset(['study', penguins, '--label', 'Nope', '--out', join(dir, 'z')]);
    expect(wrongLabel.code).toBe(2);
    expect(wrongLabel.stderr).toMatch(/column `Nope` is not in/);
    const badScale = await growset(['study', images, '--out', join(dir, 'w'), '--scale', 'zscore']);
    expect(badScale.code).toBe(2);
    expect(badScale.stderr).toMatch(
      /Expected `--scale` to be one of auto, standardize, minmax, none, got `zscore`/,
    );
    const space = join(dir, 'space.json');
    await writeFile(space, JSON.stringify({ learningrate: [0.01], units: [32, 64] }));
    const badSpace = await growset(['study', images, '--out', join(dir, 'v'), '--search', space]);
    expect(badSpace.code).toBe(2);
    expect(badSpace.stderr).toMatch(/--search .*space\.json: .*`learningrate`.*SearchSpace/);
    await writeFile(space, JSON.stringify({ dropout: [0, 2] }));
    const badRange = await growset(['study', images, '--out', join(dir, 'u'), '--search', space]);
    expect(badRange.code).toBe(2);
    expect(badRange.stderr).toMatch(/`dropout/);
  });
});

describe('growset study, killed and restarted', () => {
  it('resumes from the trials completed before SIGKILL and ends with the same results as an uninterrupted run', async () => {
    const { spawn } = await import('node:child_process');
    const { existsSync } = await import('node:fs');
    const args = (out: string) => [
      'study',
      images,
      '--out',
      out,
      '--sizes',
      '30,60,120',
      '--seeds',
      '2',
      '--variants',
      'baseline,dropout,knn',
      '--epochs',
      '6',
      '--hidden',
      '16',
      '--test-fraction',
      '50',
      '--workers',
      '1',
      '--json',
    ];
    const killed = join(dir, 'study-killed');
    const bin = join(repo, 'packages/cli/bin/growset.js');
    const child = spawn(process.execPath, [bin, ...args(killed)], { cwd: repo, stdio: 'ignore' });
    const journal = join(killed, 'trials.jsonl');
    // Kill once a few trials are journaled, while others are still to run.
    for (let waited = 0; waited < 120_000; waited += 50) {
      if (existsSync(journal) && (await readFile(journal, 'utf8')).trim().split('\n').length >= 5) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const done = (await readFile(journal, 'utf8')).trim().split('\n').length - 1;
    expect(done).toBeGreaterThanOrEqual(4);
    expect(done).toBeLessThan(18);

    const resumed = await growset(args(killed));
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(
      new RegExp(`Resuming study \`digits\`: ${done} of 18 trials already done`),
    );
    const fresh = await growset(args(join(dir, 'study-uninterrupted')));
    expect(fresh.code).toBe(0);
    const strip = (file: string) =>
      readFile(file, 'utf8').then((text) =>
        JSON.parse(text).trials.map(
          (t: { wallTimeMs: number; samplesPerSecond?: number; history?: unknown }) => {
            const { wallTimeMs: _w, samplesPerSecond: _s, history: _h, ...rest } = t;
            return rest;
          },
        ),
      );
    expect(await strip(join(killed, 'results.json'))).toEqual(
      await strip(join(dir, 'study-uninterrupted', 'results.json')),
    );
  }, 300_000);
});
