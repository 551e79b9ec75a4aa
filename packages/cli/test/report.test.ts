import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeResults } from '@growset/report';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The report package's synthetic study (results computed as a study computes them, with gallery PNGs).
import { syntheticStudy } from '../../report/test/helpers/study-results.ts';
import { runMain } from './helpers/run-main.ts';

let dir: string;
let resultsJson: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-report-cli-'));
  const study = await syntheticStudy({ galleryDir: dir });
  resultsJson = (await writeResults(study, dir)).json;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `growset` in this process, in the study's folder. */
const growset = (args: string[]) => runMain(args, dir);
const lastJson = (stdout: string) =>
  JSON.parse(stdout.trim().split('\n').at(-1)!) as { [key: string]: unknown };

describe('growset report', () => {
  it('rebuilds the report from results.json, screenshots it, and ends --json output with a summary', async () => {
    const out = join(dir, 'site', 'report.html');
    const png = join(dir, 'site', 'report.png');
    const { code, stdout, stderr } = await growset([
      'report',
      resultsJson,
      '--out',
      out,
      '--screenshot',
      png,
      '--json',
    ]);
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    const summary = lastJson(stdout);
    expect(summary).toMatchObject({
      ok: true,
      command: 'report',
      results: resultsJson,
      out,
      charts: 5,
      chartsSkipped: [],
      galleryImages: 8,
      trials: 60,
      failedTrials: 1,
      variants: 4,
      warnings: [],
      screenshot: png,
    });
    expect((await stat(out)).size).toBe(summary.bytes);
    expect((await stat(png)).size).toBeGreaterThan(100_000);
    const html = await readFile(out, 'utf8');
    expect(html.match(/<figure class="chart"/g)).toHaveLength(5);
    // Gallery paths resolve against results.json's folder, not the report's.
    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(8);
  });

  it('writes report.html beside results.json by default and prints what it did', async () => {
    const { code, stdout } = await growset(['report', 'results.json']);
    expect(code).toBe(0);
    expect(stdout).toContain('Report for `digits-test`: 60 trials (1 failed), 4 variants');
    expect(stdout).toContain('Wrote report.html');
    expect((await stat(join(dir, 'report.html'))).size).toBeGreaterThan(50_000);
  });

  it('exits 2 with one line naming the file when results.json is missing', async () => {
    const { code, stdout, stderr } = await growset(['report', 'missing.json', '--json']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      `growset report: Results file ${join(dir, 'missing.json')}: file not found`,
    ]);
    expect(lastJson(stdout)).toMatchObject({ ok: false, command: 'report', error: { code: 'ERR_USAGE' } });
  });

  it('exits 2 with one line naming the bad field when results.json is invalid', async () => {
    const bad = JSON.parse(await readFile(resultsJson, 'utf8')) as { trials: { seed: unknown }[] };
    bad.trials[2]!.seed = 'two';
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify(bad));
    const { code, stderr } = await growset(['report', file]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      `growset report: Invalid results file ${file}: field \`trials[2].seed\`: expected a number, got \`"two"\` (string)`,
    ]);
  });
});
