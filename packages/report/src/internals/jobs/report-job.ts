import { dirname, join, relative, resolve } from 'node:path';
import type { JobContext, JobResult, JsonObject } from '@growset/core';
import { screenshotReport } from '../browser/screenshot.ts';
import { writeReport } from '../report/build.ts';
import { readResults } from '../results/read.ts';

/** What `growset report` runs. */
export interface ReportJobOptions {
  /** The study's `results.json`; gallery paths in it resolve against its folder. */
  results: string;
  /** Where to write the report. @default `report.html` beside `results` */
  out?: string;
  /** Also save a full-page PNG of the report here, through headless Chromium. */
  screenshot?: string;
  /** Paths in `text` are shown relative to this folder when inside it. @default process.cwd() */
  cwd?: string;
}

/** The summary of a report job (the `--json` line of `growset report`). */
export type ReportJobSummary = JsonObject & {
  results: string;
  out: string;
  bytes: number;
  /** Charts drawn. */
  charts: number;
  /** Ids of the charts not drawn (do not apply, or failed to render). */
  chartsSkipped: string[];
  galleryImages: number;
  trials: number;
  failedTrials: number;
  variants: number;
  verdicts: string[];
  warnings: string[];
  screenshot?: string;
};

export type ReportJobFiles = { report: string; screenshot?: string | undefined };

/**
 * Reads and validates a study's `results.json`, writes the self-contained HTML report, and
 * optionally a screenshot of it: the work behind `growset report`. A missing or invalid results
 * file throws `ResultsFileError`; problems that do not stop the report are logged as warnings and
 * listed in `summary.warnings`.
 */
export async function runReportJob(
  options: ReportJobOptions,
  context: JobContext = {},
): Promise<JobResult<ReportJobSummary, ReportJobFiles>> {
  const cwd = options.cwd ?? process.cwd();
  const input = resolve(cwd, options.results);
  const results = await readResults(input);
  const out = resolve(cwd, options.out ?? join(dirname(input), 'report.html'));
  const written = await writeReport(results, out, {
    resultsDir: dirname(input),
    ...(context.onProgress ? { onProgress: context.onProgress } : {}),
  });
  for (const warning of written.warnings) context.logger?.warn(warning);
  let screenshot: string | undefined;
  if (options.screenshot !== undefined) {
    screenshot = resolve(cwd, options.screenshot);
    const shot = await screenshotReport(out, screenshot);
    for (const e of shot.consoleErrors) context.logger?.warn(`Browser console error: ${e}`);
  }
  const failed = results.trials.filter((t) => !t.ok).length;
  const show = (path: string) => {
    const rel = relative(cwd, path);
    return rel === '' || rel.startsWith('..') ? path : rel;
  };
  const lines = [
    `Report for \`${results.name}\`: ${results.trials.length} trials (${failed} failed), ${results.summaries.length} variants`,
    `Charts: ${written.charts.map((c) => `${c.id}${c.rendered ? '' : ' (not drawn)'}`).join(', ')}`,
    `Gallery images: ${written.galleryImages}${written.warnings.length > 0 ? `; ${written.warnings.length} warning(s) noted in the report` : ''}`,
    ...results.verdicts.slice(0, 3).map((v) => `- ${v}`),
    `Wrote ${show(out)} (${Math.round(written.bytes / 1024)} KB)${screenshot ? ` and ${show(screenshot)}` : ''}`,
  ];
  return {
    summary: {
      results: input,
      out,
      bytes: written.bytes,
      charts: written.charts.filter((c) => c.rendered).length,
      chartsSkipped: written.charts.filter((c) => !c.rendered).map((c) => c.id),
      galleryImages: written.galleryImages,
      trials: results.trials.length,
      failedTrials: failed,
      variants: results.summaries.length,
      verdicts: results.verdicts,
      warnings: written.warnings,
      ...(screenshot ? { screenshot } : {}),
    },
    files: { report: out, ...(screenshot ? { screenshot } : {}) },
    text: `${lines.join('\n')}\n`,
  };
}
