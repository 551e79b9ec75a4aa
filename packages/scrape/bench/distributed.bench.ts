// npx tsx --conditions=@growset/source packages/scrape/bench/distributed.bench.ts [--items N] [--processes P]
// A crawl shared through Redis (`growset scrape --queue`): the same 2,000-item fixture site
// crawled by 1 process and by P (3) processes, each a real `growset` CLI with its own output
// folder, against a redis-server of its own. Pages answer after 40 ms (a remote site's latency),
// per-host concurrency allows every process's requests. Prints wall times and the ratio.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable } from '@growset/core';
import { startFixtureSite } from '@growset/fixtures';
// The queue package's redis-server starter (127.0.0.1, a free port, a temporary dir).
import { startLocalRedis } from '../../queue/test/support/redis-server.ts';
import { exampleConfig } from '../test/helpers.ts';

const argValue = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
};
const items = Number(argValue('items') ?? 2000);
const processes = Number(argValue('processes') ?? 3);
const bin = fileURLToPath(new URL('../../cli/bin/growset.js', import.meta.url));
const { mkdtemp, rm } = await import('node:fs/promises');
const { tmpdir } = await import('node:os');

const site = await startFixtureSite({
  items,
  perPage: 20,
  crawlDelay: null,
  slowRate: 1,
  slowMs: 40,
  seed: 3,
});
const redis = await startLocalRedis();
const dir = await mkdtemp(join(tmpdir(), 'growset-crawl-bench-'));
const collectable = site.expected.filter((e) => !e.jsOnly && !e.broken).length;

async function crawlWith(count: number): Promise<{ ms: number; items: number }> {
  // A new start URL query per run makes it a new crawl (another fingerprint, fresh Redis keys).
  const config = exampleConfig(site, {
    start: [`${site.url}?run=${count}`],
    concurrency: 8,
    perHostConcurrency: 8 * processes,
    maxPages: 100_000,
  });
  const path = join(dir, `crawl-${count}.json`);
  await writeFile(path, JSON.stringify(config));
  const started = performance.now();
  const children: ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    children.push(
      spawn(
        process.execPath,
        [bin, 'scrape', path, '--out', join(dir, `out-${count}-${i}`), '--queue', redis.url, '--json'],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...process.env, GROWSET_SOURCE: '1' },
        },
      ),
    );
  }
  const codes = await Promise.all(
    children.map((c) => new Promise<number | null>((done) => c.on('exit', done))),
  );
  const ms = performance.now() - started;
  if (codes.some((c) => c !== 0)) throw new Error(`a crawl process failed: exit codes ${codes.join(', ')}`);
  let written = 0;
  const keys = new Set<string>();
  for (let i = 0; i < count; i++) {
    const out = join(dir, `out-${count}-${i}`);
    const report = JSON.parse(await readFile(join(out, 'crawl-report.json'), 'utf8'));
    written += report.items as number;
    const manifest = await readFile(join(out, 'images', 'manifest.jsonl'), 'utf8');
    for (const line of manifest.split('\n')) if (line !== '') keys.add(String(JSON.parse(line).meta?.key));
  }
  if (keys.size !== written) throw new Error(`${written} items written but ${keys.size} distinct keys`);
  return { ms, items: written };
}

try {
  const one = await crawlWith(1);
  const many = await crawlWith(processes);
  const rows = [
    [
      '1 process',
      String(one.items),
      `${(one.ms / 1000).toFixed(1)} s`,
      (one.items / (one.ms / 1000)).toFixed(0),
      '1.00x',
    ],
    [
      `${processes} processes`,
      String(many.items),
      `${(many.ms / 1000).toFixed(1)} s`,
      (many.items / (many.ms / 1000)).toFixed(0),
      `${(one.ms / many.ms).toFixed(2)}x`,
    ],
  ];
  console.log(formatTable(['crawl through Redis', 'items', 'wall time', 'items/s', 'speed-up'], rows));
  console.log(`expected items ${collectable}; each run includes its processes' start-up`);
  if (one.items !== collectable || many.items !== collectable) process.exitCode = 1;
} finally {
  await redis.stop();
  await site.close();
  await rm(dir, { recursive: true, force: true });
}
