import { type FixtureSite, type SiteRequest, startFixtureSite } from '@growset/fixtures';
import sharp from 'sharp';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { crawl } from '../src/index.ts';
import {
  exampleConfig,
  imageFiles,
  readManifestEntries,
  readQuarantine,
  removeTempDirs,
  tempDir,
} from './helpers.ts';

const sites: FixtureSite[] = [];
async function site(options: Parameters<typeof startFixtureSite>[0]): Promise<FixtureSite> {
  const s = await startFixtureSite(options);
  sites.push(s);
  return s;
}
afterEach(async () => {
  for (const s of sites.splice(0)) await s.close();
});
afterAll(removeTempDirs);

/** The id in a canonical item URL (`.../item/0042` -> `0042`). */
const idOfKey = (key: unknown) => /\/item\/(\d{4})$/.exec(String(key))?.[1];

describe('http engine on the fixture site', () => {
  it('collects every reachable item exactly once with the issue config, reports JS-only labels missing and obeys robots.txt', async () => {
    const s = await site({ items: 60, crawlDelay: 0, slowRate: 0.1, slowMs: 30 });
    const out = await tempDir();
    const { summary } = await crawl(exampleConfig(s), { out });

    const collectable = s.expected.filter((e) => !e.jsOnly && !e.broken);
    const manifest = await readManifestEntries(out);
    const keys = manifest.map((m) => idOfKey(m.meta?.key));
    expect(new Set(manifest.map((m) => m.id)).size).toBe(manifest.length);
    expect([...keys].sort()).toEqual(collectable.map((e) => e.id).sort());
    const labelOf = new Map(s.expected.map((e) => [e.id, e.label]));
    for (const entry of manifest) expect(entry.label).toBe(labelOf.get(idOfKey(entry.meta?.key)!));
    expect(await imageFiles(out)).toHaveLength(manifest.length);
    const first = manifest[0]!;
    const meta = await sharp(`${out}/images/${first.file}`).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([28, 28, 'png']);

    const quarantine = await readQuarantine(out);
    const missing = quarantine.filter((q) => q.reason === 'missing field: label');
    // Ids come from the canonical URL, so an item reached through its alias keeps its id.
    expect(missing.map((q) => /^item-(\d{4})-/.exec(q.id)?.[1]).sort()).toEqual(
      s.expected
        .filter((e) => e.jsOnly)
        .map((e) => e.id)
        .sort(),
    );
    for (const q of missing) expect(q.detail).toMatch(/selector `\.label`/);
    const broken = quarantine.filter((q) => q.reason === 'undecodable image');
    expect(broken.map((q) => q.label)).toEqual(s.expected.filter((e) => e.broken).map((e) => e.label));
    expect(quarantine).toHaveLength(missing.length + broken.length);

    expect(s.requests.filter((r) => r.path.startsWith('/private/'))).toEqual([]);
    expect(summary.skipped['robots.txt']).toBe(s.model.privateItems.length);
    // Tracking parameters and fragments are normalized away: each item page is fetched once.
    const itemFetches = s.requests.filter((r) => r.path.startsWith('/item/'));
    expect(new Set(itemFetches.map((r) => r.path)).size).toBe(itemFetches.length);
    expect(summary.duplicates).toBeLessThanOrEqual(s.expected.filter((e) => e.alias).length);
    expect(summary.duplicates).toBeGreaterThan(0);
    expect(new Set(s.requests.map((r) => r.userAgent))).toEqual(new Set(['growset-scrape/0.1']));
    expect(summary.items + summary.quarantined).toBe(s.expected.length);
  });

  it('with faults on, collects every reachable item exactly once and reports each injected failure', async () => {
    const s = await site({
      items: 40,
      crawlDelay: 0,
      seed: 3,
      faults: {
        error500: 0.15,
        tooManyRequests: 0.02,
        reset: 0.08,
        truncate: 0.08,
        retryAfterSeconds: 1,
        maxPerUrl: 2,
      },
    });
    const out = await tempDir();
    const { summary } = await crawl(exampleConfig(s), { out });

    const manifest = await readManifestEntries(out);
    const keys = manifest.map((m) => idOfKey(m.meta?.key)).sort();
    expect(keys).toEqual(
      s.expected
        .filter((e) => !e.jsOnly && !e.broken)
        .map((e) => e.id)
        .sort(),
    );
    const faults = (kind: SiteRequest['fault']) => s.requests.filter((r) => r.fault === kind).length;
    expect(faults('500') + faults('reset') + faults('truncate')).toBeGreaterThan(5);
    expect(summary.failures['http 500'] ?? 0).toBe(faults('500'));
    expect(summary.failures['http 429'] ?? 0).toBe(faults('429'));
    expect(summary.failures['connection reset'] ?? 0).toBe(faults('reset'));
    expect(summary.failures['truncated body'] ?? 0).toBe(faults('truncate'));
    expect(summary.retries).toBe(faults('500') + faults('429') + faults('reset') + faults('truncate'));
    expect(summary.pagesFailed).toBe(0);
    expect(summary.retryAfterPauses).toBe(faults('429'));
    // Retry-After is honoured: the same path is not asked again before the server said.
    for (const [index, request] of s.requests.entries()) {
      if (request.fault !== '429') continue;
      const next = s.requests.slice(index + 1).find((r) => r.path === request.path);
      expect(next, `retry of ${request.path}`).toBeDefined();
      expect(next!.at - request.at).toBeGreaterThanOrEqual(990);
    }
    const quarantine = await readQuarantine(out);
    expect(quarantine.map((q) => q.reason).sort()).toEqual(
      [
        ...s.expected.filter((e) => e.jsOnly).map(() => 'missing field: label'),
        ...s.expected.filter((e) => e.broken).map(() => 'undecodable image'),
      ].sort(),
    );
  });

  it('honours robots.txt Crawl-delay between two requests to one host', async () => {
    const s = await site({ items: 4, perPage: 2, crawlDelay: 0.15, slowRate: 0, brokenImages: 0 });
    const out = await tempDir();
    await crawl(exampleConfig(s, { concurrency: 4 }), { out });
    expect(s.requests[0]!.path).toBe('/robots.txt');
    const starts = s.requests.slice(1).map((r) => r.at);
    expect(starts.length).toBeGreaterThanOrEqual(8);
    const gaps = starts.slice(1).map((at, i) => at - starts[i]!);
    // Arrival times at the server, rounded to the millisecond; a stalled event loop on a busy
    // machine can shift one arrival a little, not the span.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(130);
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(gaps.length * 150 - 20);
  });

  it('obeys the robots.txt group naming its user agent', async () => {
    const s = await site({ items: 5, crawlDelay: 0 });
    const out = await tempDir();
    const { summary } = await crawl(
      exampleConfig(s, { userAgent: 'blocked-bot/2.0 (+https://example.org/bot)' }),
      {
        out,
      },
    );
    expect(s.requests.map((r) => r.path)).toEqual(['/robots.txt']);
    expect(s.requests[0]!.userAgent).toBe('blocked-bot/2.0 (+https://example.org/bot)');
    expect(summary.skipped).toEqual({ 'robots.txt': 1 });
    expect(summary.items).toBe(0);
  });
});
