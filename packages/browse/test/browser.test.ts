import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type LaunchedChromium, launchChromium } from '@growset/browser';
import { writeReport } from '@growset/report';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowseServer, exportStatic, startBrowseServer } from '../src/index.ts';
import { writeFixture } from './helpers/fixture.ts';
import { penguinStudy } from './helpers/penguins.ts';

let dir: string;
let server: BrowseServer;
let browser: Browser;
let launched: LaunchedChromium | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-browse-ui-'));
  await writeFixture(dir);
  server = await startBrowseServer(dir, { cacheDir: join(dir, '.cache') });
  launched = await launchChromium();
  browser = launched.browser;
});
afterAll(async () => {
  await launched?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Visit {
  page: Page;
  requests: string[];
  errors: string[];
}

/** Records every request and every console or page error of a new page in its own context. */
async function watch(options: { offline?: boolean } = {}): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, requests, errors };
}

async function visit(path = ''): Promise<Visit> {
  const visited = await watch();
  await visited.page.goto(server.url + path);
  await visited.page.getByTestId('grid').or(visited.page.getByTestId('lineage')).first().waitFor();
  return visited;
}

const count = (page: Page) => page.getByTestId('count').getAttribute('data-count').then(Number);
const column = (page: Page, name: string) =>
  page.locator(`[data-testid="grid"] tbody td[data-column="${name}"]`).allTextContents();

describe('growset browse in real Chromium', () => {
  it('renders the grid with decoded thumbnails; a filter and a sort change the count and the order; the URL keeps the view', async () => {
    const { page, requests, errors } = await visit();
    expect(await count(page)).toBe(26);
    await page.waitForFunction(() => {
      const doc = (
        globalThis as unknown as {
          document: { querySelectorAll(s: string): ArrayLike<{ complete: boolean; naturalWidth: number }> };
        }
      ).document;
      const imgs = Array.from(doc.querySelectorAll('[data-testid="grid"] img'));
      // Thumbnails load lazily: the first screenful must be decoded.
      return imgs.length >= 24 && imgs.slice(0, 10).every((i) => i.complete && i.naturalWidth > 0);
    });
    expect(await page.getByTestId('cell').count()).toBeGreaterThan(26 * 5);

    await page.getByTestId('filter').fill('width >= 20 and label in (cat, dog)');
    await page.getByTestId('filter').press('Enter');
    await expect.poll(() => count(page)).toBe(13);
    await page.locator('th[data-column="width"]').click();
    await page.locator('th[data-column="width"]').click();
    await expect.poll(async () => (await column(page, 'width')).map(Number)[0]).toBe(36);
    const widths = (await column(page, 'width')).map(Number);
    expect(widths).toEqual([...widths].sort((a, b) => b - a));
    await page.locator('th[data-column="id"]').click({ modifiers: ['Shift'] });
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-width,id');
    expect(new URL(page.url()).searchParams.get('q')).toBe('width >= 20 and label in (cat, dog)');

    await page.reload();
    await expect.poll(() => count(page)).toBe(13);
    expect((await column(page, 'width')).map(Number)).toEqual(widths);
    expect(await page.getByTestId('filter').inputValue()).toBe('width >= 20 and label in (cat, dog)');

    await page.screenshot({ path: join(dir, 'grid.png') });
    expect(errors).toEqual([]);
    expect(requests.every((u) => u.startsWith(server.url))).toBe(true);
    await page.context().close();
  });

  it('a facet click filters by that value, and a bad expression shows its error without breaking the grid', async () => {
    const { page, errors } = await visit();
    await page.locator('[data-testid="facet"][title="reason = truncated image"]').click();
    await expect.poll(() => count(page)).toBe(1);
    await page.getByTestId('filter').fill('colour = red');
    await page.getByTestId('filter').press('Enter');
    await expect.poll(() => page.locator('#error').textContent()).toContain('Unknown column `colour`');
    expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
    await page.context().close();
  });

  it('a sample page shows the full image with its boxes, and its lineage: the original and every augmented copy', async () => {
    const { page, requests, errors } = await visit(`?q=${encodeURIComponent('id = "cat/cat0~aug1"')}`);
    await expect.poll(() => count(page)).toBe(1);
    await page.locator('[data-testid="grid"] tbody tr').first().click();
    const lineage = page.getByTestId('lineage');
    await lineage.waitFor();
    await expect.poll(() => lineage.locator('a').count()).toBe(3);
    await expect.poll(() => lineage.locator('a.original').textContent()).toContain('cat/cat0');
    await expect
      .poll(() => lineage.locator('a.current').textContent())
      .toContain('augment(angle=10, flip=false)');
    expect(new URL(page.url()).searchParams.get('sample')).not.toBeNull();

    await lineage.locator('a.original').click();
    await page.getByTestId('overlay').waitFor();
    expect(await page.locator('[data-testid="overlay"] rect').count()).toBe(1);
    expect(await page.locator('[data-testid="overlay"] circle').count()).toBe(1);
    expect(errors).toEqual([]);
    expect(requests.every((u) => u.startsWith(server.url))).toBe(true);
    await page.context().close();
  });

  it('a static export opens from disk: thumbnails, the same filter language, lineage, no network', async () => {
    const out = join(dir, 'export');
    const summary = await exportStatic(dir, out, { cacheDir: join(dir, '.cache') });
    expect(summary).toMatchObject({ rows: 26, thumbnails: 24 });
    const { page, requests, errors } = await watch({ offline: true });
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    await page.getByTestId('grid').waitFor();
    expect(await count(page)).toBe(26);
    await page.getByTestId('filter').fill('width >= 20 and label in (cat, dog)');
    await page.getByTestId('filter').press('Enter');
    await expect.poll(() => count(page)).toBe(13);
    await page.locator('th[data-column="width"]').click();
    await page.locator('th[data-column="width"]').click();
    await expect.poll(async () => (await column(page, 'width')).map(Number)[0]).toBe(36);
    await page.locator('[data-testid="grid"] tbody tr').first().click();
    await page.getByTestId('lineage').waitFor();
    expect(await page.getByTestId('lineage').locator('a').count()).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([]);
    expect(requests.every((u) => u.startsWith('file://'))).toBe(true);
    await page.context().close();
  });
});

// An output folder (images, manifest, quarantine) with a study report beside it, whose gallery
// names two samples (one in the dataset, one not) and whose quarantine counts name three reasons
// (two in quarantine.jsonl, one not).
describe('a study report served by growset browse', () => {
  let reportDir: string;
  let served: BrowseServer;
  beforeAll(async () => {
    reportDir = join(dir, 'with-report');
    await writeFixture(reportDir);
    const results = await penguinStudy({
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
    });
    await writeReport(results, join(reportDir, 'report.html'));
    served = await startBrowseServer(reportDir, { cacheDir: join(reportDir, '.cache') });
  }, 60_000);
  afterAll(async () => {
    await served?.close();
  });

  const reasonLink = (page: Page, reason: string) => page.locator(`a[data-browse-reason="${reason}"]`);

  it('links gallery images to their sample page and quarantine counts to their reason, in real Chromium', async () => {
    const { page, requests, errors } = await watch();
    await page.goto(`${served.url}report.html`);
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
    for (const url of requests) expect(url.startsWith(served.url) || url.startsWith('data:')).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('opened from disk, the same report has no links (none broken) and loads nothing', async () => {
    const { page, requests, errors } = await watch({ offline: true });
    await page.goto(pathToFileURL(join(reportDir, 'report.html')).href);
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
