import {
  type EncodedImage,
  type Identified,
  type Logger,
  type ProgressListener,
  type QuarantineRecord,
  type Rng,
  type Sample,
  type SourceRef,
  ThrottledProgress,
} from '@growset/core';
import { assetFetcher } from '../asset-fetcher.ts';
import type { Channel } from '../channel.ts';
import type { ResolvedCrawlConfig } from '../config.ts';
import type { PageEngine } from '../engines/engine.ts';
import { FetchError } from '../errors.ts';
import type { HttpClient } from '../http-client.ts';
import { pageIdForUrl } from '../ids.ts';
import type { Journal, JournalState } from '../journal.ts';
import { backoffDelay } from '../retry.ts';
import type { RobotsCache, RobotsResult } from '../robots-cache.ts';
import type { Scheduler } from '../scheduler.ts';
import type { Scope } from '../scope.ts';
import type { SharedFrontier } from '../shared-frontier.ts';
import { type AdmissionRules, admissionRules, checkAdmission } from './frontier.ts';
import { type CrawlerSink, ItemHandler } from './items.ts';
import { type LoadResult, loadPage, type PageRules } from './page-load.ts';
import { replayState } from './replay.ts';

export type { CrawlerSink } from './items.ts';

/** Counts of a crawl, over all its runs when resumed. */
export interface CrawlStats {
  /** HTML pages loaded. */
  pagesFetched: number;
  /** Pages that failed for good (after retries), by reason. */
  pagesFailed: number;
  /** Retries of pages and assets. */
  retries: number;
  /** Image assets fetched. */
  assetsFetched: number;
  /** Discovered URLs not visited, by reason (`robots.txt`, `off-host`, `max depth`, `max pages`...). */
  skipped: { [reason: string]: number };
  /** Failures (pages and assets) by reason (`http 404`, `timeout`...), including retried ones. */
  failures: { [reason: string]: number };
  /** Host pauses honouring Retry-After. */
  retryAfterPauses: number;
  /** Pages queued (counts against `maxPages`). */
  pagesQueued: number;
}

export interface CrawlerOptions {
  config: ResolvedCrawlConfig;
  engine: PageEngine;
  client: HttpClient;
  scheduler: Scheduler;
  scope: Scope;
  robots: RobotsCache;
  rng: Rng;
  logger: Logger;
  signal: AbortSignal;
  journal?: Journal;
  /** State of earlier runs (resume). */
  state?: JournalState;
  /** Folder the earlier runs' images were written to (to replay them). */
  imagesDir?: string;
  /** Wait for `confirmWritten` before a page counts as done (journaled crawls). */
  confirmWrites: boolean;
  onProgress?: ProgressListener;
  /** A frontier shared with other processes: pages come from it and go to it. */
  shared?: SharedFrontier;
}

interface PageWork {
  url: string;
  depth: number;
  /** Items of this page not yet settled (written, filtered or quarantined). */
  pending: number;
  ok: boolean;
  admissions: Promise<void>[];
}

/**
 * The crawl loop: admits URLs into the frontier (normalization, dedupe, scope, depth, page
 * budget, robots.txt), loads pages through the engine under the scheduler's limits, retries
 * what may succeed later, extracts and validates items, fetches and verifies their images, and
 * pushes samples into a channel. Every item and failed page is either pushed, filtered or
 * quarantined; every decision is journaled when a journal is given.
 */
export class Crawler {
  readonly stats: CrawlStats;
  readonly #o: CrawlerOptions;
  readonly #seen = new Set<string>();
  readonly #pages = new Map<string, PageWork>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #admission: AdmissionRules;
  readonly #pageRules: PageRules;
  readonly #items: ItemHandler;
  readonly #progress: ThrottledProgress | undefined;
  #active = 0;
  #output: Channel<Sample<EncodedImage>> | undefined;
  #sink: CrawlerSink | undefined;
  #finished: (() => void) | undefined;
  #failed: ((error: unknown) => void) | undefined;
  #lastUrl = '';
  /** Items already collected before this run (replayed). */
  resumedItems = 0;
  /** Items new this run. */
  get newItems(): number {
    return this.#items.newItems;
  }
  /** Items found already collected (by an earlier run, or another process of a shared crawl). */
  get alreadyCollected(): number {
    return this.#items.alreadyCollected;
  }

