import { BrowserNotFoundError, findChromium } from '@growset/browser';
import { type Logger, type ProgressListener, Rng, silentLogger } from '@growset/core';
import type { ResolvedCrawlConfig } from './config.ts';
import { browserEngine } from './engines/browser-engine.ts';
import type { PageEngine } from './engines/engine.ts';
import { httpEngine } from './engines/http-engine.ts';
import { HttpClient } from './http-client.ts';
import { RobotsCache } from './robots-cache.ts';
import { Scheduler } from './scheduler.ts';
import { Scope } from './scope.ts';

/** The engine a config runs with: `auto` becomes `browser` when a Chromium is found, else `http`. */
export function resolveEngine(config: ResolvedCrawlConfig): 'http' | 'browser' {
  if (config.engine !== 'auto') return config.engine;
  const found = findChromium(
    config.browser.executablePath ? { executablePath: config.browser.executablePath } : {},
  );
  return found ? 'browser' : 'http';
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
  logger?: Logger;
  onProgress?: ProgressListener;
}

/** Builds the client, scheduler, scope, robots cache and engine for a config. */
export function createParts(config: ResolvedCrawlConfig, options: PartsOptions): CrawlParts {
  const engineName = resolveEngine(config);
  if (engineName === 'browser' && !config.browser.executablePath && !findChromium()) {
    throw BrowserNotFoundError.none('use engine "http" or "auto"');
  }
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
  });
  const checkRedirect = (url: string): string | undefined => robots.refuses(url);
  const engine =
    engineName === 'browser'
      ? browserEngine({ config, scope, checkRedirect })
      : httpEngine({ client, maxPageBytes: config.maxPageBytes, checkRedirect });
  const scheduler = new Scheduler({
    concurrency: config.concurrency,
    perHostConcurrency: config.perHostConcurrency,
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
