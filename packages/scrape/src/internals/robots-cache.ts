import { errorMessage, type Logger, type Rng } from '@growset/core';
import { FetchError } from './errors.ts';
import type { HttpClient } from './http-client.ts';
import { backoffDelay } from './retry.ts';
import { ALLOW_ALL, DISALLOW_ALL, parseRobotsTxt, type RobotsRules } from './robots.ts';
import type { SharedFrontier, StoredRobots } from './shared-frontier.ts';

export interface RobotsCacheOptions {
  client: HttpClient;
  userAgent: string;
  enabled: boolean;
  retries: number;
  backoffMs: number;
  maxBackoffMs: number;
  rng: Rng;
  logger: Logger;
  signal: AbortSignal;
  /** robots.txt shared with other processes: fetched once for all of them. */
  shared?: Pick<SharedFrontier, 'robots' | 'storeRobots'>;
}

/** How robots.txt of an origin turned out. */
export interface RobotsResult {
  rules: RobotsRules;
  /** `parsed`, `missing` (4xx: allow all), `unreachable` (5xx or network after retries: disallow all), `off`. */
  status: 'parsed' | 'missing' | 'unreachable' | 'off';
}

/**
 * Fetches each origin's robots.txt once (with retries) and keeps its rules for the crawl. Per
 * RFC 9309: a 4xx means no restrictions; a 5xx or network failure, after retries, means
 * everything is disallowed for that origin.
 */
export class RobotsCache {
  readonly #options: RobotsCacheOptions;
  readonly #byOrigin = new Map<string, Promise<RobotsResult>>();
  readonly #known = new Map<string, RobotsResult>();

  constructor(options: RobotsCacheOptions) {
    this.#options = options;
  }

  get(origin: string): Promise<RobotsResult> {
    let result = this.#byOrigin.get(origin);
    if (!result) {
      result = (
        this.#options.enabled
          ? this.#shared(origin)
          : Promise.resolve<RobotsResult>({ rules: ALLOW_ALL, status: 'off' })
      ).then((value) => {
        this.#known.set(origin, value);
        return value;
      });
      this.#byOrigin.set(origin, result);
    }
    return result;
  }

  /**
   * Synchronous check for redirect targets: `'robots.txt'` when the URL's origin has rules
   * already loaded that forbid it, else `undefined`.
   */
  refuses(url: string): string | undefined {
    const known = this.#known.get(new URL(url).origin);
    return known && !known.rules.isAllowed(url) ? 'robots.txt' : undefined;
  }

  async #shared(origin: string): Promise<RobotsResult> {
    const shared = this.#options.shared;
    if (!shared) return this.#fetch(origin);
    const stored = await shared.robots(origin);
    if (stored) return fromStored(stored, this.#options.userAgent);
    const fetched = await this.#fetch(origin);
    const text = this.#texts.get(origin);
    await shared.storeRobots(origin, {
      status: fetched.status === 'off' ? 'missing' : fetched.status,
      ...(text === undefined ? {} : { text }),
    });
    return fetched;
  }

  readonly #texts = new Map<string, string>();

  async #fetch(origin: string): Promise<RobotsResult> {
    const { client, retries, logger, signal } = this.#options;
    const url = `${origin}/robots.txt`;
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await client.get(url, {
          maxBytes: 512 * 1024,
          accept: 'text/plain,*/*;q=0.5',
          signal,
        });
        const text = response.body.toString('utf8');
        this.#texts.set(origin, text);
        return { rules: parseRobotsTxt(text, this.#options.userAgent), status: 'parsed' };
      } catch (error) {
        const status = error instanceof FetchError ? error.status : undefined;
        if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
          return { rules: ALLOW_ALL, status: 'missing' };
        }
        const retryable = error instanceof FetchError && error.retryable;
        if (!retryable || attempt >= retries || signal.aborted) {
          logger.warn(`robots.txt at ${url} is unreachable (${errorMessage(error)}): not crawling ${origin}`);
          return { rules: DISALLOW_ALL, status: 'unreachable' };
        }
        const wait =
          error instanceof FetchError && error.retryAfterMs !== undefined
            ? error.retryAfterMs
            : backoffDelay(attempt + 1, this.#options.rng.fork(url).fork(attempt), {
                baseMs: this.#options.backoffMs,
                maxMs: this.#options.maxBackoffMs,
              });
        await new Promise((resolve) => setTimeout(resolve, Math.min(wait, this.#options.maxBackoffMs)));
      }
    }
  }
}

function fromStored(stored: StoredRobots, userAgent: string): RobotsResult {
  if (stored.status === 'parsed')
    return { rules: parseRobotsTxt(stored.text ?? '', userAgent), status: 'parsed' };
  return { rules: stored.status === 'missing' ? ALLOW_ALL : DISALLOW_ALL, status: stored.status };
}
