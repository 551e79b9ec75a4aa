import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ManifestEntry, MemoryQuarantine, pipeline, type QuarantineRecord } from '@growset/core';
import type { FixtureSite } from '@growset/fixtures';
import { type CrawlConfig, type CrawlStats, crawlSource } from '../src/index.ts';

/** The config shape from the issue, pointed at a fixture site, with test-friendly timings. */
export function exampleConfig(site: FixtureSite, overrides: Partial<CrawlConfig> = {}): CrawlConfig {
  return {
    start: [site.url],
    engine: 'http',
    allowHosts: ['127.0.0.1'],
    allowPrivateNetwork: true,
    follow: ['a.next', 'a.item'],
    item: {
      urlPattern: '/item/',
      fields: {
        label: { selector: '.label' },
        image: { selector: 'img.photo', attr: 'src', asset: 'image' },
      },
    },
    concurrency: 8,
    maxPages: 5000,
    backoffMs: 20,
    ...overrides,
  };
}

const folders: string[] = [];

export async function tempDir(prefix = 'growset-scrape-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
}

export async function readLines<T>(path: string): Promise<T[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);
}

export const readManifestEntries = (out: string) =>
  readLines<ManifestEntry>(join(out, 'images', 'manifest.jsonl'));
export const readQuarantine = (out: string) => readLines<QuarantineRecord>(join(out, 'quarantine.jsonl'));

/** Image files under the ImageFolder, as `label/name`. */
export async function imageFiles(out: string): Promise<string[]> {
  const root = join(out, 'images');
  const files: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const name of await readdir(join(root, entry.name))) files.push(`${entry.name}/${name}`);
  }
  return files.sort();
}

/** `/item/0042` -> `0042`, from a page URL. */
export function itemIdOf(url: string | undefined): string | undefined {
  return url === undefined ? undefined : /\/item\/(\d{4})$/.exec(new URL(url).pathname)?.[1];
}

/** Crawls without files (`crawlSource` through a pipeline): the items, stats and quarantine records. */
export async function collectCrawl(config: CrawlConfig) {
  let stats: CrawlStats | undefined;
  const quarantine = new MemoryQuarantine();
  const { items, summary } = await pipeline(
    crawlSource(config, { onCrawler: (c) => (stats = c.stats) }),
  ).collect({ quarantine });
  return { items, stage: summary.stages[0]!, stats: stats!, quarantine: quarantine.records };
}
