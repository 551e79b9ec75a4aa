import { readdir, rm, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, relative, resolve } from 'node:path';
import {
  type EncodedImage,
  type ImagePayload,
  type JsonObject,
  type Logger,
  type ProgressListener,
  pipeline,
  type RunSummary,
  type Sample,
  type Stage,
  shortHash,
  silentLogger,
  writeFileAtomic,
  writeImageFolder,
} from '@growset/core';
import { resolveEngine } from './components.ts';
import { type CrawlConfig, parseCrawlConfig, type ResolvedCrawlConfig } from './config.ts';
import { crawlSource } from './crawl-source.ts';
import type { Crawler, CrawlStats } from './crawler/crawler.ts';
import { CrawlStateError } from './errors.ts';
import { Journal, type JournalState, readJournal } from './journal.ts';
import type { SharedFrontier, SharedFrontierFactory } from './shared-frontier.ts';

export interface CrawlOptions {
  /** Output folder: `images/` (ImageFolder + `manifest.jsonl`), `quarantine.jsonl`, `crawl-report.json`, `.crawl/journal.jsonl`. */
  out: string;
  /** Forget an earlier crawl in `out` (its journal, images, quarantine and report) and start over. @default false */
  fresh?: boolean;
  signal?: AbortSignal;
  logger?: Logger;
  /** Pipeline events and `task` events for pages. */
  onProgress?: ProgressListener;
  /** Return the samples (small crawls; they are on disk either way). @default false */
  keepSamples?: boolean;
  /**
   * Share the crawl with other processes running the same config (each with its own `out`):
   * `redisCrawlFrontier(url)` from `@growset/queue`. With `fresh`, the shared state is forgotten too.
   */
  shared?: SharedFrontierFactory;
}

/** What a crawl did, over all its runs. Plain JSON. */
export interface CrawlSummary {
  /** `finished`, or `already-finished` when the folder held a finished crawl and nothing was done. */
  status: 'finished' | 'already-finished';
  /** The engine that ran (a registered name; `auto` resolved). */
  engine: string;
  /** Items in the ImageFolder now. */
  items: number;
  /** Items collected by this run, and replayed from earlier interrupted runs. */
  newItems: number;
  resumedItems: number;
  /** Items filtered as duplicates (same key under another URL). */
  duplicates: number;
  /** Items and pages quarantined, by reason. */
  quarantined: number;
  quarantinedBy: { [reason: string]: number };
  pagesFetched: number;
  pagesFailed: number;
  pagesQueued: number;
  assetsFetched: number;
  retries: number;
  retryAfterPauses: number;
  /** Failures by reason, retried ones included. */
  failures: { [reason: string]: number };
  /** Discovered URLs not visited, by reason. */
  skipped: { [reason: string]: number };
  /** Runs of this crawl (1 unless resumed). */
  runs: number;
  wallTimeMs: number;
  out: string;
  imagesDir: string;
  manifest: string;
  quarantine: string;
}

export interface CrawlResult {
  summary: CrawlSummary;
  /** The pipeline run of this invocation (absent when there was nothing to do). */
  run?: RunSummary;
  /** The items, with `keepSamples`. */
  samples?: Sample<ImagePayload>[];
}

/** The parts of a config that decide which items a crawl collects (not how fast). */
export function configFingerprint(config: ResolvedCrawlConfig): string {
  const item = {
    ...config.item,
    extract: config.item.extract?.toString(),
    key: typeof config.item.key === 'function' ? config.item.key.toString() : config.item.key,
    schema: config.item.schema ? 'zod' : undefined,
    fields: Object.fromEntries(
      Object.entries(config.item.fields).map(([name, f]) => [
        name,
        { ...f, transform: typeof f.transform === 'function' ? f.transform.toString() : f.transform },
      ]),
    ),
  };
  const identity = {
    start: config.start,
    engine: resolveEngine(config),
    allowHosts: config.allowHosts,
    allowPrivateNetwork: config.allowPrivateNetwork,
    follow: config.follow,
    include: config.include,
    exclude: config.exclude,
    maxDepth: config.maxDepth ?? null,
    maxPages: config.maxPages,
    canonical: config.canonical,
    trackingParams: config.trackingParams,
    robotsTxt: config.robotsTxt,
    item,
  };
  return shortHash(JSON.stringify(identity), 16);
}

/**
 * Crawls into an output folder, resumably: every decision is journaled in `.crawl/journal.jsonl`,
 * so a crawl killed at any point (SIGKILL included) and started again on the same folder ends
 * with every item exactly once. A finished crawl run again does nothing and says so; `fresh`
 * starts over. Items become an ImageFolder with a manifest (core `writeImageFolder`), rejected
 * items and pages go to `quarantine.jsonl` with their URL and reason.
 */
