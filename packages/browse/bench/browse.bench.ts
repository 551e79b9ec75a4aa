// Browse at scale: a synthetic JSONL manifest of 100,000 samples (and 1,000 as the baseline, in the
// same process), served by the browse server. Prints the first grid response, filter, sort and
// facet times, the index build and reuse times, and server memory.
//   npm run bench -w packages/browse
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LaunchedChromium, launchChromium } from '@growset/browser';
import { Rng } from '@growset/core';
import { startBrowseServer } from '../src/index.ts';

const LABELS = Array.from({ length: 10 }, (_, i) => String(i));
const REASONS = ['truncated image', 'empty file', 'not an image', 'too small'];

async function writeManifest(dir: string, n: number): Promise<string> {
  const rng = Rng.create(42);
  const lines: string[] = [];
  const originals = Math.ceil(n / 3);
  for (let i = 0; i < n; i++) {
    const root = i % originals;
    const label = LABELS[root % LABELS.length]!;
    const derived = i >= originals;
    const meta: { [k: string]: unknown } = { width: rng.int(8, 512), height: rng.int(8, 512) };
    if (rng.float() < 0.02)
      meta.suspiciousLabel = { suggested: LABELS[rng.int(0, 9)], selfConfidence: rng.float() };
    lines.push(
      JSON.stringify({
        id: derived ? `${label}/img${root}~aug${i}` : `${label}/img${root}`,
        label,
        file: `${label}/img${i}.png`,
        source: { url: `https://example.test/${label}/img${root}.png` },
        lineage: derived
          ? [
              {
                op: 'augment',
                version: 1,
                params: { angle: rng.int(-15, 15), flip: rng.bool() },
                parents: [`${label}/img${root}`],
                roots: [`${label}/img${root}`],
              },
            ]
          : [],
        meta,
      }),
    );
  }
  const quarantine = Array.from({ length: Math.ceil(n / 100) }, (_, i) =>
    JSON.stringify({
      stage: 'check-images',
      id: `bad${i}`,
      reason: REASONS[i % REASONS.length],
      label: LABELS[i % 10],
    }),
  );
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(dir, 'images'), { recursive: true });
  await writeFile(join(dir, 'images', 'manifest.jsonl'), `${lines.join('\n')}\n`);
  await writeFile(join(dir, 'quarantine.jsonl'), `${quarantine.join('\n')}\n`);
  return dir;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

async function getJson(url: string): Promise<{ count?: number }> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { count?: number };
}

interface Numbers {
  build: number;
  reopen: number;
  firstGrid: number;
  filter: number;
  textSearch: number;
  sort: number;
  facets: number;
  /** In Chromium: navigation start to the first grid rows on screen. */
  pageGrid: number;
  /** In Chromium, timed by the page: Enter in the filter box to the first frame painted with the rows. */
  pageFilter: number;
  /** The same, timed from this process: Playwright's key press and polling round trips included. */
  pageFilterTrip: number;
  /** In Chromium, timed by the page: a click on a column header to the sorted rows painted. */
  pageSort: number;
  rssMb: number;
  heapMb: number;
}

let launched: LaunchedChromium | undefined;

type Doc = { document: { body: { getAttribute(n: string): string | null } } };

/**
 * In Chromium: the first grid, then (best of three each) a filter typed and entered and a sort
 * clicked. Each query is timed by the page itself (key or click to the first frame painted with its rows: `data-query-ms`)
 * and, for comparison, from this process (Playwright's key press and polling round trips included).
 */
