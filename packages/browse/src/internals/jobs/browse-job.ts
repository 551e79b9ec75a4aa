import { resolve } from 'node:path';
import type { JobContext, JobResult, JsonObject } from '@growset/core';
import { exportStatic } from '../export.ts';
import type { OpenOptions } from '../index-db.ts';
import { type BrowseServer, isLoopback, startBrowseServer } from '../server.ts';

/** What `growset browse` runs. */
export interface BrowseJobOptions extends OpenOptions {
  /** An ImageFolder, CSV file, JSONL manifest or quarantine file, or a growset output folder. */
  input: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** Relative paths resolve against this folder. @default process.cwd() */
  cwd?: string;
}

export type BrowseJobSummary = JsonObject & {
  input: string;
  url: string;
  kind: string;
  rows: number;
  reusedIndex: boolean;
};

/** A running browse server: its address, and `close()`, which stops it and returns the job's result. */
export interface BrowseJob {
  url: string;
  summary: BrowseJobSummary;
  /** The server itself (its index answers queries without HTTP). */
  server: BrowseServer;
  close(): Promise<JobResult<BrowseJobSummary>>;
}

/**
 * Starts the browse web app for a dataset: the work behind `growset browse`. It serves until
 * `close()` (or until `context.signal` aborts, which closes it). Logs a warning when `host` is not
 * loopback, the row count, and the dataset's notes.
 */
export async function startBrowseJob(
  options: BrowseJobOptions,
  context: JobContext = {},
): Promise<BrowseJob> {
  const { input: raw, cwd, ...open } = options;
  const input = resolve(cwd ?? process.cwd(), raw);
  const host = open.host ?? '127.0.0.1';
  const server = await startBrowseServer(input, open);
  if (!isLoopback(host))
    context.logger?.warn(`--host ${host} exposes this dataset to every machine that can reach this address`);
  const total = server.index.total;
  context.logger?.info(
    `${total} rows (${server.index.kind})${server.index.reused ? ', cached index reused' : ''}; press Ctrl-C to stop`,
  );
  for (const note of server.index.notes) context.logger?.warn(note);
  const summary: BrowseJobSummary = {
    input,
    url: server.url,
    kind: server.index.kind,
    rows: total,
    reusedIndex: server.index.reused,
  };
  let closing: Promise<JobResult<BrowseJobSummary>> | undefined;
  const close = () => {
    closing ??= server.close().then(() => ({ summary, files: {}, text: 'Stopped.\n' }));
    return closing;
  };
  context.signal?.addEventListener('abort', () => void close(), { once: true });
  return { url: server.url, summary, server, close };
}

export interface BrowseExportJobOptions extends OpenOptions {
  input: string;
  /** The folder to write the static site to. */
  out: string;
  /** Only rows matching this filter. @default every row */
  filter?: string;
  /** @default process.cwd() */
  cwd?: string;
}

/** Writes the static site of `growset browse --export` and says where it is. */
export async function runBrowseExportJob(
  options: BrowseExportJobOptions,
  _context: JobContext = {},
): Promise<JobResult<JsonObject, { export: string; index: string }>> {
  const { input: raw, out: rawOut, cwd, ...open } = options;
  const input = resolve(cwd ?? process.cwd(), raw);
  const out = resolve(cwd ?? process.cwd(), rawOut);
  const written = await exportStatic(input, out, open);
  return {
    summary: {
      input,
      export: written.dir,
      rows: written.rows,
      thumbnails: written.thumbnails,
      images: written.images,
    },
    files: { export: written.dir, index: `${written.dir}/index.html` },
    text: `Exported ${written.rows} rows (${written.thumbnails} thumbnails, ${written.images} images) to ${out}; open ${out}/index.html\n`,
  };
}
