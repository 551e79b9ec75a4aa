import { GrowsetError } from '@growset/core';
import type {
  LeasedPage,
  SharedCrawlIdentity,
  SharedFrontier,
  SharedFrontierFactory,
  StoredRobots,
} from '@growset/scrape';
import type { Redis } from 'ioredis';
import { connectRedis, KEY_PREFIX, redactRedisUrl } from '../redis.ts';
import { SCRIPTS } from './scripts.ts';

/** Keys of a shared crawl live under `growset:scrape:<fingerprint>:`. */
export const CRAWL_KEY_SPACE = `${KEY_PREFIX}:scrape`;

/** How long a crawl's keys stay in Redis after a process finished it. @default 7 days */
export const CRAWL_RETENTION_SECONDS = 7 * 24 * 3600;

export interface RedisCrawlFrontierOptions {
  /**
   * How long a page (and a host slot) stays reserved for a process that stopped answering:
   * after a SIGKILL, its pages go to the others this long after its last renewal.
   * @default 30000
   */
  leaseMs?: number;
  /** How long the crawl's keys stay after a process finished it. @default 604800 (7 days) */
  retentionSeconds?: number;
  /** How long to wait for Redis when connecting. @default 5000 */
  connectTimeoutMs?: number;
}

/** The names of a crawl's keys (see the README's "Running on several machines"). */
export function crawlKeys(fingerprint: string) {
  const base = `${CRAWL_KEY_SPACE}:${fingerprint}`;
  return {
    base,
    /** Sorted set: URL -> time (ms) it may be loaded. */
    frontier: `${base}:frontier`,
    /** Sorted set: URL -> lease expiry (ms). */
    leases: `${base}:leases`,
    /** Hash: URL -> depth. */
    depth: `${base}:depth`,
    /** Set: every URL ever admitted or seen (canonical form). */
    seen: `${base}:seen`,
    /** String: pages admitted (against `maxPages`). */
    queued: `${base}:queued`,
    /** Hash: item key -> the page that took it first. */
    claims: `${base}:claims`,
    /** Hash: item key -> `<owner>\t<page>`, the folder that holds it. */
    committed: `${base}:committed`,
    /** Hash: origin -> stored robots.txt (JSON). */
    robots: `${base}:robots`,
    /** Per host: `host:<host>:next` (next start, ms), `:pause` (ms), `:slots` (sorted set of leases). */
    host: (host: string) => `${base}:host:${host}`,
  };
}

/**
 * The Redis implementation of scrape's {@link SharedFrontier}: plain Redis structures and Lua
 * scripts (atomic, with Redis's clock so machines need not agree on the time).
 */
export class RedisCrawlFrontier implements SharedFrontier {
  readonly description: string;
  readonly renewEveryMs: number;
  readonly #redis: Redis;
  readonly #keys: ReturnType<typeof crawlKeys>;
  readonly #owner: string;
  readonly #maxPages: number;
  readonly #leaseMs: number;
  readonly #slotLeaseMs: number;
  readonly #perHost: number;
  readonly #retention: number;
  /** Pages this process holds (taken, not completed). */
  readonly #held = new Set<string>();
  #tokens = 0;

  constructor(
    redis: Redis,
    url: string,
    crawl: SharedCrawlIdentity,
    options: RedisCrawlFrontierOptions = {},
  ) {
    this.#redis = redis;
    this.description = `Redis at ${redactRedisUrl(url)} (crawl ${crawl.fingerprint})`;
    this.#keys = crawlKeys(crawl.fingerprint);
    this.#owner = crawl.owner;
    this.#maxPages = crawl.config.maxPages;
    this.#perHost = crawl.config.perHostConcurrency;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.renewEveryMs = Math.max(50, Math.min(1000, Math.floor(this.#leaseMs / 3)));
    // A host slot covers one request: its timeout, with room for a slow decode.
    this.#slotLeaseMs = Math.max(this.#leaseMs, crawl.config.timeoutMs * 2);
    this.#retention = options.retentionSeconds ?? CRAWL_RETENTION_SECONDS;
    for (const [name, lua] of Object.entries(SCRIPTS)) {
      redis.defineCommand(`growsetCrawl_${name}`, { lua: lua.lua, numberOfKeys: lua.keys });
    }
  }

  #call(name: keyof typeof SCRIPTS, keys: string[], args: (string | number)[]): Promise<unknown> {
    const command = (this.#redis as unknown as { [name: string]: (...a: unknown[]) => Promise<unknown> })[
      `growsetCrawl_${name}`
    ]!;
    return command.call(this.#redis, ...keys, ...args);
  }

  async forget(): Promise<void> {
    let cursor = '0';
    do {
      const [next, found] = await this.#redis.scan(cursor, 'MATCH', `${this.#keys.base}:*`, 'COUNT', 500);
      if (found.length > 0) await this.#redis.del(...found);
      cursor = next;
    } while (cursor !== '0');
  }

