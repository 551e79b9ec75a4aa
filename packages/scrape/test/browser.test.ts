import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type EncodedImage, encodeRawAsPng, MemoryQuarantine, pipeline, type Sample } from '@growset/core';
import { type FixtureSite, startFixtureSite } from '@growset/fixtures';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type CrawlConfig, type CrawlStats, crawlSource, preferredEngine } from '../src/index.ts';
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

  it("reads the rendered document even when the page's scripts break the usual serializers", async () => {
    const png = Buffer.from(
      await encodeRawAsPng({
        kind: 'raw',
        data: new Uint8Array(16).fill(90),
        width: 4,
        height: 4,
        channels: 1,
        dtype: 'uint8',
      }),
    );
    // Item 1 renders its label with JavaScript; item 2 also makes `outerHTML` throw and
    // replaces XMLSerializer in the page's own world.
    const sabotage = `<script>
Object.defineProperty(Element.prototype, 'outerHTML', { get() { throw new Error('no'); } });
window.XMLSerializer = function () { throw new Error('no'); };
</script>`;
    const item = (n: number) =>
      `<!doctype html><html><head><title>${n}</title></head><body><span class="label"></span>` +
      `<img class="photo" src="/img/${n}.png"><script>document.querySelector('.label').textContent = 'digit-${n}';</script>` +
      `${n === 2 ? sabotage : ''}</body></html>`;
    const server = createServer((req, res) => {
      const path = req.url ?? '/';
      if (path === '/')
        return res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<a class="item" href="/item/1">1</a><a class="item" href="/item/2">2</a>');
      const page = /^\/item\/(\d)$/.exec(path);
      if (page) return res.writeHead(200, { 'content-type': 'text/html' }).end(item(Number(page[1])));
      if (path.startsWith('/img/')) return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const { items, quarantine } = await collect({
        start: [url],
        engine: 'browser',
        allowPrivateNetwork: true,
        follow: ['a.item'],
        item: {
          urlPattern: '/item/',
          fields: {
            label: { selector: '.label' },
            image: { selector: 'img.photo', attr: 'src', asset: 'image' },
          },
        },
      });
      expect(quarantine).toEqual([]);
      expect(items.map((i) => [i.source?.url, i.label]).sort()).toEqual([
        [`${url}item/1`, 'digit-1'],
        [`${url}item/2`, 'digit-2'],
      ]);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});

describe('choosing an engine', () => {
  it('prefers the browser when a Chromium is found and says when none is usable', async () => {
    const dir = await tempDir();
    const missing = preferredEngine({ env: { GROWSET_CHROMIUM: join(dir, 'nope') } });
    expect(missing.engine).toBe('http');
    expect(missing.reason).toContain('nope');
    const here = preferredEngine();
    expect(here.engine).toBe('browser');
    expect(here.reason).toContain(here.chromium!.path);
  });
});
