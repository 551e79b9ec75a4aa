import { GrowsetError } from '@growset/core';

/**
 * A request that failed: `reason` is a short category used in reports and quarantine records
 * (`http 404`, `timeout`, `connection reset`, `truncated body`, `too large`...), `retryable`
 * says whether trying again may succeed, `retryAfterMs` carries a server's Retry-After.
 */
export class FetchError extends GrowsetError {
  readonly url: string;
  readonly reason: string;
  /** The message without reason and URL. */
  readonly detail: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    url: string,
    reason: string,
    detail: string,
    options: { retryable: boolean; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(`${reason}: ${detail} (${url})`, {
      code: 'ERR_FETCH',
      retryable: options.retryable,
      cause: options.cause,
    });
    this.url = url;
    this.reason = reason;
    this.detail = detail;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The output folder holds a crawl that cannot be continued with this config. */
export class CrawlStateError extends GrowsetError {
  constructor(message: string) {
    super(message, { code: 'ERR_CRAWL_STATE' });
  }
}
