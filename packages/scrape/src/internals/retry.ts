import type { Rng } from '@growset/core';

/** Statuses worth retrying: the server is busy, overloaded or briefly broken. */
const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

/**
 * Parses a Retry-After header (delta-seconds or an HTTP date) into milliseconds from `now`;
 * `undefined` when absent or unparsable, 0 for a date in the past.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Delay before retry number `attempt` (1 for the first retry): `base * 2^(attempt-1)`, capped,
 * times a jitter factor in [0.5, 1.5) drawn from `rng` (fork it by URL and attempt, so the same
 * seed gives the same delays whatever the order of work).
 */
export function backoffDelay(attempt: number, rng: Rng, options: BackoffOptions): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(Math.min(options.maxMs, exponential * rng.uniform(0.5, 1.5)));
}
