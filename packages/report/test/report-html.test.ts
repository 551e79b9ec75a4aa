import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionsError, type ProgressEvent } from '@growset/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, renderReport, type StudyResults, writeReport } from '../src/index.ts';
import { syntheticStudy } from './helpers/study-results.ts';

let dir: string;
let results: StudyResults;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-report-html-'));
  results = await syntheticStudy({ galleryDir: dir });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const chartIds = (html: string) =>
  [...html.matchAll(/<figure class="chart" data-chart="([^"]+)">/g)].map((m) => m[1]);

describe('renderReport', () => {
  it('draws all five charts as inline SVG with marks, from realistic results', async () => {
    const built = await buildReport(results, { resultsDir: dir });
    expect(built.charts.map((c) => [c.id, c.rendered])).toEqual([
      ['learning-curves', true],
      ['gap', true],
      ['comparison', true],
      ['data-equivalents', true],
      ['projection', true],
    ]);
    expect(chartIds(built.html)).toEqual([
      'learning-curves',
      'gap',
      'comparison',
      'data-equivalents',
      'projection',
    ]);
    const figures = built.html.split('<figure class="chart"').slice(1);
    for (const figure of figures) {
      const svg = figure.slice(figure.indexOf('<svg'), figure.indexOf('</svg>'));
      expect(svg.length).toBeGreaterThan(1000);
      expect(svg).toMatch(/class="mark-(line|rect|rule|symbol|area)/);
    }
    expect(built.warnings).toEqual([]);
    expect(built.galleryImages).toBe(8);
  });

  it('gives the same bytes for the same results', async () => {
    const a = await renderReport(results, { resultsDir: dir });
    const b = await renderReport(results, { resultsDir: dir });
    expect(a).toBe(b);
  });

  it('is self-contained: no scripts, no stylesheets or images from URLs, unique element ids', async () => {
    const html = await renderReport(results, { resultsDir: dir });
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/url\((['"]?)(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('frames the curves, not the wide intervals of two seeds, clipping bands with stable, resolvable ids', async () => {
    const twoSeeds = await syntheticStudy({ seeds: [1, 2], failedTrial: null });
    const html = await renderReport(twoSeeds);
    expect(html).toContain('Intervals that reach past the plot are cut at its edge');
    const clipIds = [...html.matchAll(/<clipPath id="([^"]+)"/g)].map((m) => m[1]);
    expect(clipIds.length).toBeGreaterThan(0);
    const refs = [...html.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(clipIds).toContain(ref);
    expect(clipIds.every((id) => /^(learning-curves|comparison)-\d+$/.test(id!))).toBe(true);
    // vega numbers clip paths with a process-wide counter; the report renumbers them per chart.
    expect(await renderReport(twoSeeds)).toBe(html);
  });

  it('puts the verdicts first, in plain words, and calls out the failed trial', async () => {
    const html = await renderReport(results, { resultsDir: dir });
    const verdicts = html.indexOf('id="verdicts"');
    expect(verdicts).toBeGreaterThan(0);
    expect(verdicts).toBeLessThan(html.indexOf('data-chart="learning-curves"'));
    for (const v of results.verdicts) expect(html).toContain(v);
    expect(html).toContain('1 of 60 trials failed');
    expect(html).toContain('Worker exited with code 134: out of memory, &quot;tensor&quot; too large');
  });

  it('escapes text from the results instead of interpreting it as markup', async () => {
    const hostile = structuredClone(results);
    hostile.verdicts = ['<script>alert("x")</script> wins'];
    hostile.name = 'a & b <i>';
    hostile.config.variants[1]!.description = '<img src=x onerror=alert(1)>';
    const html = await renderReport(hostile, { resultsDir: dir });
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; wins');
    expect(html).toContain('<title>Study: a &amp; b &lt;i&gt;</title>');
  });

  it('renders the cleaning, quarantine and scrape summaries as tables, with a quarantine total', async () => {
    const html = await renderReport(results, { resultsDir: dir });
    const data = html.slice(html.indexOf('id="data"'), html.indexOf('id="trials"'));
    expect(data).toContain('<h3>Scraping</h3>');
    expect(data).toContain('<h3>Cleaning</h3>');
    expect(data).toContain('<h3>Quarantine</h3>');
    expect(data).toMatch(
      /<th scope="col">stage<\/th><th scope="col">reason<\/th><th scope="col" class="num">count<\/th>/,
    );
    expect(data).toContain('<td>undecodable image</td>');
    expect(data).toContain('<strong>total</strong>');
    expect(data).toContain('<strong>8</strong>'); // 3 + 5 quarantined
    expect(data).toContain('pages visited');
    expect(data).toContain('flipper_length_mm');
  });

  it('renders odd context shapes without throwing: deep nesting, long lists, mixed arrays, empty values', async () => {
    const odd = structuredClone(results);
    odd.context = {
      cleaning: { a: { b: { c: { d: { e: { f: 'deep' } } } } }, list: [1, 'two', null, true], empty: {} },
      quarantine: Array.from({ length: 250 }, (_, i) => ({ stage: `s${i}`, reason: 'r', count: 1 })),
      scrape: [[1, 2], { x: 1 }, 'text'],
      extra: 42,
    };
    const built = await buildReport(odd, { resultsDir: dir });
    expect(built.html).toContain('{&quot;e&quot;:{&quot;f&quot;:&quot;deep&quot;}}');
    expect(built.html).toContain('1, two, null, yes');
    expect(built.html).toContain('… and 50 more not shown.');
    expect(built.html).toContain('<h3>extra</h3>42');
    expect(built.html).toContain('The results hold no gallery');
  });

  it('shows a placeholder and a warning for each gallery image it cannot inline, and keeps going', async () => {
    const tiff = join(dir, 'gallery', 'scan.tiff');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
      .tiff()
      .toFile(tiff);
    await writeFile(join(dir, 'gallery', 'notes.txt'), 'not an image');
    const big = join(dir, 'gallery', 'big.png');
    await sharp({ create: { width: 200, height: 200, channels: 3, background: '#123' } })
      .png({ compressionLevel: 0 })
      .toFile(big);
    const odd = structuredClone(results);
    odd.context = {
      gallery: [
        {
          title: 'Mixed',
          original: 'gallery/original-0.png',
          augmented: ['gallery/missing.png', 'gallery/scan.tiff', 'gallery/notes.txt', 'gallery/big.png'],
        },
        { title: 'Broken entry', augmented: [] },
      ],
    };
    const built = await buildReport(odd, { resultsDir: dir, maxImageBytes: 100_000 });
    expect(built.galleryImages).toBe(1);
    expect(built.warnings).toEqual([
      `Gallery image gallery/missing.png (${join(dir, 'gallery/missing.png')}): file not found`,
      `Gallery image gallery/scan.tiff (${tiff}): TIFF images cannot be shown by browsers`,
      `Gallery image gallery/notes.txt (${join(dir, 'gallery/notes.txt')}): not a recognized image format`,
      expect.stringMatching(
        /^Gallery image gallery\/big\.png \(.*\): 117\.\d KB, over the 97\.7 KB limit per image$/,
      ),
      'context.gallery[1].original: Invalid input: expected string, received undefined; entry skipped',
    ]);
    expect(built.html).toContain('gallery/missing.png: file not found');
    expect(built.html).toContain('id="notes"');
    expect(built.html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(1);
  });

  it('says why a chart does not apply instead of drawing an empty one', async () => {
    const bare = structuredClone(results);
    bare.config.targetAccuracy = null;
    bare.config.variants = bare.config.variants.map(({ baseline: _b, ...v }) => v);
    bare.config.variants[0]!.name = 'reference';
    bare.summaries[0]!.variant = 'reference';
    for (const t of bare.trials) if (t.variant === 'baseline') t.variant = 'reference';
    for (const s of bare.summaries) s.dataEquivalents = [];
    const built = await buildReport(bare, { resultsDir: dir });
    expect(built.charts.filter((c) => !c.rendered).map((c) => [c.id, c.reason])).toEqual([
      ['comparison', 'No variant is marked as the baseline, so there is nothing to compare with.'],
      ['data-equivalents', 'The results hold no data equivalents (no baseline curve to compare with).'],
      ['projection', 'The study set no target accuracy.'],
    ]);
    expect(built.html).toContain('<p class="skipped">The study set no target accuracy.</p>');
  });

  it('still renders a report when every trial failed', async () => {
    const failed = structuredClone(results);
    for (const t of failed.trials) {
      t.ok = false;
      delete t.train;
      delete t.test;
      t.error = 'backend unavailable';
    }
    for (const s of failed.summaries) {
      s.curve = null;
      s.dataEquivalents = [];
      s.projectedSizeForTarget = null;
      for (const z of s.sizes) {
        for (const spread of [z.testAccuracy, z.trainAccuracy, z.gap])
          Object.assign(spread, { mean: Number.NaN, std: Number.NaN, ci95: [Number.NaN, Number.NaN], n: 0 });
        z.verdict = 'unknown';
      }
    }
    const built = await buildReport(failed, { resultsDir: dir });
    expect(built.charts.every((c) => !c.rendered)).toBe(true);
    expect(built.html).toContain('No trial succeeded, so there is no curve to draw.');
    expect(built.html).toContain('60 of 60 trials failed');
  });

  it('reports progress as task events and rejects bad options by name', async () => {
    const events: ProgressEvent[] = [];
    await renderReport(results, { resultsDir: dir, onProgress: (e) => events.push(e) });
    expect(events.at(-1)).toEqual({ type: 'task', task: 'report', done: 7, total: 7, message: 'html' });
    await expect(renderReport(results, { maxImageBytes: -1 })).rejects.toThrow(OptionsError);
    await expect(renderReport(results, { maxImageBytes: -1 })).rejects.toThrow('`maxImageBytes`');
  });
});

describe('writeReport', () => {
  it('writes the file atomically and resolves gallery paths against its own folder by default', async () => {
    const path = join(dir, 'report.html');
    const written = await writeReport(results, path);
    expect(written.path).toBe(path);
    expect(written.galleryImages).toBe(8);
    const text = await readFile(path, 'utf8');
    expect(Buffer.byteLength(text)).toBe(written.bytes);
    expect(text.startsWith('<!doctype html>')).toBe(true);
  });
});
