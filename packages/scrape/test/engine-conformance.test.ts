import type { EncodedImage, Sample } from '@growset/core';
import { type FixtureSite, startFixtureSite } from '@growset/fixtures';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EngineRegistry, engines } from '../src/index.ts';
import { collectCrawl, exampleConfig, removeTempDirs } from './helpers.ts';

// One suite for every registered engine. An engine that cannot pass a check declares it in its
// definition's `optOuts` with the reason, and the suite then checks the documented fallback.

const sites: FixtureSite[] = [];
afterEach(async () => {
  for (const s of sites.splice(0)) await s.close();
});
afterAll(removeTempDirs);

async function site(options: Parameters<typeof startFixtureSite>[0]): Promise<FixtureSite> {
  const started = await startFixtureSite(options);
  sites.push(started);
  return started;
}

const idOf = (sample: Sample<EncodedImage>) => /\/item\/(\d{4})$/.exec(String(sample.meta?.key))?.[1];

describe('the engine registry', () => {
  it('names every engine the config accepts, and refuses a second engine of the same name', () => {
    expect(engines.names).toEqual(expect.arrayContaining(['http', 'browser']));
    const registry = new EngineRegistry(engines.definitions);
    expect(() => registry.register(engines.get('http')!)).toThrow(/already registered/);
    expect(() => registry.register({ ...engines.get('http')!, name: 'auto' })).toThrow(/already registered/);
  });
});

for (const definition of engines.definitions) {
  const engine = definition.name;
  describe(`${engine} engine (conformance)`, () => {
    it('with faults on, collects every reachable item exactly once and quarantines the broken one', async () => {
      const fixture = await site({
        items: 24,
        crawlDelay: 0,
        seed: 12,
        faults: { error500: 0.12, tooManyRequests: 0.03, retryAfterSeconds: 1, maxPerUrl: 2 },
      });
      const { items, stats, stage } = await collectCrawl(exampleConfig(fixture, { engine }));
      const ids = items.map(idOf);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(
        fixture.expected
          .filter((e) => !e.broken && (definition.optOuts?.scripts === undefined || !e.jsOnly))
          .map((e) => e.id)
          .sort(),
      );
      expect(stats.pagesFailed).toBe(0);
      const injected = fixture.requests.filter((r) => r.fault === '500' || r.fault === '429').length;
      expect(injected).toBeGreaterThan(0);
      expect((stats.failures['http 500'] ?? 0) + (stats.failures['http 429'] ?? 0)).toBe(injected);
      expect(stage.quarantinedBy['undecodable image']).toBe(1);
    });

    const scripts = definition.optOuts?.scripts;
    it(
      scripts === undefined
        ? 'finds labels that only JavaScript writes into the page'
        : `opted out of scripts (${scripts}): quarantines those items as missing their label`,
      async () => {
        const fixture = await site({ items: 20, crawlDelay: 0, jsOnlyRate: 0.25, seed: 11 });
        const jsOnly = fixture.expected.filter((e) => e.jsOnly);
        expect(jsOnly.length).toBeGreaterThan(0);
        const { items, quarantine } = await collectCrawl(exampleConfig(fixture, { engine }));
        const labels = new Map(fixture.expected.map((e) => [e.id, e.label]));
        for (const sample of items) expect(sample.label).toBe(labels.get(idOf(sample)!));
        const missing = quarantine.filter((q) => q.reason === 'missing field: label');
        if (scripts === undefined) {
          expect(items.map(idOf).sort()).toEqual(
            fixture.expected
              .filter((e) => !e.broken)
              .map((e) => e.id)
              .sort(),
          );
          expect(missing).toEqual([]);
        } else {
          expect(missing.map((q) => /^item-(\d{4})-/.exec(q.id)?.[1]).sort()).toEqual(
            jsOnly.map((e) => e.id).sort(),
          );
        }
      },
    );

    const livePage = definition.optOuts?.livePage;
    it(
      livePage === undefined
        ? 'hands extraction functions the live page'
        : `opted out of livePage (${livePage}): extraction functions get no page, only the HTML`,
      async () => {
        const fixture = await site({ items: 6, crawlDelay: 0, brokenImages: 0, seed: 2 });
        const { items } = await collectCrawl(
          exampleConfig(fixture, {
            engine,
            item: {
              urlPattern: '/item/',
              extract: async ({ page, $, engine: ran }) => ({
                label: $('.label').text(),
                image: $('img.photo').attr('src'),
                title: page === undefined ? `no page (${ran})` : await page.title(),
              }),
            },
          }),
        );
        expect(items).toHaveLength(6);
        for (const sample of items) {
          expect(sample.meta?.title).toBe(
            livePage === undefined ? `Digit ${idOf(sample)}` : `no page (${engine})`,
          );
        }
      },
    );
  });
}
