import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { QuarantineRecord } from '@growset/core';
import { startFixtureSite } from '@growset/fixtures';
import { crawl } from '@growset/scrape';
import { afterAll, describe, expect, it } from 'vitest';
import {
  growsetBin,
  journaledItems,
  jsonLines,
  manifestOf,
  removeScrapeTempDirs,
  scrapeTempDir,
  writeCrawlConfig,
} from './helpers/scrape.ts';

afterAll(removeScrapeTempDirs);

async function imageCount(out: string): Promise<number> {
  const files = await readdir(join(out, 'images'), { recursive: true });
  return files.filter((f) => f.endsWith('.png') && !f.includes('growset-tmp')).length;
}

describe('growset scrape, killed and run again', () => {
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
      const dir = await scrapeTempDir();
      const out = join(dir, 'out');
      const { path: configPath, config } = await writeCrawlConfig(dir, site, { concurrency: 4 });

      // First run: the real CLI in a child process, killed without warning mid-crawl.
      const child = spawn(process.execPath, [growsetBin, 'scrape', configPath, '--out', out], {
        stdio: 'ignore',
      });
      const exited = new Promise<NodeJS.Signals | null>((done) =>
        child.on('exit', (_code, signal) => done(signal)),
      );
      const deadline = Date.now() + 45_000;
      while (journaledItems(out) < 15 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(journaledItems(out)).toBeGreaterThanOrEqual(15);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const writtenBeforeKill = journaledItems(out);
      expect(readFileSync(join(out, '.crawl', 'journal.jsonl'), 'utf8')).not.toContain('"t":"finish"');

      // Second run, same folder: picks up where the first stopped.
      const resumed = await crawl(config, { out });
      const collectable = site.expected.filter((e) => !e.jsOnly && !e.broken);
      const manifest = await manifestOf(out);
      expect(manifest.map((m) => /\/item\/(\d{4})$/.exec(String(m.meta?.key))?.[1]).sort()).toEqual(
        collectable.map((e) => e.id).sort(),
      );
      expect(new Set(manifest.map((m) => m.id)).size).toBe(collectable.length);
      expect(await imageCount(out)).toBe(collectable.length);
      const leftovers = (await readdir(join(out, 'images'), { recursive: true })).filter((f) =>
        f.includes('growset-tmp'),
      );
      expect(leftovers).toEqual([]);
      expect(resumed.summary.resumedItems).toBeGreaterThanOrEqual(writtenBeforeKill);
      expect(resumed.summary.resumedItems + resumed.summary.newItems).toBe(collectable.length);
      expect(resumed.summary.newItems).toBeGreaterThan(0);
      expect(resumed.summary.runs).toBe(2);
      const quarantine = await jsonLines<QuarantineRecord>(join(out, 'quarantine.jsonl'));
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
      expect(await imageCount(out)).toBe(collectable.length);
    } finally {
      await site.close();
    }
  });
});