  constructor(options: CrawlerOptions) {
    this.#o = options;
    const { config, state } = options;
    this.#admission = admissionRules(config, options.scope);
    this.#pageRules = {
      config,
      engine: options.engine,
      scope: options.scope,
      itemPattern: config.item.urlPattern === undefined ? undefined : new RegExp(config.item.urlPattern),
      signal: options.signal,
    };
    this.#progress = options.onProgress ? new ThrottledProgress(options.onProgress, 250) : undefined;
    const counts = state?.counts ?? new Map<string, number>();
    const byPrefix = (prefix: string) => {
      const out: { [reason: string]: number } = {};
      for (const [name, value] of counts) if (name.startsWith(prefix)) out[name.slice(prefix.length)] = value;
      return out;
    };
    this.stats = {
      pagesFetched: counts.get('pagesFetched') ?? 0,
      pagesFailed: counts.get('pagesFailed') ?? 0,
      retries: counts.get('retries') ?? 0,
      assetsFetched: counts.get('assetsFetched') ?? 0,
      retryAfterPauses: counts.get('retryAfterPauses') ?? 0,
      failures: byPrefix('failure:'),
      skipped: {},
      pagesQueued: state?.queued.size ?? 0,
    };
    if (state) {
      for (const url of state.queued.keys()) this.#seen.add(url);
      for (const [url, reason] of state.skipped) {
        this.#seen.add(url);
        this.stats.skipped[reason] = (this.stats.skipped[reason] ?? 0) + 1;
      }
    }
    const fetchImage = assetFetcher({
      config,
      client: options.client,
      scheduler: options.scheduler,
      scope: options.scope,
      prepareHost: (url) => this.#prepareHost(url),
      rng: options.rng,
      signal: options.signal,
      onRetry: (reason, pausedMs) => {
        this.#count('retries');
        this.#countFailure(reason);
        if (pausedMs !== undefined) this.#count('retryAfterPauses');
      },
      onFetched: () => this.#count('assetsFetched'),
    });
    this.#items = new ItemHandler({
      config,
      confirmWrites: options.confirmWrites,
      ...(options.journal ? { journal: options.journal } : {}),
      ...(state ? { state } : {}),
      ...(options.shared ? { shared: options.shared } : {}),
      sink: () => this.#sink!,
      output: () => this.#output!,
      fetchImage,
      quarantine: (subject, reason, details) => this.#quarantine(subject, reason, details),
      settle: (page) => this.#settleItem(page),
    });
  }

  /**
   * Runs the crawl, pushing samples into `output`; resolves when every admitted page is done.
   * Earlier runs' items and quarantine records are replayed first.
   */
  async run(output: Channel<Sample<EncodedImage>>, sink: CrawlerSink): Promise<void> {
    this.#output = output;
    this.#sink = sink;
    const { signal } = this.#o;
    const done = new Promise<void>((resolve, reject) => {
      this.#finished = resolve;
      this.#failed = reject;
    });
    const onAbort = () => this.#failed?.(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    this.#active += 1; // held while seeding, so the crawl cannot look finished before it starts
    try {
      await this.#replay();
      const state = this.#o.state;
      if (state && !this.#o.shared) {
        for (const [url, depth] of state.queued) {
          if (!state.done.has(url)) this.#schedule(this.#newPage(url, depth), 0);
        }
      }
      const seeded = this.#o.config.start.map((start) => this.#discover(start, 0, undefined));
      if (this.#o.shared) {
        // Start URLs are in the shared frontier before this process may find it empty and stop.
        await Promise.all(seeded);
        this.#active += 1; // held by the pump until the shared frontier is finished
        this.#pump(this.#o.shared).catch((error: unknown) => this.#failed?.(error));
      }
    } finally {
      this.#release();
    }
    try {
      await done;
    } finally {
      signal.removeEventListener('abort', onAbort);
      for (const timer of this.#timers) clearTimeout(timer);
      this.#o.scheduler.clear();
      this.#progress?.flush();
    }
  }

  /** Called by the writer stage once a sample's file is on disk (journaled crawls). */
  confirmWritten(sample: Sample<unknown>): void {
    const meta = sample.meta ?? {};
    const key = String(meta.key);
    const page = String(meta.page);
    const { file, ...rest } = meta;
    if (meta.resumed === true) return; // replayed from an earlier run: already journaled
    this.#o.journal?.append({
      t: 'item',
      k: key,
      id: sample.id,
      label: String(sample.label),
      file: String(file),
      u: page,
      meta: rest,
    });
    this.#settleItem(page);
  }

  /**
   * Takes pages from the shared frontier while this process has room for them, and keeps their
   * leases alive; releases its hold once no process has anything left to do.
   */
  async #pump(shared: SharedFrontier): Promise<void> {
    const { config, signal } = this.#o;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const renew = setInterval(() => {
      shared.renew([...this.#pages.keys()]).catch((error: unknown) => this.#failed?.(error));
    }, shared.renewEveryMs);
    try {
      while (!signal.aborted) {
        if (this.#pages.size >= config.concurrency) {
          await sleep(5);
          continue;
        }
        const next = await shared.take();
        if (next === 'finished') break;
        if (next === 'wait') {
          await sleep(25);
          continue;
        }
        this.#schedule(this.#newPage(next.url, next.depth), 0);
      }
    } finally {
      clearInterval(renew);
      this.#release();
    }
  }

  async #replay(): Promise<void> {
    const state = this.#o.state;
    if (!state) return;
    this.resumedItems += await replayState(state, {
      imagesDir: this.#o.imagesDir ?? '.',
      sink: this.#sink!,
      output: this.#output!,
      onMissing: (entry) => {
        // The file of an earlier run is gone: forget the item and visit its page again.
        this.#items.forget(entry.k);
        state.done.delete(entry.u);
      },
    });
  }

  #newPage(url: string, depth: number): PageWork {
    const page: PageWork = { url, depth, pending: 0, ok: true, admissions: [] };
    this.#pages.set(url, page);
    this.#active += 1;
    return page;
  }

  #release(): void {
    this.#active -= 1;
    if (this.#active === 0) this.#finished?.();
  }

  #count(name: 'pagesFetched' | 'pagesFailed' | 'retries' | 'assetsFetched' | 'retryAfterPauses'): void {
    this.stats[name] += 1;
    this.#o.journal?.append({ t: 'count', n: name, v: 1 });
  }

  #countFailure(reason: string): void {
    this.stats.failures[reason] = (this.stats.failures[reason] ?? 0) + 1;
    this.#o.journal?.append({ t: 'count', n: `failure:${reason}`, v: 1 });
  }

  #skip(url: string, reason: string): void {
    this.stats.skipped[reason] = (this.stats.skipped[reason] ?? 0) + 1;
    this.#o.journal?.append({ t: 'skip', u: url, r: reason });
  }

  /**
   * A link found on a page (or a start URL): decides whether it becomes a page to visit. Returns
   * the admission when it goes on to robots.txt and the frontier (settles once decided).
   */
  #discover(raw: string, depth: number, from: PageWork | undefined): Promise<void> | undefined {
    const checked = checkAdmission(raw, depth, from !== undefined, this.#admission, this.#seen);
    if (checked === undefined) return;
    if (checked.skip !== undefined) {
      this.#skip(checked.url, checked.skip);
      return;
    }
    const { url } = checked;
    const { config } = this.#o;
    this.#active += 1;
    const admission = this.#prepareHost(url)
      .then((robots) => {
        if (!robots.rules.isAllowed(url))
          return this.#skip(url, robots.status === 'unreachable' ? 'robots.txt unreachable' : 'robots.txt');
        if (this.#o.shared) return this.#admitShared(this.#o.shared, url, depth);
        if (this.stats.pagesQueued >= config.maxPages) return this.#skip(url, 'max pages');
        this.stats.pagesQueued += 1;
        this.#o.journal?.append({ t: 'queue', u: url, d: depth });
        this.#schedule(this.#newPage(url, depth), 0);
      })
      .catch((error: unknown) => this.#failed?.(error))
      .finally(() => this.#release());
    from?.admissions.push(admission);
    return admission;
  }

  /** Queues a URL in the shared frontier; another process may be the one to load it. */
  async #admitShared(shared: SharedFrontier, url: string, depth: number): Promise<void> {
    const verdict = await shared.admit(url, depth);
    if (verdict === 'max pages') return this.#skip(url, 'max pages');
    if (verdict === 'queued') {
      this.stats.pagesQueued += 1;
      this.#o.journal?.append({ t: 'queue', u: url, d: depth });
    }
  }

  /** robots.txt of the URL's origin, with the host's politeness delay set from it. */
  async #prepareHost(url: string): Promise<RobotsResult> {
    const robots = await this.#o.robots.get(new URL(url).origin);
    this.#applyCrawlDelay(url, robots.rules.crawlDelayMs);
    return robots;
  }

  #applyCrawlDelay(url: string, crawlDelayMs: number | undefined): void {
    const { config, scheduler, logger } = this.#o;
    const host = new URL(url).host;
    let delay = config.delayMs;
    if (crawlDelayMs !== undefined) {
      if (crawlDelayMs > config.maxCrawlDelayMs && scheduler.delayOf(host) !== config.maxCrawlDelayMs) {
        logger.warn(
          `${host} asks for Crawl-delay ${crawlDelayMs} ms; capped at maxCrawlDelayMs ${config.maxCrawlDelayMs} ms`,
        );
      }
      delay = Math.max(delay, Math.min(crawlDelayMs, config.maxCrawlDelayMs));
    }
    if (scheduler.delayOf(host) !== delay) scheduler.setDelay(host, delay);
  }

  #schedule(page: PageWork, attempt: number): void {
    const host = new URL(page.url).host;
    this.#o.scheduler
      .run(host, () => this.#load(page), page.depth)
      .then(
        (result) => this.#afterLoad(page, attempt, result),
        (error: unknown) => this.#afterLoad(page, attempt, { error }),
      )
      .catch((error: unknown) => this.#failed?.(error));
  }

  async #load(page: PageWork): Promise<LoadResult> {
    await this.#output!.ready();
    if (this.#o.signal.aborted)
      return { error: new FetchError(page.url, 'aborted', 'the crawl was stopped', { retryable: false }) };
    return loadPage(page.url, this.#pageRules);
  }

  #afterLoad(page: PageWork, attempt: number, result: LoadResult): void {
    const { config, rng, scheduler } = this.#o;
    this.#lastUrl = page.url;
    if ('error' in result) {
      const error = result.error;
      if (this.#o.signal.aborted) {
        this.#release();
        return;
      }
      if (!(error instanceof FetchError)) throw error;
      this.#countFailure(error.reason);
      if (error.retryable && attempt < config.retries) {
        this.#count('retries');
        this.#o.logger.debug(
          `retrying ${page.url} (attempt ${attempt + 2}): ${error.reason}: ${error.detail}`,
        );
        let wait: number;
        if (error.retryAfterMs !== undefined) {
          wait = Math.min(error.retryAfterMs, config.maxRetryAfterMs);
          scheduler.pauseHost(new URL(page.url).host, wait);
          this.#count('retryAfterPauses');
        } else {
          wait = backoffDelay(attempt + 1, rng.fork(page.url).fork(attempt), {
            baseMs: config.backoffMs,
            maxMs: config.maxBackoffMs,
          });
        }
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          this.#schedule(page, attempt + 1);
        }, wait);
        this.#timers.add(timer);
        return;
      }
      this.#count('pagesFailed');
      page.ok = false;
      const subject = { id: pageIdForUrl(page.url) };
      const tries = attempt + 1;
      this.#quarantine(subject, error.reason, {
        detail: `${error.detail}${tries > 1 ? ` after ${tries} attempts` : ''}`,
        source: { url: page.url },
      });
      this.#finishPage(page);
      return;
    }
    this.#count('pagesFetched');
    this.#emitProgress();
    if (result.finalUrl !== page.url) this.#seen.add(result.finalUrl);
    if (result.identity !== page.url) this.#seen.add(result.identity);
    const aliases = [result.finalUrl, result.identity].filter((u) => u !== page.url);
    if (this.#o.shared && aliases.length > 0) page.admissions.push(this.#o.shared.markSeen(aliases));
    for (const link of result.links) this.#discover(link, page.depth + 1, page);
    page.pending = result.outcomes.length;
    if (page.pending === 0) {
      this.#finishPage(page);
      return;
    }
    for (const outcome of result.outcomes) {
      this.#items.handle(page.url, result, outcome).catch((error: unknown) => this.#failed?.(error));
    }
  }

  #quarantine(subject: Identified, reason: string, options: { detail: string; source: SourceRef }): void {
    this.#sink!.quarantine(subject, reason, options);
    const label = (subject as { label?: unknown }).label;
    const record: QuarantineRecord = {
      stage: 'crawl',
      id: subject.id,
      reason,
      detail: options.detail,
      source: options.source,
      ...(typeof label === 'string' ? { label } : {}),
    };
    this.#o.journal?.append({ t: 'quarantine', record });
  }

  #settleItem(pageUrl: string): void {
    const page = this.#pages.get(pageUrl);
    if (!page) return;
    page.pending -= 1;
    if (page.pending === 0) this.#finishPage(page);
  }

  #finishPage(page: PageWork): void {
    this.#pages.delete(page.url);
    // Links must be journaled before the page is marked done, or a resume would never find them.
    Promise.all(page.admissions)
      .then(async () => {
        this.#o.journal?.append({ t: 'done', u: page.url, ok: page.ok });
        await this.#o.shared?.complete(page.url);
        this.#release();
      })
      .catch((error: unknown) => this.#failed?.(error));
  }

  #emitProgress(): void {
    this.#progress?.emit('scrape', {
      type: 'task',
      task: 'scrape',
      done: this.stats.pagesFetched + this.stats.pagesFailed,
      total: this.stats.pagesQueued,
      message: this.#lastUrl,
    });
  }
}