export async function crawl(
  config: CrawlConfig | ResolvedCrawlConfig,
  options: CrawlOptions,
): Promise<CrawlResult> {
  const resolved = parseCrawlConfig(config);
  const logger = options.logger ?? silentLogger;
  const out = options.out;
  const paths = {
    journal: join(out, '.crawl', 'journal.jsonl'),
    images: join(out, 'images'),
    manifest: join(out, 'images', 'manifest.jsonl'),
    quarantine: join(out, 'quarantine.jsonl'),
    report: join(out, 'crawl-report.json'),
  };
  if (options.fresh) await removeCrawl(out);
  const fingerprint = configFingerprint(resolved);
  const openShared = options.shared;
  const state = readJournal(paths.journal);
  if (state.config !== undefined && state.config !== fingerprint) {
    throw new CrawlStateError(
      `${out} holds a crawl made with a different config (its start URLs, scope, link rules or item fields changed); ` +
        'use --fresh (or `fresh: true`) to start over, or another output folder',
    );
  }
  if (state.finished) {
    const previous = state.finished.summary as unknown as CrawlSummary;
    logger.info(
      `Nothing to do: the crawl in ${out} finished at ${state.finished.at} with ${previous.items} items; use --fresh to start over`,
    );
    return {
      summary: { ...previous, status: 'already-finished', newItems: 0, resumedItems: 0, wallTimeMs: 0 },
    };
  }
  if (state.runs > 0) {
    logger.info(
      `Resuming the crawl in ${out}: ${state.items.size} items written, ${state.queued.size - state.done.size} pages pending`,
    );
  }
  await removeTempFiles(paths.images);
  let shared: SharedFrontier | undefined;
  if (openShared) {
    shared = await openShared({
      fingerprint,
      owner: shortHash(`${hostname()}:${resolve(out)}`, 16),
      config: resolved,
      fresh: options.fresh === true,
    });
    logger.info(`Sharing the crawl through ${shared.description}`);
    await removeUnjournaledImages(paths.images, state);
    await shared.open(state.claimed);
  }
  const journal = new Journal(paths.journal);
  const run = state.runs + 1;
  journal.append({ t: 'start', config: fingerprint, at: new Date().toISOString(), run });
  let crawler: Crawler | undefined;
  const samples: Sample<ImagePayload>[] = [];
  const confirm: Stage<Sample<ImagePayload>, Sample<ImagePayload>> = {
    name: 'journal',
    async *run(input) {
      for await (const sample of input) {
        crawler!.confirmWritten(sample);
        if (options.keepSamples) samples.push(sample);
        yield sample;
      }
    },
  };
  const source = crawlSource(resolved, {
    logger,
    journal,
    state,
    imagesDir: paths.images,
    confirmWrites: true,
    onCrawler: (c) => {
      crawler = c;
    },
    ...(shared ? { shared } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const started = performance.now();
  let summary: RunSummary;
  try {
    summary = await pipeline<Sample<EncodedImage>, Sample<ImagePayload>, Sample<ImagePayload>>(
      source,
      // One at a time: an ordered writer with look-ahead would wait for the next sample while the
      // crawl waits for this one to be written (pages count as done only once their items are on disk).
      writeImageFolder(paths.images, { concurrency: 1 }) as Stage<Sample<EncodedImage>, Sample<ImagePayload>>,
      confirm,
    ).run({
      name: 'scrape',
      seed: resolved.seed,
      ...(options.signal ? { signal: options.signal } : {}),
      logger,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      quarantine: out,
    });
  } catch (error) {
    journal.close();
    await shared?.close(false);
    throw error;
  }
  await shared?.close(true);
  const stats = crawler!.stats;
  const crawlStage = summary.stages[0]!;
  const result: CrawlSummary = {
    status: 'finished',
    engine: resolveEngine(resolved),
    items: summary.out,
    newItems: crawler!.newItems,
    resumedItems: crawler!.resumedItems,
    duplicates: crawlStage.filteredBy['duplicate item'] ?? 0,
    quarantined: summary.quarantined,
    quarantinedBy: mergeCounts(summary.stages.map((s) => s.quarantinedBy)),
    ...pickStats(stats),
    runs: run,
    wallTimeMs: Math.round(performance.now() - started),
    out,
    imagesDir: paths.images,
    manifest: paths.manifest,
    quarantine: paths.quarantine,
  };
  journal.append({ t: 'finish', at: new Date().toISOString(), summary: result as unknown as JsonObject });
  journal.close();
  await writeFileAtomic(paths.report, `${JSON.stringify({ ...result, run: summary }, null, 2)}\n`);
  return { summary: result, run: summary, ...(options.keepSamples ? { samples } : {}) };
}

function pickStats(stats: CrawlStats) {
  return {
    pagesFetched: stats.pagesFetched,
    pagesFailed: stats.pagesFailed,
    pagesQueued: stats.pagesQueued,
    assetsFetched: stats.assetsFetched,
    retries: stats.retries,
    retryAfterPauses: stats.retryAfterPauses,
    failures: stats.failures,
    skipped: stats.skipped,
  };
}

function mergeCounts(list: readonly { [reason: string]: number }[]): { [reason: string]: number } {
  const out: { [reason: string]: number } = {};
  for (const counts of list) for (const [k, v] of Object.entries(counts)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Removes what a crawl wrote into `out` (and nothing else the user keeps there). */
async function removeCrawl(out: string): Promise<void> {
  for (const name of ['.crawl', 'images', 'files', 'quarantine.jsonl', 'crawl-report.json']) {
    await rm(join(out, name), { recursive: true, force: true });
  }
}

/** Deletes the files under `dir` (recursively) that `doomed` picks, by their path relative to `dir`. */
async function removeFiles(dir: string, doomed: (path: string, name: string) => boolean): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? dir, entry.name);
    if (doomed(relative(dir, path), entry.name)) await unlink(path).catch(() => {});
  }
}

/** Deletes temporary files that a killed run's atomic writes left behind. */
function removeTempFiles(dir: string): Promise<void> {
  return removeFiles(dir, (_path, name) => name.includes('.growset-tmp-'));
}

/**
 * Shared crawls: deletes images a killed run wrote but never journaled. Its key goes back to the
 * shared frontier (`open`), so another process may write the item: a copy here would count twice.
 */
function removeUnjournaledImages(dir: string, state: JournalState): Promise<void> {
  const kept = new Set([...state.items.values()].map((item) => item.file));
  return removeFiles(dir, (path, name) => name !== 'manifest.jsonl' && !kept.has(path));
}
