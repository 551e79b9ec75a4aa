import { errorMessage, GrowsetError } from '@growset/core';
import { Redis } from 'ioredis';

/** Keys and BullMQ queues of growset live under this prefix (`growset:*`). */
export const KEY_PREFIX = 'growset';

/**
 * The URL with any user name and password replaced by `***`, for messages and logs:
 * `redis://:secret@host:6379/0` becomes `redis://***@host:6379/0`.
 */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '';
      parsed.password = '';
      return parsed.toString().replace('//', '//***@');
    }
    return parsed.toString();
  } catch {
    // Not a URL: hide everything between the scheme and an `@`, if any.
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** Checks a `redis://` or `rediss://` URL (`redis://[:password@]host[:port][/db]`). */
export function checkRedisUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GrowsetError(
      `Expected a Redis URL such as redis://host:6379/0 or rediss://:password@host:6380, got \`${redactRedisUrl(url)}\``,
      { code: 'ERR_OPTIONS' },
    );
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new GrowsetError(
      `Expected a redis:// or rediss:// URL, got \`${redactRedisUrl(url)}\` (protocol ${parsed.protocol})`,
      { code: 'ERR_OPTIONS' },
    );
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db))
    throw new GrowsetError(`Expected the Redis database after the port to be a number, got \`/${db}\``, {
      code: 'ERR_OPTIONS',
    });
}

export interface ConnectOptions {
  /** How long to wait for Redis before giving up. @default 5000 */
  timeoutMs?: number;
}

/**
 * Opens a connection (as BullMQ needs it: commands wait through reconnects) after checking that
 * Redis answers; otherwise throws one line naming the URL with its password redacted.
 * `rediss://` connects over TLS.
 */
export async function connectRedis(url: string, options: ConnectOptions = {}): Promise<Redis> {
  checkRedisUrl(url);
  const timeoutMs = options.timeoutMs ?? 5000;
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    connectTimeout: timeoutMs,
    // ioredis logs unhandled connection errors with the full options: keep it quiet.
    showFriendlyErrorStack: false,
  });
  let lastError: unknown;
  const onError = (error: unknown) => {
    lastError = error;
  };
  redis.on('error', onError);
  try {
    const ping = (async () => {
      await redis.connect();
      await redis.ping();
    })();
    ping.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    redis.disconnect();
    const reason = errorMessage(lastError ?? error);
    throw new GrowsetError(`Cannot reach Redis at ${redactRedisUrl(url)}: ${reason}`, {
      code: 'ERR_REDIS',
      retryable: true,
      cause: error,
    });
  }
  return redis;
}
