import type { EncodedImage, Rng } from '@growset/core';
import { verifyImage } from './assets.ts';
import type { ResolvedCrawlConfig } from './config.ts';
import { FetchError } from './errors.ts';
import type { HttpClient } from './http-client.ts';
import { backoffDelay } from './retry.ts';
import type { RobotsResult } from './robots-cache.ts';
import type { Scheduler } from './scheduler.ts';
import type { Scope } from './scope.ts';

/** Assets run before pages, so items finish (and leave memory) before new pages are loaded. */
export const ASSET_PRIORITY = 1_000_000;

export interface AssetFetcherOptions {
  config: ResolvedCrawlConfig;
  client: HttpClient;
  scheduler: Scheduler;
  scope: Scope;
  /** robots.txt of the asset's origin (and its politeness delay set). */
  prepareHost(url: string): Promise<RobotsResult>;
  rng: Rng;
  signal: AbortSignal;
  onRetry(reason: string, pausedMs: number | undefined): void;
  onFetched(): void;
}

/**
 * Returns a function that fetches an image asset under the crawl's rules (scope, robots.txt,
 * per-host limits and delay, size limit, retries with backoff or Retry-After) and verifies it
 * (Content-Type, format, full decode with sharp). It rejects with a FetchError (the request) or a
 * DataError (the bytes).
 */
export function assetFetcher(options: AssetFetcherOptions) {
  const { config, client, scheduler, scope, rng, signal } = options;
  return async (url: string): Promise<{ payload: EncodedImage; width: number; height: number }> => {
    const verdict = scope.check(url);
    if (verdict !== undefined) {
      throw new FetchError(url, verdict, `the image URL is not allowed (${verdict})`, { retryable: false });
    }
    const robots = await options.prepareHost(url);
    if (!robots.rules.isAllowed(url)) {
      throw new FetchError(url, 'disallowed by robots.txt', 'robots.txt forbids fetching this image', {
        retryable: false,
      });
    }
    const host = new URL(url).host;
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await scheduler.run(
          host,
          () => client.get(url, { maxBytes: config.maxAssetBytes, accept: 'image/*,*/*;q=0.5', signal }),
          ASSET_PRIORITY,
        );
        options.onFetched();
        const image = await verifyImage(response.body, {
          url: response.finalUrl,
          contentType: response.headers['content-type'],
        });
        return {
          payload: { kind: 'encoded', data: image.data, ...(image.format ? { format: image.format } : {}) },
          width: image.width,
          height: image.height,
        };
      } catch (error) {
        if (
          !(error instanceof FetchError) ||
          !error.retryable ||
          attempt >= config.retries ||
          signal.aborted
        ) {
          if (error instanceof FetchError && attempt > 0) {
            throw new FetchError(url, error.reason, `${error.detail} after ${attempt + 1} attempts`, {
              retryable: false,
              ...(error.status === undefined ? {} : { status: error.status }),
              cause: error,
            });
          }
          throw error;
        }
        let wait: number;
        let paused: number | undefined;
        if (error.retryAfterMs !== undefined) {
          wait = Math.min(error.retryAfterMs, config.maxRetryAfterMs);
          scheduler.pauseHost(host, wait);
          paused = wait;
        } else {
          wait = backoffDelay(attempt + 1, rng.fork(url).fork(attempt), {
            baseMs: config.backoffMs,
            maxMs: config.maxBackoffMs,
          });
        }
        options.onRetry(error.reason, paused);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  };
}