async function inPage(
  url: string,
): Promise<{ grid: number; filter: number; filterTrip: number; sort: number }> {
  launched ??= await launchChromium();
  const page = await launched.browser.newPage();
  const start = performance.now();
  await page.goto(url);
  await page.locator('[data-testid="grid"] tbody tr').first().waitFor();
  const grid = performance.now() - start;
  const answered = async (act: () => Promise<void>) => {
    const seq = await page.evaluate(() =>
      (globalThis as unknown as Doc).document.body.getAttribute('data-query-seq'),
    );
    const t0 = performance.now();
    await act();
    await page.waitForFunction(
      (old) => (globalThis as unknown as Doc).document.body.getAttribute('data-query-seq') !== old,
      seq,
    );
    const trip = performance.now() - t0;
    const ms = Number(
      await page.evaluate(() => (globalThis as unknown as Doc).document.body.getAttribute('data-query-ms')),
    );
    return { ms, trip };
  };
  // Once the first screen has settled (thumbnails, facets), as when a person starts typing.
  await page.waitForLoadState('networkidle');
  const filter = page.getByTestId('filter');
  const best = {
    filter: Number.POSITIVE_INFINITY,
    filterTrip: Number.POSITIVE_INFINITY,
    sort: Number.POSITIVE_INFINITY,
  };
  // Best of three, as for the API: two filters in turn (each changes the rows), then three sorts.
  for (const q of [
    'width >= 100 and label in (3, 7)',
    'width >= 100 and label in (3, 8)',
    'width >= 100 and label in (3, 7)',
  ]) {
    await filter.fill(q);
    const filtered = await answered(() => filter.press('Enter'));
    best.filter = Math.min(best.filter, filtered.ms);
    best.filterTrip = Math.min(best.filterTrip, filtered.trip);
  }
  for (let i = 0; i < 3; i++) {
    const sorted = await answered(() => page.locator('th[data-column="width"]').click());
    best.sort = Math.min(best.sort, sorted.ms);
  }
  await page.close();
  return { grid, ...best };
}

async function measure(n: number): Promise<Numbers> {
  const dir = await mkdtemp(join(tmpdir(), `growset-browse-bench-${n}-`));
  try {
    await writeManifest(dir, n);
    const cacheDir = join(dir, '.cache');
    // Synthetic entries have no image files: read no headers (sizes come from meta).
    const first = await timed(() => startBrowseServer(dir, { cacheDir, measure: false }));
    await first.value.close();
    const opened = await timed(() => startBrowseServer(dir, { cacheDir, measure: false }));
    const server = opened.value;
    if (!server.index.reused) throw new Error('the cached index was not reused');
    const u = server.url;
    const q = (s: string) => encodeURIComponent(s);
    // What the page does on load: shell, script, meta, first rows and facets.
    const firstGrid = await timed(async () => {
      await Promise.all([fetch(u).then((r) => r.text()), fetch(`${u}app.js`).then((r) => r.text())]);
      await getJson(`${u}api/meta`);
      await Promise.all([getJson(`${u}api/rows?limit=100`), getJson(`${u}api/facets`)]);
    });
    const best = async (path: string) => {
      let ms = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 3; i++) ms = Math.min(ms, (await timed(() => getJson(u + path))).ms);
      return ms;
    };
    const numbers: Numbers = {
      build: first.ms,
      reopen: opened.ms,
      firstGrid: firstGrid.ms,
      filter: await best(`api/rows?limit=100&q=${q('width >= 100 and label in (3, 7)')}`),
      textSearch: await best(`api/rows?limit=100&q=${q('img123')}`),
      sort: await best(`api/rows?limit=100&sort=${q('-width,label')}`),
      facets: await best(`api/facets?q=${q('width >= 100 and label in (3, 7)')}`),
      ...(await inPage(u).then((r) => ({
        pageGrid: r.grid,
        pageFilter: r.filter,
        pageFilterTrip: r.filterTrip,
        pageSort: r.sort,
      }))),
      rssMb: process.memoryUsage().rss / 2 ** 20,
      heapMb: process.memoryUsage().heapUsed / 2 ** 20,
    };
    await server.close();
    return numbers;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const base = await measure(1_000);
const big = await measure(100_000);
const rows = Object.keys(base) as (keyof Numbers)[];
console.log('metric          1,000 samples  100,000 samples   ratio');
for (const k of rows) {
  const unit = k.endsWith('Mb') ? ' MB' : ' ms';
  console.log(
    `${k.padEnd(14)} ${`${base[k].toFixed(1)}${unit}`.padStart(14)} ${`${big[k].toFixed(1)}${unit}`.padStart(16)} ${(big[k] / base[k]).toFixed(1).padStart(7)}x`,
  );
}
await launched?.close();
console.log(
  `Targets at 100,000: first grid < 1000 ms (API ${big.firstGrid.toFixed(0)}, in Chromium ${big.pageGrid.toFixed(0)}), filter and sort < 300 ms (API ${big.filter.toFixed(0)}, ${big.sort.toFixed(0)}; in Chromium ${big.pageFilter.toFixed(0)}, ${big.pageSort.toFixed(0)}; filter timed through Playwright ${big.pageFilterTrip.toFixed(0)}); facets ${big.facets.toFixed(0)} ms`,
);
