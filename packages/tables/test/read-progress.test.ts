import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ProgressEvent, pipeline } from '@growset/core';
import { expect, it } from 'vitest';
import { readCsv } from '../src/index.ts';

it('reports the bytes it has read against the file size, so a progress bar knows the whole', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'growset-read-progress-'));
  try {
    const file = join(dir, 'big.csv');
    const lines = ['x,y,label'];
    for (let i = 0; i < 20_000; i++) lines.push(`${i},${(i * 7) % 13},${i % 3 === 0 ? 'a' : 'b'}`);
    await writeFile(file, `${lines.join('\n')}\n`);
    const size = (await stat(file)).size;
    const events: ProgressEvent[] = [];
    const summary = await pipeline(readCsv(file, { chunkBytes: 16 * 1024 })).run({
      onProgress: (event) => events.push(event),
    });
    expect(summary.stages[0]).toMatchObject({ in: 20_000, out: 20_000 });
    const source = events
      .filter((e) => e.type === 'stage-progress' || e.type === 'run-end')
      .map((e) => (e.type === 'run-end' ? e.stages[0]! : e.progress));
    const bytes = source.map((p) => p.bytes ?? 0);
    // Updates (throttled by the pipeline) never go back, always carry the size, and end at it.
    for (let i = 1; i < bytes.length; i++) expect(bytes[i]).toBeGreaterThanOrEqual(bytes[i - 1]!);
    for (const p of source.filter((q) => q.bytes !== undefined)) expect(p.totalBytes).toBe(size);
    expect(source.at(-1)).toMatchObject({ bytes: size, totalBytes: size });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
