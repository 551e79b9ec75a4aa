import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ManifestEntry } from '@growset/core';
import type { FixtureSite } from '@growset/fixtures';
import type { CrawlConfig } from '@growset/scrape';
import { exampleConfig } from '../../../scrape/test/helpers.ts';

/** The `growset` bin, for tests that run the CLI in child processes (SIGKILL). */
export const growsetBin = resolve(fileURLToPath(import.meta.url), '../../../bin/growset.js');

/** The scrape tests' config for the fixture site (scrape's own test helper), written into `dir`. */
export async function writeCrawlConfig(
  dir: string,
  site: FixtureSite,
  overrides: Partial<CrawlConfig> = {},
): Promise<{ path: string; config: CrawlConfig }> {
  const config = exampleConfig(site, overrides);
  const path = join(dir, 'crawl.json');
  await writeFile(path, JSON.stringify(config));
  return { path, config };
}

const dirs: string[] = [];
export async function scrapeTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'growset-cli-scrape-'));
  dirs.push(dir);
  return dir;
}
export async function removeScrapeTempDirs(): Promise<void> {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
}

/** The lines of a JSONL file (none when it does not exist). */
export async function jsonLines<T>(path: string): Promise<T[]> {
  if (!existsSync(path)) return [];
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}

export const manifestOf = (out: string) => jsonLines<ManifestEntry>(join(out, 'images', 'manifest.jsonl'));

/** Items a crawl's journal says are on disk (to kill a crawl once it has written some). */
export function journaledItems(out: string): number {
  const path = join(out, '.crawl', 'journal.jsonl');
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{"t":"item"')).length;
}
