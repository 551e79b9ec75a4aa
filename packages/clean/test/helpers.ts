import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { MemoryQuarantine, pipeline, type RunSummary, type Source, type Stage } from '@growset/core';

/** A fresh temporary folder, removed by the returned `cleanup`. */
export async function tempDir(
  prefix = 'growset-clean-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Bytes as a stream cut into chunks of `size` bytes (to test chunk boundaries). */
export function chunked(bytes: Uint8Array, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(Buffer.from(bytes.subarray(i, i + size)));
  return Readable.from(chunks);
}

/** Runs a source through stages, collecting output, quarantine records and the run summary. */
export async function runAll<T>(
  source: Source<unknown>,
  ...stages: Stage<unknown, unknown>[]
): Promise<{ items: T[]; quarantine: MemoryQuarantine; summary: RunSummary }> {
  const quarantine = new MemoryQuarantine();
  let p = pipeline(source);
  for (const stage of stages) p = p.pipe(stage);
  const { items, summary } = await p.collect({ quarantine });
  return { items: items as T[], quarantine, summary };
}
