import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCleanImagesJob } from '@growset/clean';
import { writeDirtyImages } from '@growset/fixtures';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../clean/test/helpers.ts';
import { runMain } from './helpers/run-main.ts';

const cli = (argv: string[], cwd: string) => runMain(argv, cwd);

const lastJson = (stdout: string) =>
  JSON.parse(stdout.trim().split('\n').pop()!) as { [key: string]: unknown };

describe('growset clean-images', () => {
  it('writes the clean ImageFolder, the quarantine with the rejected files, and the summary', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const images = await writeDirtyImages(join(dir, 'raw'));
      const { code, stdout } = await cli(['clean-images', 'raw', '--out', 'out', '--json'], dir);
      expect(code).toBe(0);
      const expected = {
        out: images.filter((i) => i.outcome === 'pass').length,
        filtered: images.filter((i) => i.outcome === 'filtered').length,
        quarantined: images.filter((i) => i.outcome === 'quarantined').length,
      };
      expect(lastJson(stdout)).toMatchObject({ ok: true, in: images.length, ...expected });
      const lines = (await readFile(join(dir, 'out/quarantine.jsonl'), 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(expected.quarantined);
      expect((await readdir(join(dir, 'out/images/logo'))).sort()).toEqual([
        'animated.png',
        'ffox.png',
        'gimp-cmyk.jpg',
        'zip-16bit.png',
      ]);
      expect((await readdir(join(dir, 'out/files'))).length).toBeGreaterThan(0);
      const bad = await cli(['clean-images', 'raw', '--out', 'out', '--hash', 'md5'], dir);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/Expected `--hash` to be one of dhash, phash, none, got `md5`/);
    } finally {
      await cleanup();
    }
  });

  it('prints the summary runCleanImagesJob returns, and its text', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeDirtyImages(join(dir, 'raw'));
      const job = await runCleanImagesJob({ input: join(dir, 'raw'), out: join(dir, 'job'), hash: 'phash' });
      const { code, stdout } = await cli(
        ['clean-images', 'raw', '--out', 'cli', '--hash', 'phash', '--json'],
        dir,
      );
      expect(code).toBe(0);
      const printed = lastJson(stdout);
      const { files: _jobFiles, ...jobCounts } = job.summary;
      const { files: _cliFiles, ok: _ok, command: _command, ...cliCounts } = printed;
      expect(cliCounts).toEqual(jobCounts);
      expect(job.files).toEqual({
        images: join(dir, 'job', 'images'),
        quarantine: join(dir, 'job', 'quarantine.jsonl'),
        summary: join(dir, 'job', 'cleaning-summary.json'),
      });
      expect(job.text).toContain('Clean images:');
      expect(job.summary.in).toBe(job.summary.out + job.summary.filtered + job.summary.quarantined);
    } finally {
      await cleanup();
    }
  });
});
