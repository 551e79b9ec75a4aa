import { type ChildProcess, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { QuarantineRecord } from '@growset/core';
import { type FixtureSite, startFixtureSite } from '@growset/fixtures';
import { crawlKeys } from '@growset/queue';
import { configFingerprint, parseCrawlConfig } from '@growset/scrape';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The queue package's own redis-server starter (a real server on a free port in a temp dir).
import { type LocalRedis, startLocalRedis } from '../../queue/test/support/redis-server.ts';
import { runGrowset } from '../src/index.ts';
import {
  growsetBin,
  journaledItems,
  jsonLines,
  manifestOf,
  removeScrapeTempDirs,
  scrapeTempDir,
  writeCrawlConfig,
} from './helpers/scrape.ts';

const PASSWORD = 'crawl-s3cret';
let redis: LocalRedis;
beforeAll(async () => {
  redis = await startLocalRedis({ password: PASSWORD });
});
afterAll(async () => {
  await redis?.stop();
  await removeScrapeTempDirs();
});

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function scrape(
  config: string,
  out: string,
  url: string,
  env: NodeJS.ProcessEnv = {},
  extra: string[] = [],
): Run {
  const child = spawn(
    process.execPath,
    [
      growsetBin,
      'scrape',
      config,
      '--out',
      out,
      '--queue',
      url,
      '--lease-ms',
      '1500',
      '--json',
      '--verbose',
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let output = '';
  child.stdout!.on('data', (d) => {
    output += String(d);
  });
  child.stderr!.on('data', (d) => {
    output += String(d);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return { child, output: () => output, exited };
}

const keyId = (key: unknown) => /\/item\/(\d{4})$/.exec(String(key))?.[1];

async function imageCount(out: string): Promise<number> {
  const files = await readdir(join(out, 'images'), { recursive: true });
  return files.filter((f) => f.endsWith('.png')).length;
}

describe('growset scrape --queue: one crawl shared by several processes through Redis', () => {
  let site: FixtureSite;
  afterAll(async () => site?.close());

  it('3 processes, one SIGKILLed mid-crawl and restarted, 429s with Retry-After: every item exactly once, robots.txt obeyed', async () => {
    site = await startFixtureSite({
      items: 60,
      perPage: 10,
      crawlDelay: 0.02,
      seed: 21,
      faults: { error500: 0.05, tooManyRequests: 0.03, retryAfterSeconds: 1, maxPerUrl: 1 },
    });
    const dir = await scrapeTempDir();
    const { path: configPath, config } = await writeCrawlConfig(dir, site, { concurrency: 4 });
    const outs = [0, 1, 2].map((i) => join(dir, `out-${i}`));

    const runs = outs.map((out) => scrape(configPath, out, redis.url));
    const deadline = Date.now() + 40_000;
    // The first process to have written 5 items is killed.
    const busiest = () => outs.findIndex((out) => journaledItems(out) >= 5);
    while (busiest() === -1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const victim = busiest();
    expect(victim).toBeGreaterThanOrEqual(0);
    runs[victim]!.child.kill('SIGKILL');
    expect((await runs[victim]!.exited).signal).toBe('SIGKILL');
    for (const run of runs.filter((_, i) => i !== victim))
      expect((await run.exited).code, run.output()).toBe(0);

    // The killed process, started again on its folder, releases what it had not written.
    const restarted = scrape(configPath, outs[victim]!, redis.url);
    expect((await restarted.exited).code, restarted.output()).toBe(0);

    const manifests = await Promise.all(outs.map((out) => manifestOf(out)));
    const ids = manifests.flat().map((m) => keyId(m.meta?.key));
    const collectable = site.expected.filter((e) => !e.jsOnly && !e.broken);
    expect(ids.length).toBe(new Set(ids).size);
    expect(ids.sort()).toEqual(collectable.map((e) => e.id).sort());
    for (const [i, out] of outs.entries()) expect(await imageCount(out)).toBe(manifests[i]!.length);
    expect(
      manifests.filter((m) => m.length > 0).length,
      [...runs, restarted].map((r) => r.output().trim().split('\n').at(-1)).join('\n'),
    ).toBeGreaterThanOrEqual(2);
    const quarantined = (
      await Promise.all(outs.map((out) => jsonLines<QuarantineRecord>(join(out, 'quarantine.jsonl'))))
    ).flat();
    expect(quarantined.length).toBe(new Set(quarantined.map((q) => q.id)).size);
    expect(quarantined.length).toBe(site.expected.length - collectable.length);

    // robots.txt: nothing under /private/ was requested, and the file was fetched once per process at most.
    expect(site.requests.filter((r) => r.path.startsWith('/private/'))).toEqual([]);
    expect(site.requests.filter((r) => r.path === '/robots.txt').length).toBeLessThanOrEqual(4);
    // Retry-After holds for every process: after a 429, the host gets nothing until it has passed
    // (requests that had their slot before the pause may land a little later on a loaded machine).
    const throttled = site.requests.filter((r) => r.fault === '429');
    expect(throttled.length).toBeGreaterThan(0);
    for (const hit of throttled) {
      const during = site.requests.filter((r) => r.at > hit.at + 400 && r.at < hit.at + 900);
      expect(during.map((r) => `${r.path} +${r.at - hit.at} ms`)).toEqual([]);
    }
    // Crawl-delay (20 ms) holds over all processes together, not per process.
    const pages = site.requests.filter((r) => r.path !== '/robots.txt');
    const span = pages.at(-1)!.at - pages[0]!.at;
    expect(span).toBeGreaterThanOrEqual((pages.length - 1) * 20 * 0.8);

    // The password never shows; the shared state says the crawl is done.
    for (const run of [...runs, restarted]) expect(run.output()).not.toContain(PASSWORD);
    const client = new Redis(redis.url);
    try {
      const keys = crawlKeys(configFingerprint(parseCrawlConfig(config)));
      expect(await client.zcard(keys.frontier)).toBe(0);
      expect(await client.zcard(keys.leases)).toBe(0);
      // Items and quarantined items alike are committed to one folder each.
      expect(await client.hlen(keys.committed)).toBe(site.expected.length);
      expect(await client.ttl(keys.seen)).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  });

  it('over TLS with a password: every process killed and started again resumes the crawl', async () => {
    const secure = await startLocalRedis({ password: PASSWORD, tls: true });
    const small = await startFixtureSite({ items: 30, perPage: 10, crawlDelay: 0.02, seed: 5 });
    try {
      const dir = await scrapeTempDir();
      const { path: configPath } = await writeCrawlConfig(dir, small, { concurrency: 2 });
      const outs = [0, 1].map((i) => join(dir, `out-${i}`));
      const env = { NODE_EXTRA_CA_CERTS: secure.caFile! };
      expect(secure.url).toMatch(/^rediss:\/\/:/);
      const first = outs.map((out) => scrape(configPath, out, secure.url, env));
      const deadline = Date.now() + 40_000;
      while (journaledItems(outs[0]!) + journaledItems(outs[1]!) < 6 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      for (const run of first) run.child.kill('SIGKILL');
      for (const run of first) expect((await run.exited).signal, run.output()).toBe('SIGKILL');
      const before = site.requests.length;
      expect(before).toBeGreaterThan(0);

      const second = outs.map((out) => scrape(configPath, out, secure.url, env));
      for (const run of second) expect((await run.exited).code, run.output()).toBe(0);
      const ids = (await Promise.all(outs.map((out) => manifestOf(out))))
        .flat()
        .map((m) => keyId(m.meta?.key));
      const collectable = small.expected.filter((e) => !e.jsOnly && !e.broken);
      expect(ids.length).toBe(new Set(ids).size);
      expect(ids.sort()).toEqual(collectable.map((e) => e.id).sort());
      const summaries = second.map((run) => JSON.parse(run.output().trim().split('\n').at(-1)!));
      expect(summaries.some((s) => s.resumedItems > 0)).toBe(true);
      for (const run of [...first, ...second]) expect(run.output()).not.toContain(PASSWORD);

      // A process joining a finished crawl crawls nothing again; with --fresh it starts the crawl over.
      const late = scrape(configPath, join(dir, 'out-late'), secure.url, env);
      expect((await late.exited).code, late.output()).toBe(0);
      expect(await manifestOf(join(dir, 'out-late'))).toHaveLength(0);
      const fresh = scrape(configPath, join(dir, 'out-fresh'), secure.url, env, ['--fresh']);
      expect((await fresh.exited).code, fresh.output()).toBe(0);
      expect(await manifestOf(join(dir, 'out-fresh'))).toHaveLength(collectable.length);
    } finally {
      await small.close();
      await secure.stop();
    }
  });

  it('says in one line, without the password, when Redis cannot be reached', async () => {
    const dir = await scrapeTempDir();
    const { path: configPath } = await writeCrawlConfig(dir, site);
    const url = `redis://:${PASSWORD}@127.0.0.1:1/0`;
    const result = await runGrowset(['scrape', configPath, '--out', join(dir, 'out'), '--queue', url]);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toMatch(
      /^growset scrape: Cannot reach Redis at redis:\/\/\*\*\*@127\.0\.0\.1:1\/0: connect ECONNREFUSED/,
    );
    expect(result.stderr + result.stdout).not.toContain(PASSWORD);
    const bad = await runGrowset(['scrape', configPath, '--queue', 'http://x']);
    expect(bad.code).toBe(2);
  });
});
