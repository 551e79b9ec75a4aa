import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type EncodedImage, MemoryQuarantine, pipeline, type Sample } from '@growset/core';
import { type FixtureSite, startFixtureSite } from '@growset/fixtures';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type CrawlConfig,
  type CrawlStats,
  crawlSource,
  findChromium,
  preferredEngine,
} from '../src/index.ts';
import { exampleConfig, removeTempDirs, tempDir } from './helpers.ts';

const sites: FixtureSite[] = [];
afterEach(async () => {
  for (const s of sites.splice(0)) await s.close();
});
afterAll(removeTempDirs);

async function collect(config: CrawlConfig) {
  let stats: CrawlStats | undefined;
  const quarantine = new MemoryQuarantine();
  const { items, summary } = await pipeline(
    crawlSource(config, { onCrawler: (c) => (stats = c.stats) }),
  ).collect({
    quarantine,
  });
  return { items, stage: summary.stages[0]!, stats: stats!, quarantine: quarantine.records };
}

const idOf = (sample: Sample<EncodedImage>) => /\/item\/(\d{4})$/.exec(String(sample.meta?.key))?.[1];

describe('browser engine (real Chromium)', () => {
  it('finds the JavaScript-only labels that the http engine reports missing', async () => {
    const site = await startFixtureSite({ items: 30, crawlDelay: 0, jsOnlyRate: 0.2, seed: 11 });
    sites.push(site);
    const jsOnly = site.expected.filter((e) => e.jsOnly);
    expect(jsOnly.length).toBeGreaterThan(0);

    const browser = await collect(exampleConfig(site, { engine: 'browser' }));
    const collectable = site.expected.filter((e) => !e.broken);
    expect(browser.items.map(idOf).sort()).toEqual(collectable.map((e) => e.id).sort());
    const labels = new Map(site.expected.map((e) => [e.id, e.label]));
    for (const sample of browser.items) expect(sample.label).toBe(labels.get(idOf(sample)!));
    expect(browser.quarantine.map((q) => q.reason)).toEqual(['undecodable image']);

    const http = await collect(exampleConfig(site, { engine: 'http' }));
    const missing = http.quarantine.filter((q) => q.reason === 'missing field: label');
    expect(missing.map((q) => /^item-(\d{4})-/.exec(q.id)?.[1]).sort()).toEqual(
      jsOnly.map((e) => e.id).sort(),
    );
  });

  it('with faults on, collects every reachable item exactly once and reports the failures', async () => {
    const site = await startFixtureSite({
      items: 30,
      crawlDelay: 0,
      seed: 12,
      faults: {
        error500: 0.12,
        tooManyRequests: 0.02,
        reset: 0.06,
        truncate: 0.06,
        retryAfterSeconds: 1,
        maxPerUrl: 2,
      },
    });
    sites.push(site);
    const { items, stats, stage } = await collect(exampleConfig(site, { engine: 'browser' }));
    const ids = items.map(idOf);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(
      site.expected
        .filter((e) => !e.broken)
        .map((e) => e.id)
        .sort(),
    );
    expect(stats.pagesFailed).toBe(0);
    const injected = site.requests.filter((r) => r.fault !== undefined);
    expect(injected.length).toBeGreaterThan(3);
    const count = (fault: string) => injected.filter((r) => r.fault === fault).length;
    // HTTP errors reach the crawler one for one; Chromium itself retries some resets on reused
    // connections, so network faults are reported at most once each.
    expect(stats.failures['http 500'] ?? 0).toBe(count('500'));
    expect(stats.failures['http 429'] ?? 0).toBe(count('429'));
    const network = (stats.failures['connection reset'] ?? 0) + (stats.failures['truncated body'] ?? 0);
    expect(network).toBeLessThanOrEqual(count('reset') + count('truncate'));
    expect(stats.retries).toBe(count('500') + count('429') + network);
    expect(stage.quarantinedBy).toEqual({ 'undecodable image': 1 });
  });

  it('hands extraction functions the live Playwright page', async () => {
    const site = await startFixtureSite({
      items: 6,
      crawlDelay: 0,
      brokenImages: 0,
      jsOnlyRate: 0.5,
      seed: 2,
    });
    sites.push(site);
    const { items } = await collect(
      exampleConfig(site, {
        engine: 'browser',
        item: {
          urlPattern: '/item/',
          extract: async ({ page }) => ({
            label: await page!.locator('.label').textContent(),
            image: await page!.locator('img.photo').getAttribute('src'),
            title: await page!.title(),
          }),
        },
      }),
    );
    expect(items).toHaveLength(6);
    for (const sample of items) expect(sample.meta?.title).toBe(`Digit ${idOf(sample)}`);
  });
});

describe('finding Chromium', () => {
  it('prefers GROWSET_CHROMIUM, then PATH, and says when none is usable', async () => {
    const dir = await tempDir();
    const fake = join(dir, 'bin', 'chromium');
    await mkdir(join(dir, 'bin'));
    await writeFile(fake, '#!/bin/sh\n');
    await chmod(fake, 0o755);
    expect(findChromium({ env: { GROWSET_CHROMIUM: '/opt/my/chrome', PATH: join(dir, 'bin') } })).toEqual({
      path: '/opt/my/chrome',
      source: 'GROWSET_CHROMIUM',
    });
    const onPath = findChromium({ env: { PATH: join(dir, 'bin') } });
    expect(onPath === undefined ? undefined : onPath.source).toMatch(/^(playwright|PATH)$/);
    const missing = preferredEngine({ env: { GROWSET_CHROMIUM: join(dir, 'nope') } });
    expect(missing.engine).toBe('http');
    expect(missing.reason).toContain('nope');
    const here = preferredEngine();
    expect(here.engine).toBe('browser');
    expect(here.reason).toContain(here.chromium!.path);
  });
});
