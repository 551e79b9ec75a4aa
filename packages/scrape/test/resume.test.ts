import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFixtureSite } from '@growset/fixtures';
import { afterAll, describe, expect, it } from 'vitest';
import { crawl } from '../src/index.ts';
import {
  exampleConfig,
  imageFiles,
  readManifestEntries,
  readQuarantine,
  removeTempDirs,
  tempDir,
} from './helpers.ts';

const cli = resolve(fileURLToPath(import.meta.url), '../../../cli/bin/growset.js');
afterAll(removeTempDirs);

function journalItems(out: string): number {
  const path = join(out, '.crawl', 'journal.jsonl');
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{"t":"item"')).length;
}

describe('resume', () => {
  it('a crawl killed with SIGKILL and restarted on the same folder ends with every item exactly once', async () => {
    const site = await startFixtureSite({
      items: 100,
      perPage: 10,
      crawlDelay: 0,
      slowRate: 0.5,
      slowMs: 120,
      seed: 7,
    });
    try {
      const out = await tempDir();
      const config = exampleConfig(site, { concurrency: 4 });
      const configPath = join(out, '..', `${out.split('/').pop()}.json`);
      await writeFile(configPath, JSON.stringify(config));

      // First run: the real CLI in a child process, killed without warning mid-crawl.
      const child = spawn(process.execPath, [cli, 'scrape', configPath, '--out', out], { stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((done) =>
        child.on('exit', (_code, signal) => done(signal)),
      );
      const deadline = Date.now() + 45_000;
      while (journalItems(out) < 15 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(journalItems(out)).toBeGreaterThanOrEqual(15);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const writtenBeforeKill = journalItems(out);
      expect(readFileSync(join(out, '.crawl', 'journal.jsonl'), 'utf8')).not.toContain('"t":"finish"');

      // Second run, same folder: picks up where the first stopped.
      const resumed = await crawl(config, { out });
      const collectable = site.expected.filter((e) => !e.jsOnly && !e.broken);
      const manifest = await readManifestEntries(out);
      expect(manifest.map((m) => /\/item\/(\d{4})$/.exec(String(m.meta?.key))?.[1]).sort()).toEqual(
        collectable.map((e) => e.id).sort(),
      );
      expect(new Set(manifest.map((m) => m.id)).size).toBe(collectable.length);
      expect(await imageFiles(out)).toHaveLength(collectable.length);
      const leftovers = (await readdir(join(out, 'images'), { recursive: true })).filter((f) =>
        f.includes('growset-tmp'),
      );
      expect(leftovers).toEqual([]);
      expect(resumed.summary.resumedItems).toBeGreaterThanOrEqual(writtenBeforeKill);
      expect(resumed.summary.resumedItems + resumed.summary.newItems).toBe(collectable.length);
      expect(resumed.summary.newItems).toBeGreaterThan(0);
      expect(resumed.summary.runs).toBe(2);
      const quarantine = await readQuarantine(out);
      expect(quarantine.map((q) => q.id).sort()).toEqual([...new Set(quarantine.map((q) => q.id))].sort());
      expect(quarantine).toHaveLength(site.expected.length - collectable.length);

      // Third run: finished, nothing to do, not one request.
      const requestsBefore = site.requests.length;
      const again = await crawl(config, { out });
      expect(again.summary.status).toBe('already-finished');
      expect(again.summary.items).toBe(collectable.length);
      expect(site.requests.length).toBe(requestsBefore);

      // --fresh starts over.
      const fresh = await crawl(config, { out, fresh: true });
      expect(fresh.summary).toMatchObject({
        status: 'finished',
        runs: 1,
        resumedItems: 0,
        newItems: collectable.length,
      });
      expect(await imageFiles(out)).toHaveLength(collectable.length);
    } finally {
      await site.close();
    }
  });

  it('refuses to resume a folder crawled with a different config', async () => {
    const site = await startFixtureSite({ items: 5, crawlDelay: 0 });
    try {
      const out = await tempDir();
      await crawl(exampleConfig(site), { out });
      await expect(crawl(exampleConfig(site, { follow: ['a[href]'] }), { out })).rejects.toThrow(
        /different config.*--fresh/,
      );
    } finally {
      await site.close();
    }
  });
});
