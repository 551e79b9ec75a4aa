import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type LaunchedChromium, launchChromium } from '@growset/browser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowseServer, exportStatic, startBrowseServer } from '../src/index.ts';
import { writeFixture } from './helpers/fixture.ts';

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

async function visit(path = ''): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + path);
  await page.getByTestId('grid').or(page.getByTestId('lineage')).first().waitFor();
  return { page, requests, errors };
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
    const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(e.message));
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
    await context.close();
  });
});
