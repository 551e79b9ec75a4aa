import { type EncodedImage, MemoryQuarantine, pipeline, type Sample } from '@growset/core';
import { type FixtureSite, startFixtureSite } from '@growset/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type CrawlConfig, type CrawlStats, crawlSource } from '../src/index.ts';
import { exampleConfig } from './helpers.ts';

let site: FixtureSite;
beforeAll(async () => {
  site = await startFixtureSite({
    items: 30,
    perPage: 10,
    crawlDelay: 0,
    slowRate: 0.2,
    slowMs: 300,
    seed: 5,
  });
});
afterAll(() => site.close());

async function run(config: CrawlConfig) {
  let stats: CrawlStats | undefined;
  const quarantine = new MemoryQuarantine();
  const before = site.requests.length;
  const { items, summary } = await pipeline(
    crawlSource(config, { onCrawler: (c) => (stats = c.stats) }),
  ).collect({
    quarantine,
  });
  const stage = summary.stages[0]!;
  // Every item and failed page is accounted for.
  expect(stage.in).toBe(stage.out + stage.filtered + stage.quarantined);
  return {
    items,
    summary,
    stage,
    stats: stats!,
    quarantine: quarantine.records,
    requests: site.requests.slice(before),
  };
}

const idOf = (sample: Sample<EncodedImage>) => /\/item\/(\d{4})$/.exec(String(sample.meta?.key))?.[1];

describe('frontier and fault limits', () => {
  it('stops queueing pages at maxPages and reports the rest as skipped', async () => {
    const { stats, requests } = await run(exampleConfig(site, { maxPages: 5 }));
    expect(stats.pagesQueued).toBe(5);
    expect(requests.filter((r) => r.path !== '/robots.txt' && !r.path.startsWith('/img/'))).toHaveLength(5);
    expect(stats.skipped['max pages']).toBeGreaterThan(0);
  });

  it('follows links no deeper than maxDepth', async () => {
    const { stats, requests } = await run(exampleConfig(site, { maxDepth: 1 }));
    const pages = requests.map((r) => r.path).filter((p) => p === '/' || p.startsWith('/list/'));
    expect(pages.sort()).toEqual(['/', '/list/2']);
    expect(stats.skipped['max depth']).toBeGreaterThan(0);
  });

  it('records a 404 once, without retrying, and quarantines the page with its URL', async () => {
    const missing = `${site.url}item/9999`;
    const { quarantine, requests, stats } = await run(exampleConfig(site, { start: [missing] }));
    expect(requests.filter((r) => r.path === '/item/9999')).toHaveLength(1);
    expect(quarantine).toHaveLength(1);
    expect(quarantine[0]).toMatchObject({ reason: 'http 404', source: { url: missing } });
    expect(stats.pagesFailed).toBe(1);
    expect(stats.retries).toBe(0);
  });

  it('times out slow pages, retries them with backoff, then quarantines them', async () => {
    const slow = site.model.items.find((i) => i.slow)!;
    const url = `${site.url}item/${slow.id}`;
    const before = site.requests.length;
    const { quarantine } = await run(
      exampleConfig(site, { start: [url], timeoutMs: 100, retries: 1, backoffMs: 10 }),
    );
    // The site logs a slow page when it answers, after the crawler gave up: wait for both answers.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(site.requests.slice(before).filter((r) => r.path === `/item/${slow.id}`)).toHaveLength(2);
    expect(quarantine).toEqual([
      expect.objectContaining({
        reason: 'timeout',
        source: { url },
        detail: expect.stringMatching(/after 2 attempts/),
      }),
    ]);
  });

  it('refuses documents and assets over the size limits without retrying', async () => {
    const page = await run(exampleConfig(site, { maxPageBytes: 300 }));
    expect(page.quarantine).toEqual([
      expect.objectContaining({ reason: 'too large', source: { url: site.url } }),
    ]);
    const item = site.model.items.find((i) => !i.jsOnly && !i.broken)!;
    const asset = await run(
      exampleConfig(site, { start: [`${site.url}item/${item.id}`], maxAssetBytes: 64 }),
    );
    expect(asset.items).toEqual([]);
    expect(asset.quarantine).toEqual([
      expect.objectContaining({ reason: 'asset too large', label: item.label }),
    ]);
    expect(asset.requests.filter((r) => r.path === `/img/${item.id}.png`)).toHaveLength(1);
  });

  it('dedupes an item reachable under two URLs by its declared key', async () => {
    const { items, stage } = await run(
      exampleConfig(site, {
        canonical: false,
        item: {
          urlPattern: '/(item|p)/',
          key: 'id',
          fields: {
            id: { selector: '.item-id' },
            label: { selector: '.label' },
            image: { selector: 'img.photo', attr: 'src', asset: 'image' },
          },
        },
      }),
    );
    const aliases = site.expected.filter((e) => e.alias).length;
    expect(aliases).toBeGreaterThan(0);
    expect(stage.filteredBy['duplicate item']).toBe(aliases);
    expect(new Set(items.map((s) => s.id)).size).toBe(items.length);
    expect(items.map((s) => s.id).sort()).toEqual(
      site.expected
        .filter((e) => !e.jsOnly && !e.broken)
        .map((e) => e.id)
        .sort(),
    );
  });

  it('extracts with a function, validates with zod and quarantines invalid items with URL and reason', async () => {
    const schema = z.object({
      label: z.enum(['0', '1', '2', '3', '4']),
      image: z.string(),
      title: z.string(),
    });
    const { items, quarantine } = await run(
      exampleConfig(site, {
        item: {
          urlPattern: '/item/',
          extract: ({ $ }) => ({
            label: $('.label').text(),
            image: $('img.photo').attr('src'),
            title: $('h1').text().trim(),
          }),
          schema,
        },
      }),
    );
    const low = site.expected.filter((e) => !e.jsOnly && !e.broken && Number(e.label) <= 4);
    expect(items.map(idOf).sort()).toEqual(low.map((e) => e.id).sort());
    for (const sample of items) expect(sample.meta?.title).toBe(`Digit ${idOf(sample)}`);
    const invalid = quarantine.filter((q) => q.reason === 'invalid item');
    const high = site.expected.filter((e) => !e.jsOnly && Number(e.label) > 4);
    expect(invalid).toHaveLength(high.length + site.expected.filter((e) => e.jsOnly).length);
    for (const record of invalid) {
      expect(record.detail).toMatch(/^field `label`: /);
      expect(record.source?.url).toMatch(/\/(item|p)\/\d{4}$/);
    }
  });
});
