import { parseCrawlConfig } from '@growset/scrape';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCrawlFrontier } from '../src/index.ts';
import { type LocalRedis, startLocalRedis } from './support/redis-server.ts';

// The shared crawl frontier on a real redis-server: several frontiers in one test stand for
// several processes (each its own connection and owner), so timings can be checked closely.

let redis: LocalRedis;
beforeAll(async () => {
  redis = await startLocalRedis();
});
afterAll(async () => {
  await redis?.stop();
});

let crawls = 0;
/** `count` processes sharing one new crawl. */
async function processes(count: number, options: { perHost?: number; leaseMs?: number } = {}) {
  crawls += 1;
  const config = parseCrawlConfig({
    start: [`http://example.test/${crawls}`],
    item: { fields: { label: { selector: '.label' } } },
    perHostConcurrency: options.perHost ?? 8,
  });
  const open = redisCrawlFrontier(redis.url, { leaseMs: options.leaseMs ?? 30_000 });
  return await Promise.all(
    Array.from({ length: count }, (_, i) =>
      open({ fingerprint: `test-${crawls}`, owner: `p${i}`, config, fresh: false }),
    ),
  );
}

const signal = new AbortController().signal;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the Redis crawl frontier', () => {
  it('admits each URL once over all processes, hands each page to one of them, and knows when all is done', async () => {
    const [a, b] = await processes(2);
    try {
      expect(await a!.admit('http://example.test/1', 0)).toBe('queued');
      expect(await b!.admit('http://example.test/1', 0)).toBe('seen');
      await b!.markSeen(['http://example.test/alias']);
      expect(await a!.admit('http://example.test/alias', 1)).toBe('seen');
      expect(await b!.take()).toEqual({ url: 'http://example.test/1', depth: 0 });
      expect(await a!.take()).toBe('wait'); // b holds a page that may still add links
      await b!.complete('http://example.test/1');
      expect(await a!.take()).toBe('finished');
    } finally {
      await a!.close(false);
      await b!.close(false);
    }
  });

  it('gives the page of a process that stopped renewing to another once its lease expires', async () => {
    const [a, b] = await processes(2, { leaseMs: 300 });
    try {
      await a!.admit('http://example.test/p', 2);
      expect(await a!.take()).toEqual({ url: 'http://example.test/p', depth: 2 });
      expect(await b!.take()).toBe('wait');
      await sleep(400); // a "died": no renewal
      expect(await b!.take()).toEqual({ url: 'http://example.test/p', depth: 2 });
    } finally {
      await a!.close(false);
      await b!.close(false);
    }
  });

  it('dedupes item keys across processes, and releases what a killed folder committed but never wrote', async () => {
    const [a, b] = await processes(2);
    try {
      expect(await a!.claim('k1', 'http://example.test/item/1')).toBe('mine');
      expect(await b!.claim('k1', 'http://example.test/alias/1')).toEqual({
        duplicateOf: 'http://example.test/item/1',
      });
      expect(await a!.commit('k1', 'http://example.test/item/1')).toBe(true);
      // The same page loaded again (a lease expired): the item is already in a folder.
      expect(await b!.claim('k1', 'http://example.test/item/1')).toBe('collected');
      expect(await b!.commit('k1', 'http://example.test/item/1')).toBe(false);
      // a restarts and its journal does not have k1: the key is released, its page queued again.
      await a!.open(new Set());
      expect(await b!.claim('k1', 'http://example.test/item/1')).toBe('mine');
      expect(await b!.take()).toEqual({ url: 'http://example.test/item/1', depth: 0 });
    } finally {
      await a!.close(false);
      await b!.close(false);
    }
  });

  it('enforces a host delay and concurrency over all processes, and a Retry-After pause for all', async () => {
    const frontiers = await processes(3, { perHost: 2 });
    try {
      // Concurrency: 3 processes x 3 tasks, at most 2 at a time on the host.
      let running = 0;
      let most = 0;
      await Promise.all(
        frontiers.flatMap((f) =>
          [0, 1, 2].map(async () => {
            const release = await f.hostSlot('slow.test', 0, signal);
            running += 1;
            most = Math.max(most, running);
            await sleep(40);
            running -= 1;
            release();
          }),
        ),
      );
      expect(most).toBe(2);

      // Delay: starts at least 60 ms apart whichever process asks.
      const starts: number[] = [];
      await Promise.all(
        frontiers.map(async (f) => {
          for (let i = 0; i < 2; i++) {
            const release = await f.hostSlot('polite.test', 60, signal);
            starts.push(performance.now());
            release();
          }
        }),
      );
      starts.sort((x, y) => x - y);
      for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(55);

      // Pause: one process's Retry-After holds the host for the others.
      await frontiers[0]!.pauseHost('busy.test', 300);
      const asked = performance.now();
      const release = await frontiers[2]!.hostSlot('busy.test', 0, signal);
      release();
      expect(performance.now() - asked).toBeGreaterThanOrEqual(250);
    } finally {
      for (const f of frontiers) await f.close(false);
    }
  });
});
