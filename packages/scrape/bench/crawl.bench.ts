// npm run bench [-- --items N] [-- --only http|browser|<name part>]
// Pages/s and peak RSS (process tree, browser included) of growset's http and browser engines
// and Crawlee 3's CheerioCrawler and PlaywrightCrawler doing the same work on one fixture site,
// each crawler in its own fresh process, the site in another. Prints ratios against Crawlee.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { formatTable } from '@growset/core';
import { findChromium } from '../src/index.ts';
import type { RunnerResult } from './runners/shared.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const argValue = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
};
const items = Number(argValue('items') ?? 2000);
const only = argValue('only');
const tsx = join(here, '../../../node_modules/.bin/tsx');
/** growset's packages from their sources, as in the tests (no build needed). */
const SOURCE = '--conditions=@growset/source';
const chromium = findChromium()?.path;
// The lighter headless shell when Debian's is installed, for both crawlers alike.
const headlessShell = '/usr/lib/chromium/chromium-headless-shell';
const browserPath = readable(headlessShell) ? headlessShell : chromium;

function readable(path: string): boolean {
  try {
    readFileSync(path, { flag: 'r' }).length;
    return true;
  } catch {
    return false;
  }
}

interface Expected {
  url: string;
  http: number;
  browser: number;
  pages: number;
}

function lines(child: ChildProcess): AsyncIterableIterator<string> {
  return createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
}

/** RSS of a process and all its descendants, in bytes, from /proc. */
function treeRss(root: number): number {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      continue;
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

async function runCrawler(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  siteUrl: string,
  concurrency: number,
): Promise<RunnerResult & { name: string; peakRss: number }> {
  const out = await mkdtemp(join(tmpdir(), 'growset-bench-'));
  try {
    const child = spawn(tsx, [SOURCE, join(here, 'runners', script), siteUrl, out, String(concurrency)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let peakRss = 0;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, treeRss(child.pid!));
    }, 50);
    let last = '';
    for await (const line of lines(child)) if (line.startsWith('{')) last = line;
    const code = await new Promise<number | null>((done) =>
      child.exitCode !== null ? done(child.exitCode) : child.on('exit', done),
    );
    clearInterval(sampler);
    if (code !== 0 || last === '') throw new Error(`${name} failed (exit ${code})`);
    return { name, peakRss, ...(JSON.parse(last) as RunnerResult) };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

const site = spawn(tsx, [SOURCE, join(here, 'site-server.ts'), String(items)], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const expected = JSON.parse((await lines(site).next()).value as string) as Expected;
console.log(
  `Fixture site: ${items} items, ${expected.pages} reachable pages at ${expected.url}; Chromium: ${browserPath ?? 'none'}`,
);

const browserEnv = browserPath ? { GROWSET_CHROMIUM: browserPath } : {};
const plan: [string, string, NodeJS.ProcessEnv, number, 'http' | 'browser'][] = [
  ['crawlee CheerioCrawler', 'crawlee.ts', { CRAWLEE_KIND: 'cheerio' }, 16, 'http'],
  ['growset http', 'growset.ts', { GROWSET_ENGINE: 'http' }, 16, 'http'],
  ['crawlee PlaywrightCrawler', 'crawlee.ts', { CRAWLEE_KIND: 'playwright', ...browserEnv }, 4, 'browser'],
  ['growset browser', 'growset.ts', { GROWSET_ENGINE: 'browser', ...browserEnv }, 4, 'browser'],
];
const results: (RunnerResult & {
  name: string;
  peakRss: number;
  kind: 'http' | 'browser';
  concurrency: number;
})[] = [];
try {
  for (const [name, script, env, concurrency, kind] of plan) {
    if (only && only !== kind && !name.includes(only)) continue;
    if (kind === 'browser' && !browserPath) {
      console.log(`${name}: skipped, no Chromium found`);
      continue;
    }
    const result = await runCrawler(name, script, env, expected.url, concurrency);
    results.push({ ...result, kind, concurrency });
    console.log(
      `${name}: ${result.pages} pages, ${result.items} items in ${(result.wallMs / 1000).toFixed(1)} s, peak RSS ${(result.peakRss / 2 ** 20).toFixed(0)} MB`,
    );
  }
} finally {
  site.stdin?.end();
}

const rows = results.map((r) => {
  const pagesPerSecond = r.pages / (r.wallMs / 1000);
  const baseline = results.find((b) => b.kind === r.kind && b.name.startsWith('crawlee'));
  const basePps = baseline ? baseline.pages / (baseline.wallMs / 1000) : undefined;
  const want = r.kind === 'http' ? expected.http : expected.browser;
  return [
    r.name,
    r.concurrency,
    r.pages,
    `${r.items}/${want}`,
    Number(pagesPerSecond.toFixed(1)),
    Math.round(r.peakRss / 2 ** 20),
    basePps ? `${(pagesPerSecond / basePps).toFixed(2)}x` : '-',
    baseline ? `${(r.peakRss / baseline.peakRss).toFixed(2)}x` : '-',
  ] as (string | number)[];
});
console.log('');
console.log(
  formatTable(
    [
      'crawler',
      'concurrency',
      'pages',
      'items/expected',
      'pages/s',
      'peak RSS MB',
      'pages/s vs crawlee',
      'RSS vs crawlee',
    ],
    rows,
  ),
);
const short = results.filter((r) => r.items !== (r.kind === 'http' ? expected.http : expected.browser));
if (short.length > 0) {
  console.log(`\nNot every item collected by: ${short.map((r) => r.name).join(', ')}`);
  process.exitCode = 1;
}
