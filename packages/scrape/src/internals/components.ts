import { type Logger, type ProgressListener, Rng, silentLogger } from '@growset/core';
import type { ResolvedCrawlConfig } from './config.ts';
import type { PageEngine } from './engines/engine.ts';
import { engines } from './engines/index.ts';
import { HttpClient } from './http-client.ts';
import { RobotsCache } from './robots-cache.ts';
import { Scheduler } from './scheduler.ts';
import { Scope } from './scope.ts';
import type { SharedFrontier } from './shared-frontier.ts';

/** The engine a config runs with: `auto` becomes the best engine available here (`browser` when a Chromium is found). */
export function resolveEngine(config: ResolvedCrawlConfig): string {
  return engines.resolve(config).name;
}

/** The parts of a crawl that hold resources (sockets, a browser). */
export interface CrawlParts {
  engine: PageEngine;
  client: HttpClient;
  scheduler: Scheduler;
  scope: Scope;
  robots: RobotsCache;
  rng: Rng;
  dispose(): Promise<void>;
}

export interface PartsOptions {
  signal: AbortSignal;
  /** A frontier shared with other processes (politeness and robots.txt go through it). */
  shared?: SharedFrontier;
  logger?: Logger;
  onProgress?: ProgressListener;
}

/** Builds the client, scheduler, scope, robots cache and engine for a config. */
export function createParts(config: ResolvedCrawlConfig, options: PartsOptions): CrawlParts {
  const definition = engines.resolve(config);
  const unavailable = definition.unavailable(config);
  if (unavailable) throw unavailable;
  const logger = options.logger ?? silentLogger;
  const scope = new Scope({
    startUrls: config.start.filter((u) => URL.canParse(u)),
    allowHosts: config.allowHosts,
    allowPrivateNetwork: config.allowPrivateNetwork,
  });
  const client = new HttpClient({
    scope,
    userAgent: config.userAgent,
    timeoutMs: config.timeoutMs,
    maxRedirects: config.maxRedirects,
    maxSocketsPerHost: config.perHostConcurrency,
  });
  const rng = Rng.create(config.seed).fork('scrape');
  const robots = new RobotsCache({
    client,
    userAgent: config.userAgent,
    enabled: config.robotsTxt,
    retries: config.retries,
    backoffMs: config.backoffMs,
    maxBackoffMs: config.maxBackoffMs,
    rng: rng.fork('robots'),
    logger,
    signal: options.signal,
    ...(options.shared ? { shared: options.shared } : {}),
  });
  const checkRedirect = (url: string): string | undefined => robots.refuses(url);
  const engine = definition.create({ config, scope, client, checkRedirect });
  const scheduler = new Scheduler({
    concurrency: config.concurrency,
    perHostConcurrency: config.perHostConcurrency,
    signal: options.signal,
    ...(options.shared ? { shared: options.shared } : {}),
  });
  return {
    engine,
    client,
    scheduler,
    scope,
    robots,
    rng,
    async dispose() {
      scheduler.clear();
      try {
        await engine.close();
      } finally {
        client.close();
      }
    },
  };
}