  async open(journaledKeys: ReadonlySet<string>): Promise<void> {
    // Keep the crawl's keys while it runs; `close(true)` sets their expiry.
    await this.#persistAll();
    const k = this.#keys;
    let cursor = '0';
    const prefix = `${this.#owner}\t`;
    do {
      const [next, pairs] = await this.#redis.hscan(k.committed, cursor, 'COUNT', 500);
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        const key = pairs[i]!;
        const value = pairs[i + 1]!;
        if (!value.startsWith(prefix) || journaledKeys.has(key)) continue;
        // Committed by this folder, never written: release it and load its page again.
        await this.#call(
          'release',
          [k.committed, k.frontier, k.leases],
          [key, value, value.slice(prefix.length)],
        );
      }
      cursor = next;
    } while (cursor !== '0');
  }

  async admit(url: string, depth: number): Promise<'queued' | 'seen' | 'max pages'> {
    const k = this.#keys;
    return (await this.#call(
      'admit',
      [k.seen, k.queued, k.depth, k.frontier],
      [url, depth, this.#maxPages],
    )) as 'queued' | 'seen' | 'max pages';
  }

  async markSeen(urls: readonly string[]): Promise<void> {
    if (urls.length > 0) await this.#redis.sadd(this.#keys.seen, ...urls);
  }

  async take(): Promise<LeasedPage | 'wait' | 'finished'> {
    const k = this.#keys;
    const reply = (await this.#call('take', [k.frontier, k.leases, k.depth], [this.#leaseMs])) as string[];
    if (reply[0] === 'page') {
      const url = reply[1]!;
      this.#held.add(url);
      return { url, depth: Number(reply[2] ?? 0) };
    }
    return reply[0] === 'finished' ? 'finished' : 'wait';
  }

  async renew(urls: readonly string[]): Promise<void> {
    const held = urls.filter((u) => this.#held.has(u));
    if (held.length > 0) await this.#call('renew', [this.#keys.leases], [this.#leaseMs, ...held]);
  }

  async complete(url: string): Promise<void> {
    this.#held.delete(url);
    await this.#redis.zrem(this.#keys.leases, url);
  }

  async claim(key: string, page: string): Promise<'mine' | 'collected' | { duplicateOf: string }> {
    const k = this.#keys;
    const reply = (await this.#call('claim', [k.claims, k.committed], [key, page])) as string[];
    if (reply[0] === 'duplicate') return { duplicateOf: reply[1]! };
    return reply[0] === 'collected' ? 'collected' : 'mine';
  }

  async commit(key: string, page: string): Promise<boolean> {
    return (await this.#redis.hsetnx(this.#keys.committed, key, `${this.#owner}\t${page}`)) === 1;
  }

  async hostSlot(host: string, delayMs: number, signal: AbortSignal): Promise<() => void> {
    const base = this.#keys.host(host);
    const slots = `${base}:slots`;
    this.#tokens += 1;
    const token = `${this.#owner}:${process.pid}:${this.#tokens}`;
    for (;;) {
      if (signal.aborted) throw signal.reason ?? new GrowsetError('aborted', { code: 'ERR_ABORTED' });
      const wait = Number(
        await this.#call(
          'hostSlot',
          [slots, `${base}:next`, `${base}:pause`],
          [token, delayMs, this.#perHost, this.#slotLeaseMs],
        ),
      );
      if (wait <= 0) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1000)));
    }
    return () => {
      this.#redis.zrem(slots, token).catch(() => {});
    };
  }

  async pauseHost(host: string, ms: number): Promise<void> {
    await this.#call('pause', [`${this.#keys.host(host)}:pause`], [ms]);
  }

  async robots(origin: string): Promise<StoredRobots | undefined> {
    const text = await this.#redis.hget(this.#keys.robots, origin);
    return text === null ? undefined : (JSON.parse(text) as StoredRobots);
  }

  async storeRobots(origin: string, robots: StoredRobots): Promise<void> {
    await this.#redis.hsetnx(this.#keys.robots, origin, JSON.stringify(robots));
  }

  async close(finished: boolean): Promise<void> {
    try {
      // Stopped early: hand the pages this process holds back at once rather than at lease expiry.
      const k = this.#keys;
      for (const url of this.#held) await this.#call('giveBack', [k.leases, k.frontier], [url]);
      this.#held.clear();
      if (finished) await this.#expireAll();
    } finally {
      this.#redis.disconnect();
    }
  }

  async #keysOfCrawl(): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.#redis.scan(cursor, 'MATCH', `${this.#keys.base}:*`, 'COUNT', 500);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return found;
  }

  async #persistAll(): Promise<void> {
    for (const key of await this.#keysOfCrawl()) if (!key.includes(':host:')) await this.#redis.persist(key);
  }

  async #expireAll(): Promise<void> {
    for (const key of await this.#keysOfCrawl()) {
      if (!key.includes(':host:')) await this.#redis.expire(key, this.#retention);
    }
  }
}

/**
 * The factory `crawl({ shared })` and `runScrapeJob({ shared })` take: every process given the
 * same Redis URL and config shares one crawl. `rediss://` uses TLS; the URL's password never
 * appears in messages or logs.
 */
export function redisCrawlFrontier(
  url: string,
  options: RedisCrawlFrontierOptions = {},
): SharedFrontierFactory {
  return async (crawl) => {
    const redis = await connectRedis(url, {
      ...(options.connectTimeoutMs === undefined ? {} : { timeoutMs: options.connectTimeoutMs }),
    });
    const frontier = new RedisCrawlFrontier(redis, url, crawl, options);
    if (crawl.fresh) await frontier.forget();
    return frontier;
  };
}
