import { dirname, resolve } from 'node:path';
import { errorMessage, type ProgressListener, parseOptions, writeFileAtomic } from '@growset/core';
import { z } from 'zod';
import type { StudyResults } from '../results/types.ts';
import { planCharts } from './charts/plan.ts';
import { renderSvg } from './charts/render.ts';
import type { ChartDefinition, ChartPlan } from './charts/shared.ts';
import { type GalleryEntry, loadGallery } from './gallery.ts';
import { html, type SafeHtml, trusted } from './html.ts';
import { configSection } from './sections/config.ts';
import { contextSection } from './sections/context.ts';
import { gallerySection } from './sections/gallery.ts';
import { headerSection, verdictSection } from './sections/overview.ts';
import { fitsTable, summaryTable, trialsTable } from './sections/tables.ts';
import { studyView } from './study-view.ts';
import { REPORT_CSS } from './style.ts';

export interface ReportOptions {
  /**
   * Folder that relative paths in the results (gallery images) are resolved against: the folder
   * holding `results.json`.
   * @default process.cwd() for `renderReport`; the report's own folder for `writeReport`
   */
  resultsDir?: string;
  /** Page title and heading. @default `Study: <results.name>` */
  title?: string;
  /** A gallery image larger than this is shown as a placeholder, not inlined. @default 2097152 (2 MiB) */
  maxImageBytes?: number;
  /** Images stop being inlined once the gallery holds this many bytes. @default 20971520 (20 MiB) */
  maxGalleryBytes?: number;
  /** `task` events (`report`) as the charts and the gallery are built. */
  onProgress?: ProgressListener;
}

const optionsSchema = z.strictObject({
  resultsDir: z.string().min(1).optional(),
  title: z.string().min(1).optional(),
  maxImageBytes: z
    .number()
    .int()
    .positive()
    .default(2 * 1024 * 1024),
  maxGalleryBytes: z
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  onProgress: z.custom<ProgressListener>((v) => typeof v === 'function').optional(),
});

/** How one chart of the report came out. */
export interface ChartOutcome {
  id: string;
  title: string;
  /** Whether an SVG is in the report. */
  rendered: boolean;
  /** Why not, when it is not (does not apply to these results, or failed to render). */
  reason?: string;
}

/** A rendered report and what went into it. */
export interface BuiltReport {
  html: string;
  charts: ChartOutcome[];
  /** Gallery images inlined (originals and augmented copies). */
  galleryImages: number;
  /** Problems that did not stop the report (a missing gallery image, a chart that failed); also shown in it. */
  warnings: string[];
}

/**
 * Builds the self-contained HTML report: charts rendered to inline SVG now, in Node (the page
 * needs no script and no network to show them), gallery images inlined as data URIs, every table
 * in plain HTML. Nothing in the results can make it throw: problems become warnings shown in the
 * report. The same results and options give byte-identical HTML.
 */
