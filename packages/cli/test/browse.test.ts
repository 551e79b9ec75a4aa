import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The browse package's fixture: an ImageFolder with a manifest, lineage and quarantine records.
import { writeFixture } from '../../browse/test/helpers/fixture.ts';
import { repo, runMain } from './helpers/run-main.ts';

const bin = join(repo, 'packages/cli/bin/growset.js');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-browse-cli-'));
  await writeFixture(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('growset browse', () => {
  it('prints `Browse URL` first, serves the dataset, and stops cleanly on SIGINT with a JSON summary', async () => {
    const child = spawn(process.execPath, [bin, 'browse', dir, '--json'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GROWSET_SOURCE: '1', TMPDIR: dir },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
    });
    const url = await new Promise<string>((done, fail) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c;
        const first = stdout.split('\n')[0]!;
        if (stdout.includes('\n')) done(first);
      });
      child.once('exit', () => fail(new Error(`exited early: ${stderr}`)));
    });
    expect(url).toMatch(/^Browse http:\/\/127\.0\.0\.1:\d+\/$/);
    const meta = (await (await fetch(`${url.slice('Browse '.length)}api/meta`)).json()) as { total: number };
    expect(meta.total).toBe(26);
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const last = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ ok: true, command: 'browse', rows: 26, kind: 'imagefolder' });
  }, 30_000);

  it('--export writes a static site, and --filter keeps only the matching rows', async () => {
    const out = join(dir, 'site');
    const run = await runMain(['browse', dir, '--export', out, '--filter', 'label = cat', '--json'], dir);
    expect(run.code).toBe(0);
    const summary = run.json();
    expect(summary).toMatchObject({ ok: true, command: 'browse', export: out });
    expect(summary.rows).toBeGreaterThan(0);
    expect(summary.rows).toBeLessThan(26);
    expect((await stat(join(out, 'index.html'))).isFile()).toBe(true);
    expect(await readFile(join(out, 'data.js'), 'utf8')).toContain('GROWSET_DATA');
  });

  it('exits 2 for a bad --filter, and for --filter without --export', async () => {
    const bad = await runMain(['browse', dir, '--export', join(dir, 'x'), '--filter', 'label = ('], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--filter: /);
    const alone = await runMain(['browse', dir, '--filter', 'label = cat'], dir);
    expect(alone.code).toBe(2);
  });
});
