import { join } from 'node:path';
import { formatTable, type JobContext, type JobResult, type JsonObject } from '@growset/core';
import { type CrawlConfig, parseCrawlConfig, type ResolvedCrawlConfig } from '../config.ts';
import { type CrawlSummary, crawl } from '../crawl.ts';
import type { SharedFrontierFactory } from '../shared-frontier.ts';

export interface ScrapeJobOptions {
  /** The crawl config, as parsed from its JSON file (validated here) or already typed. */
  config: CrawlConfig | ResolvedCrawlConfig | unknown;
  /** Output folder (`images/`, `quarantine.jsonl`, `crawl-report.json`, `.crawl/`). */
  out: string;
  /** Forget an earlier crawl in `out` and start over. @default false */
  fresh?: boolean;
  /** Overrides the config's `engine` (a registered engine name or `auto`). */
  engine?: string;
  /** Share the crawl with other processes (`redisCrawlFrontier(url)` from `@growset/queue`). */
  shared?: SharedFrontierFactory;
}

/** The files a scrape writes, by role. */
export interface ScrapeJobFiles {
  [role: string]: string | undefined;
  images: string;
  manifest: string;
  quarantine: string;
  report: string;
}

/**
 * What `growset scrape` does: crawls `config` into `out` (resumable, see `crawl`) and returns
 * the crawl's summary, its files and a table for a terminal.
 */
export async function runScrapeJob(
  options: ScrapeJobOptions,
  context: JobContext = {},
): Promise<JobResult<CrawlSummary & JsonObject, ScrapeJobFiles>> {
  const raw = options.config;
  const isObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
  const config = parseCrawlConfig(
    options.engine === undefined || !isObject ? raw : { ...(raw as object), engine: options.engine },
  );
  const result = await crawl(config, {
    out: options.out,
    fresh: options.fresh === true,
    ...(options.shared ? { shared: options.shared } : {}),
    ...(context.signal ? { signal: context.signal } : {}),
    ...(context.logger ? { logger: context.logger } : {}),
    ...(context.onProgress ? { onProgress: context.onProgress } : {}),
  });
  const s = result.summary;
  return {
    summary: s as CrawlSummary & JsonObject,
    files: {
      images: s.imagesDir,
      manifest: s.manifest,
      quarantine: s.quarantine,
      report: join(s.out, 'crawl-report.json'),
    },
    text: describeCrawl(s),
  };
}

/** The terminal summary of a crawl: a table of counts, reasons, engine, time and paths. */
export function describeCrawl(s: CrawlSummary): string {
  if (s.status === 'already-finished') {
    return `Nothing to do: the crawl in ${s.out} already finished with ${s.items} items (use --fresh to start over).\n`;
  }
  const rows: [string, number][] = [
    ['items written', s.items],
    ['  new this run', s.newItems],
    ['  from an interrupted run', s.resumedItems],
    ['duplicate items', s.duplicates],
    ['quarantined', s.quarantined],
    ['pages fetched', s.pagesFetched],
    ['pages failed', s.pagesFailed],
    ['images fetched', s.assetsFetched],
    ['retries', s.retries],
  ];
  const reasons = (title: string, counts: { [reason: string]: number }) =>
    Object.keys(counts).length === 0
      ? []
      : [
          `${title}: ${Object.entries(counts)
            .map(([reason, n]) => `${reason} ${n}`)
            .join(', ')}`,
        ];
  return [
    formatTable(['crawl', 'count'], rows),
    ...reasons('Quarantined', s.quarantinedBy),
    ...reasons('Failures (retried ones included)', s.failures),
    ...reasons('Not visited', s.skipped),
    '',
    `Crawled with the ${s.engine} engine in ${(s.wallTimeMs / 1000).toFixed(1)} s (run ${s.runs}).`,
    `Images: ${s.imagesDir} (manifest ${s.manifest}); quarantine: ${s.quarantine}`,
    '',
  ].join('\n');
}
