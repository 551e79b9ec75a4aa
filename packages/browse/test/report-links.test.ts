import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_FLAGS, findChromium, type Sample, type TabularPayload } from '@growset/core';
import { loadVegaDataset } from '@growset/fixtures';
import { writeReport } from '@growset/report';
import { runStudy, standardVariants, studyDataFromSamples } from '@growset/study';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowseServer, startBrowseServer } from '../src/index.ts';
import { writeFixture } from './helpers/fixture.ts';

// An output folder (images, manifest, quarantine) with a study report beside it, whose gallery
// names two samples (one in the dataset, one not) and whose quarantine counts name three reasons
// (two in quarantine.jsonl, one not).

let dir: string;
let server: BrowseServer;
let browser: Browser;

beforeAll(async () => {
  const found = findChromium();
  if (!found) throw new Error('No Chromium found: set GROWSET_CHROMIUM or install Debian chromium');
  dir = await mkdtemp(join(tmpdir(), 'growset-browse-report-'));
  await writeFixture(dir);
  const rows = await loadVegaDataset('penguins');
  const samples: Sample<TabularPayload>[] = rows.flatMap((row, i) => {
    const { Species, ...values } = row as { Species: unknown; [column: string]: unknown };
    if (typeof Species !== 'string' || Object.values(values).some((v) => v === null || v === undefined))
      return [];
    const payload = { kind: 'tabular', values: values as TabularPayload['values'] } as const;
    return [{ id: `penguins#${i}`, label: Species, payload, lineage: [] }];
  });
  const { data } = await studyDataFromSamples(samples as Sample<unknown>[], { name: 'penguins' });
  const results = await runStudy(data, {
    name: 'penguins',
    testSize: 30,
    trainSizes: [15, 30],
    seeds: 2,
    workers: 0,
    bootstrapRounds: 20,
    context: {
      gallery: [
        {
          title: 'cat/cat0 (class cat)',
          id: 'cat/cat0',
          original: 'images/cat/cat0.png',
          augmented: ['images/cat/cat0~aug0.png', 'images/cat/cat0~aug1.png'],
        },
        {
          title: 'a sample of another dataset',
          id: 'elsewhere/1',
          original: 'images/dog/dog0.png',
          augmented: [],
        },
      ],
      quarantine: [
        { stage: 'check-images', reason: 'truncated image', count: 1 },
        { stage: 'check-images', reason: 'empty file', count: 1 },
        { stage: 'read-csv', reason: 'ragged row', count: 3 },
      ],
    },
    variants: standardVariants(['baseline', 'majority'], {
      task: 'tabular',
      base: { model: 'logistic' },
      categorical: true,
    }),
  });
  await writeReport(results, join(dir, 'report.html'));
  server = await startBrowseServer(dir, { cacheDir: join(dir, '.cache') });
  browser = await chromium.launch({ executablePath: found.path, headless: true, args: [...CHROMIUM_FLAGS] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function open(url: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return { page, requests, errors };
}

const reasonLink = (page: Page, reason: string) => page.locator(`a[data-browse-reason="${reason}"]`);

describe('a study report served by growset browse', () => {
  it('links gallery images to their sample page and quarantine counts to their reason, in real Chromium', async () => {
    const { page, requests, errors } = await open(`${server.url}report.html`);
    // Three images of cat/cat0 link to its page; the sample the dataset lacks, and the reason it
    // lacks, stay plain text.
    expect(await page.locator('#gallery a.browse-link img').count()).toBe(3);
    expect(await page.locator('a[data-browse-sample="elsewhere/1"]').count()).toBe(0);
    expect(await page.locator('[data-browse-sample="elsewhere/1"]').count()).toBe(0);
    expect(await reasonLink(page, 'truncated image').textContent()).toBe('1');
    expect(await reasonLink(page, 'ragged row').count()).toBe(0);

    await page.locator('#gallery a.browse-link').first().click();
    await page.getByTestId('lineage').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.getByTestId('count').textContent()).toBe('sample cat/cat0');
    // Its lineage: the original and its two augmented copies.
    expect(await page.locator('[data-testid="lineage"] a').count()).toBe(3);

    await page.goBack();
    await reasonLink(page, 'truncated image').click();
    await page.getByTestId('grid').waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('reason = "truncated image"');
    await expect.poll(() => page.getByTestId('count').getAttribute('data-count')).toBe('1');
    expect(await page.locator('[data-testid="grid"] td[data-column="reason"]').allTextContents()).toEqual([
      'truncated image',
    ]);
    // And back from the grid to the report.
    expect(await page.getByTestId('report-link').getAttribute('href')).toBe('/report.html');

    expect(requests.length).toBeGreaterThan(5);
    for (const url of requests) expect(url.startsWith(server.url) || url.startsWith('data:')).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('opened from disk, the same report has no links (none broken) and loads nothing', async () => {
    const { page, requests, errors } = await open(pathToFileURL(join(dir, 'report.html')).href);
    expect(await page.locator('a.browse-link').count()).toBe(0);
    expect(await page.locator('span.browse-link img').count()).toBe(4);
    for (const href of await page
      .locator('a[href]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
      expect(href).toMatch(/^#/);
    expect(requests.every((u) => u.startsWith('file:') || u.startsWith('data:'))).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
