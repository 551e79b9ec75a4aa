import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type LaunchedChromium, launchChromium } from '@growset/browser';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults, type StudyResults, screenshotReport, writeReport, writeResults } from '../src/index.ts';
import type { BrowserGlobals, DomImage } from './helpers/dom.ts';
import { syntheticStudy } from './helpers/study-results.ts';

let dir: string;
let reportPath: string;
let results: StudyResults;
let browser: Browser;
let launched: LaunchedChromium | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-report-browser-'));
  const study = await syntheticStudy({ galleryDir: dir });
  const written = await writeResults(study, dir);
  // Rebuild from disk, as `growset report` does: the report must work from results.json alone.
  results = await readResults(written.json);
  reportPath = join(dir, 'report.html');
  await writeReport(results, reportPath);
  launched = await launchChromium();
  browser = launched.browser;
});
afterAll(async () => {
  await launched?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Visit {
  page: Page;
  requests: string[];
  consoleErrors: string[];
}

/** Opens the report offline, recording every request and every console or page error. */
async function visit(): Promise<Visit> {
  const context = await browser.newContext({ offline: true, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });
  return { page, requests, consoleErrors };
}

describe('report.html in real Chromium', () => {
  it('renders every chart with its marks, decodes every gallery image, with no errors and no network', async () => {
    const { page, requests, consoleErrors } = await visit();
    const charts = await page.evaluate(() => {
      const { document } = globalThis as unknown as BrowserGlobals;
      return [...document.querySelectorAll('figure.chart')].map((figure) => {
        const svg = figure.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        const marks = (kind: string) =>
          figure.querySelectorAll(`g.mark-${kind}.role-mark > path, g.mark-${kind}.role-mark > line`).length;
        return {
          id: figure.getAttribute('data-chart'),
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          label: figure.querySelector('[role="img"]')?.getAttribute('aria-label') ?? '',
          lines: marks('line'),
          areas: marks('area'),
          bars: marks('rect'),
          rules: marks('rule'),
          symbols: marks('symbol'),
          texts: figure.querySelectorAll('g.mark-text.role-mark > text').length,
        };
      });
    });
    expect(charts.map((c) => c.id)).toEqual([
      'learning-curves',
      'gap',
      'comparison',
      'data-equivalents',
      'projection',
    ]);
    for (const c of charts) {
      expect(c.width, c.id!).toBeGreaterThan(300);
      expect(c.height, c.id!).toBeGreaterThan(80);
      expect(c.label.length, c.id!).toBeGreaterThan(40);
    }
    const byId = new Map(charts.map((c) => [c.id, c]));
    const variants = results.summaries.length; // 4
    const sizes = results.config.trainSizes.length; // 5
    // Learning curves: the fitted curve over the measured sizes and its (dashed) extrapolation per
    // variant, each with its band, and a dot per variant and size.
    expect(byId.get('learning-curves')!.lines).toBe(2 * variants);
    expect(byId.get('learning-curves')!.areas).toBe(2 * variants);
    expect(byId.get('learning-curves')!.symbols).toBe(variants * sizes);
    // Gap: one panel per variant, each with a train and a test line and a shaded gap.
    expect(byId.get('gap')!.lines).toBe(2 * variants);
    expect(byId.get('gap')!.areas).toBe(variants);
    // Comparison: a dot and an interval per treatment and size (the baseline is the reference),
    // and the zero line.
    expect(byId.get('comparison')!.symbols).toBe((variants - 1) * sizes);
    expect(byId.get('comparison')!.rules).toBe((variants - 1) * sizes + 1);
    const worthBars = results.summaries
      .flatMap((s) => s.dataEquivalents)
      .filter((d) => d.worth !== null).length;
    expect(worthBars).toBeGreaterThan(10);
    expect(byId.get('data-equivalents')!.bars).toBe(worthBars);
    expect(byId.get('data-equivalents')!.texts).toBe(worthBars);
    expect(byId.get('projection')!.symbols).toBe(variants);

    const images = await page.evaluate(() => {
      const { document } = globalThis as unknown as BrowserGlobals;
      return [...(document.querySelectorAll('#gallery img') as Iterable<DomImage>)].map((img) => ({
        alt: img.getAttribute('alt') ?? '',
        complete: img.complete,
        naturalWidth: img.naturalWidth,
        naturalHeight: img.naturalHeight,
      }));
    });
    expect(images).toHaveLength(8);
    for (const img of images) {
      expect(img.complete).toBe(true);
      expect(img.naturalWidth).toBe(64);
      expect(img.naturalHeight).toBe(48);
      expect(img.alt).toMatch(/^Digit \d: (original|augmented copy \d of 3)$/);
    }

    expect(consoleErrors).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([]);
    expect(requests.filter((url) => url.startsWith('file:'))).toEqual([pathToFileURL(reportPath).href]);
    await page.context().close();
  });

  it('is structured for screen readers: one h1, sections with headings, tables with header cells', async () => {
    const { page } = await visit();
    const outline = await page.evaluate(() => {
      const { document, getComputedStyle } = globalThis as unknown as BrowserGlobals;
      return {
        h1: document.querySelectorAll('h1').length,
        lang: document.documentElement.lang,
        unlabelledSections: [...document.querySelectorAll('section')].filter(
          (s) => !document.getElementById(s.getAttribute('aria-labelledby') ?? '')?.matches('h2'),
        ).length,
        tablesWithoutHeaders: [...document.querySelectorAll('table')].filter(
          (t) => t.querySelectorAll('th').length === 0,
        ).length,
        imagesWithoutAlt: [...document.querySelectorAll('img')].filter((i) => !i.getAttribute('alt')).length,
        verdicts: [...document.querySelectorAll('#verdicts li')].map((li) => li.textContent),
        textColor: getComputedStyle(document.body).color,
        background: getComputedStyle(document.body).backgroundColor,
      };
    });
    expect(outline.h1).toBe(1);
    expect(outline.lang).toBe('en');
    expect(outline.unlabelledSections).toBe(0);
    expect(outline.tablesWithoutHeaders).toBe(0);
    expect(outline.imagesWithoutAlt).toBe(0);
    expect(outline.verdicts).toEqual(results.verdicts);
    expect(outline.textColor).toBe('rgb(29, 29, 31)');
    expect(outline.background).toBe('rgb(255, 255, 255)');
    await page.context().close();
  });

  it('keeps the first column of a wide table in view while it scrolls sideways, in a narrow window', async () => {
    const context = await browser.newContext({ offline: true, viewport: { width: 640, height: 900 } });
    const page = await context.newPage();
    await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });
    const layout = await page.evaluate(() => {
      type Box = {
        scrollWidth: number;
        clientWidth: number;
        scrollLeft: number;
        getBoundingClientRect(): { left: number };
        querySelectorAll(selector: string): ArrayLike<Box>;
      };
      const { document } = globalThis as unknown as {
        document: { documentElement: Box; querySelectorAll(selector: string): ArrayLike<Box> };
      };
      const tables = Array.from(document.querySelectorAll('.wide')).map((box) => {
        const scrolls = box.scrollWidth > box.clientWidth + 1;
        box.scrollLeft = box.scrollWidth;
        const left = box.getBoundingClientRect().left;
        const cells = Array.from(box.querySelectorAll(':scope > table > * > tr > :first-child'));
        return {
          scrolls,
          scrolled: box.scrollLeft,
          cells: cells.length,
          // Where each first-column cell sits relative to the scrolled box: 0 when it stays in view.
          drift: Math.max(...cells.map((c) => Math.abs(c.getBoundingClientRect().left - left))),
        };
      });
      return { tables, pageWidth: document.documentElement.scrollWidth };
    });
    // The page itself never scrolls sideways: only the wide tables do.
    expect(layout.pageWidth).toBeLessThanOrEqual(640);
    const scrolling = layout.tables.filter((t) => t.scrolls);
    expect(scrolling.length).toBeGreaterThanOrEqual(2);
    for (const t of scrolling) {
      expect(t.scrolled).toBeGreaterThan(0);
      expect(t.cells).toBeGreaterThan(1);
      expect(t.drift).toBeLessThan(1);
    }
    await context.close();
  });

  it('saves a full-page screenshot with screenshotReport', async () => {
    const png = join(dir, 'shots', 'report.png');
    const shot = await screenshotReport(reportPath, png, { executablePath: launched!.chromium.path });
    expect(shot.blockedRequests).toEqual([]);
    expect(shot.consoleErrors).toEqual([]);
    expect((await stat(png)).size).toBe(shot.bytes);
    expect(shot.bytes).toBeGreaterThan(100_000);
    const meta = await sharp(await readFile(png)).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBe(1200);
    expect(meta.height).toBeGreaterThan(4000); // the whole page, not just the 800 px viewport
    // Not a blank page: the screenshot holds real colour (charts, swatches), not just white.
    const { channels } = await sharp(png).stats();
    expect(channels[0]!.stdev).toBeGreaterThan(10);
  });
});
