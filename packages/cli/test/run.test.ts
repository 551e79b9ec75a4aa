import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './helpers/run-main.ts';

const repo = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const bin = join(repo, 'packages/cli/bin/growset.js');
const fixture = (name: string) => join(repo, 'packages/cli/test/fixtures', name);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-run-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the real `growset` bin in a child process. */
function growset(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const lastLine = (text: string) => text.trim().split('\n').pop() ?? '';

describe('growset run (real process)', () => {
  it('runs a pipeline module through the real bin and ends --json output with one summary object', async () => {
    const out = join(dir, 'tiny-bin');
    const { code, stdout, stderr } = growset([
      'run',
      'packages/cli/test/fixtures/tiny-pipeline.ts',
      '--json',
      '--out',
      out,
      '--seed',
      '3',
    ]);
    expect(stderr).toContain('[pipeline] even: in 10, out 5, filtered 5');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      ok: true,
      command: 'run',
      pipeline: 'tiny',
      seed: 3,
      kept: 5,
      filtered: 5,
    });
    expect((await readFile(join(out, 'even.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(5);
  });

  it('exits 2 with one clear line for a pipeline path that does not exist', () => {
    const { code, stderr, stdout } = growset(['run', 'pipelines/does-not-exist']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^growset run: Pipeline module not found: `pipelines\/does-not-exist`/),
    ]);
    expect(stdout).toBe('');
  });
});

describe('growset run in process (main())', () => {
  it('exits 2 naming the module when it exports no pipeline, with a JSON error line', async () => {
    const { code, stdout, stderr } = await runMain(['run', fixture('no-pipeline.ts'), '--json']);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /exports no pipeline: expected `export default definePipeline\(\{\.\.\.\}\)`.*its exports: answer/,
    );
    expect(JSON.parse(lastLine(stdout))).toMatchObject({
      ok: false,
      command: 'run',
      error: { code: 'ERR_USAGE' },
    });
  });

  it('exits 2 for bad options and unknown flags, naming them', async () => {
    const badSeed = await runMain(['run', fixture('tiny-pipeline.ts'), '--seed', '-4']);
    expect(badSeed.code).toBe(2);
    expect(badSeed.stderr.trim()).toBe(
      'growset run: Expected `--seed` to be an integer from 0 to 2147483647, got `-4`',
    );
    const unknown = await runMain(['run', fixture('tiny-pipeline.ts'), '--sed', '4']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--sed'/);
    const missing = await runMain(['run']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/expects 1 argument, got 0: usage: growset run <pipeline-module>/);
  });

  it('runs a pipeline exported as `pipeline`, printing its text, and writes its output', async () => {
    const out = join(dir, 'tiny');
    const { code, stdout, stderr } = await runMain(['run', fixture('tiny-pipeline.ts'), '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^kept 5\n\nPipeline `tiny` finished in [\d.]+ s; output in /);
    expect(stderr).toContain('[pipeline] even: in 10, out 5, filtered 5');
    expect((await readFile(join(out, 'even.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(5);
  });

  it('exits 1 on a failure while running, without a stack trace unless --verbose', async () => {
    const quiet = await runMain(['run', fixture('failing-pipeline.ts'), '--out', join(dir, 'f')]);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toContain(
      'growset run: the disk is full (simulated)\n(run with --verbose for details)',
    );
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    const verbose = await runMain([
      'run',
      fixture('failing-pipeline.ts'),
      '--out',
      join(dir, 'f'),
      '--verbose',
    ]);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });
});
