import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FixtureSite, startFixtureSite } from '@growset/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGrowset } from '../src/index.ts';
import { manifestOf, removeScrapeTempDirs, scrapeTempDir, writeCrawlConfig } from './helpers/scrape.ts';

let site: FixtureSite;
beforeAll(async () => {
  site = await startFixtureSite({ items: 20, crawlDelay: 0 });
});
afterAll(async () => {
  await site.close();
  await removeScrapeTempDirs();
});

async function growset(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runGrowset(args);
  return { code, stdout, stderr };
}

describe('growset scrape', () => {
  it('crawls the issue config into --out, prints progress, and ends --json with a summary line', async () => {
    const dir = await scrapeTempDir();
    const { path: config } = await writeCrawlConfig(dir, site, { concurrency: 8 });
    const out = join(dir, 'out');
    const first = await growset(['scrape', config, '--out', out, '--json']);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout.trim().split('\n').at(-1)!);
    const collectable = site.expected.filter((e) => !e.jsOnly && !e.broken).length;
    expect(summary).toMatchObject({ ok: true, command: 'scrape', status: 'finished', items: collectable });
    expect(await manifestOf(out)).toHaveLength(collectable);
    expect(first.stderr).toMatch(/\[scrape\] \d+\/\d+ - http:\/\/127\.0\.0\.1/);

    const again = await growset(['scrape', config, '--out', out]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Nothing to do: the crawl in .* already finished with \d+ items/);

    const fresh = await growset(['scrape', config, '--out', out, '--fresh']);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toMatch(/items written\s+\d+/);
  });

  it('exits 2 with one line for a missing file, bad JSON, a bad option or a bad --engine', async () => {
    const dir = await scrapeTempDir();
    const { config } = await writeCrawlConfig(dir, site);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"start": [');
    const invalid = join(dir, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ ...config, maxPages: -1 }));
    const cases: [string[], RegExp][] = [
      [['scrape', join(dir, 'none.json')], /Cannot read crawl config .*none\.json/],
      [['scrape', bad], /bad\.json is not valid JSON/],
      [['scrape', invalid], /option `maxPages` in CrawlConfig: expected a number >= 1, got `-1`/],
      [['scrape', invalid, '--engine', 'lynx'], /`--engine` to be one of http, browser, auto, got `lynx`/],
    ];
    for (const [args, message] of cases) {
      const result = await growset(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
  });
});