export async function buildReport(results: StudyResults, options: ReportOptions = {}): Promise<BuiltReport> {
  const opts = parseOptions(optionsSchema, options, 'ReportOptions');
  const warnings: string[] = [];
  const warn = (message: string) => warnings.push(message);
  const view = studyView(results);
  const plans = planCharts(view);
  const total = plans.length + 2;
  let done = 0;
  const progress = (message: string) => {
    done += 1;
    opts.onProgress?.({ type: 'task', task: 'report', done, total, message });
  };

  const charts: ChartOutcome[] = [];
  const chartParts: SafeHtml[] = [];
  for (const plan of plans) {
    const { part, outcome } = await renderChart(plan, warn);
    charts.push(outcome);
    chartParts.push(part);
    progress(`chart ${plan.id}`);
  }

  const context = results.context as { [key: string]: unknown } | undefined;
  let gallery: GalleryEntry[] = [];
  try {
    gallery = await loadGallery(
      context?.gallery,
      resolve(opts.resultsDir ?? process.cwd()),
      { maxImageBytes: opts.maxImageBytes, maxGalleryBytes: opts.maxGalleryBytes },
      warn,
    );
  } catch (error) {
    warn(`Gallery could not be built: ${errorMessage(error)}`);
  }
  const galleryImages = gallery.reduce(
    (n, e) => n + (e.original.dataUri ? 1 : 0) + e.augmented.filter((a) => a.dataUri).length,
    0,
  );
  progress('gallery');

  const title = opts.title ?? `Study: ${results.name}`;
  const contents: [string, string][] = [
    ['verdicts', 'Verdicts'],
    ...plans.map((p): [string, string] => [p.id, p.title]),
    ['summary', 'Results by size'],
    ['fits', 'Fitted curves'],
    ['gallery', 'Augmentation gallery'],
    ['data', 'Data'],
    ['trials', 'All trials'],
    ['config', 'Configuration'],
  ];
  const section = (id: string, heading: string, body: SafeHtml) =>
    html`<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${heading}</h2>${body}</section>\n`;
  const body = html`${headerSection(view, title, contents)}
${verdictSection(view)}
${chartParts}
${section('summary', 'Results by variant and size', summaryTable(view))}
${section('fits', 'Fitted curves', fitsTable(view))}
${section('gallery', 'Augmentation gallery: originals beside augmented copies', gallerySection(gallery))}
${section('data', 'Data: scraping, cleaning and quarantine', contextSection(context))}
${section('trials', 'All trials', trialsTable(results))}
${section('config', 'Configuration, versions and backend', configSection(results))}
${warnings.length > 0 ? section('notes', 'Notes on this report', html`<ul>${warnings.map((w) => html`<li>${w}</li>`)}</ul>`) : ''}
<footer>Generated by @growset/report from the study results (schema version ${String(results.schemaVersion)}). Charts are static SVG rendered with Vega-Lite; this page loads nothing from the network.</footer>`;
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@growset/report">
<title>${html`${title}`.value}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${body.value}
</main>
</body>
</html>
`;
  progress('html');
  return { html: page, charts, galleryImages, warnings };
}

async function renderChart(
  plan: ChartPlan,
  warn: (message: string) => void,
): Promise<{ part: SafeHtml; outcome: ChartOutcome }> {
  const heading = html`<h2 id="${plan.id}-h">${plan.title}</h2>`;
  const wrap = (inner: SafeHtml) =>
    html`<section id="${plan.id}" class="chart-section" aria-labelledby="${plan.id}-h">${heading}${inner}</section>\n`;
  if (!('spec' in plan)) {
    return {
      part: wrap(html`<p class="skipped">${plan.skipped}</p>`),
      outcome: { id: plan.id, title: plan.title, rendered: false, reason: plan.skipped },
    };
  }
  const chart: ChartDefinition = plan;
  try {
    const svg = await renderSvg(chart.spec, `${chart.id}-`);
    return {
      part: wrap(
        html`<figure class="chart" data-chart="${chart.id}"><div class="chart-svg" role="img" aria-label="${chart.alt}">${trusted(svg)}</div><figcaption>${chart.caption}</figcaption></figure>`,
      ),
      outcome: { id: chart.id, title: chart.title, rendered: true },
    };
  } catch (error) {
    const reason = `the chart could not be rendered: ${errorMessage(error)}`;
    warn(`Chart "${chart.title}": ${reason}`);
    return {
      part: wrap(html`<p class="skipped">${reason}</p>`),
      outcome: { id: chart.id, title: chart.title, rendered: false, reason },
    };
  }
}

/** The report as one HTML string. See {@link buildReport}. */
export async function renderReport(results: StudyResults, options: ReportOptions = {}): Promise<string> {
  return (await buildReport(results, options)).html;
}

/** What {@link writeReport} wrote. */
export interface WrittenReport extends Omit<BuiltReport, 'html'> {
  path: string;
  bytes: number;
}

/**
 * Writes the report to `path` atomically. Relative gallery paths resolve against
 * `options.resultsDir`, by default the report's folder (write it beside `results.json`).
 */
export async function writeReport(
  results: StudyResults,
  path: string,
  options: ReportOptions = {},
): Promise<WrittenReport> {
  const built = await buildReport(results, {
    ...options,
    resultsDir: options.resultsDir ?? dirname(resolve(path)),
  });
  const data = Buffer.from(built.html, 'utf8');
  await writeFileAtomic(path, data);
  const { html: _html, ...rest } = built;
  return { path, bytes: data.length, ...rest };
}
