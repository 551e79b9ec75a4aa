// The main job's regression guard (issue 14): `npm start -- --quick` gives the same results as
// the golden file recorded before the packages were reorganized. Same seed, same output: every
// trial's training roots, epochs and test predictions, the counts of each stage and the verdicts.
// Regenerate deliberately (and say why in the commit) with GROWSET_UPDATE_GOLDEN=1.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const golden = fileURLToPath(new URL('./golden/catalog-quick.json', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-regression-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Trial {
  key: string;
  ok: boolean;
  trainRoots: string[];
  fittedSamples: number;
  epochs: number;
  test: { accuracy: number };
  testPredictions: string;
}

/** What must not change: everything but wall times and paths. */
function project(summary: Record<string, unknown>, results: Record<string, unknown>) {
  const { wallTimeMs: _w, studyWallTimeMs: _s, out: _o, report: _r, results: _p, ...counts } = summary;
  return {
    summary: counts,
    testIds: results.testIds,
    trials: (results.trials as Trial[]).map((t) => ({
      key: t.key,
      ok: t.ok,
      trainRoots: t.trainRoots,
      fittedSamples: t.fittedSamples,
      epochs: t.epochs,
      testAccuracy: t.test.accuracy,
      testPredictions: t.testPredictions,
    })),
    verdicts: results.verdicts,
  };
}

it('npm start -- --quick reproduces the recorded results trial for trial', async () => {
  const out = join(dir, 'catalog');
  const bin = join(repo, 'packages/cli/bin/growset.js');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [bin, 'run', 'pipelines/catalog', '--quick', '--seed', '0', '--json', '--out', out],
    { cwd: repo, env: { ...process.env, GROWSET_SOURCE: '1', NO_COLOR: '1' }, maxBuffer: 64 << 20 },
  );
  const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
  const results = JSON.parse(await readFile(join(out, 'study', 'results.json'), 'utf8'));
  const actual = project(summary, results);
  if (process.env.GROWSET_UPDATE_GOLDEN === '1') {
    await writeFile(golden, `${JSON.stringify(actual, null, 1)}\n`);
  }
  const expected = JSON.parse(await readFile(golden, 'utf8'));
  expect(actual.summary).toEqual(expected.summary);
  expect(actual.testIds).toEqual(expected.testIds);
  expect(actual.trials).toEqual(expected.trials);
  expect(actual.verdicts).toEqual(expected.verdicts);
}, 240_000);
