import { PassThrough } from 'node:stream';
import { fromIterable, mapStage, pipeline } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { createProgressRenderer } from '../src/index.ts';

describe('progress renderer', () => {
  it('prints plain lines when the stream is not a terminal, ending with per-stage counts', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (c: Buffer) => {
      text += c.toString();
    });
    const renderer = createProgressRenderer(stream, { tty: false, intervalMs: 0 });
    await pipeline(
      fromIterable(
        'numbers',
        Array.from({ length: 300 }, (_, n) => ({ id: `n${n}`, n })),
      ),
      mapStage('keep', (x: { id: string; n: number }) => x),
    ).run({ name: 'demo', onProgress: renderer.listener });
    renderer.listener({ type: 'task', task: 'trials', done: 3, total: 3, message: 'all done' });
    renderer.stop();
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('[demo] start: numbers -> keep');
    expect(lines).toContain('[demo] keep: in 300, out 300');
    expect(lines).toContain('[demo] done');
    expect(lines[lines.length - 1]).toBe('[trials] 3/3 - all done');
    expect(text).not.toContain('\u001b['); // no terminal escape codes in plain mode
  });

  it('draws progress bars on a terminal', async () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
    let text = '';
    stream.on('data', (c: Buffer) => {
      text += c.toString();
    });
    const renderer = createProgressRenderer(stream);
    renderer.listener({ type: 'task', task: 'trials', done: 1, total: 4 });
    renderer.listener({ type: 'task', task: 'trials', done: 4, total: 4 });
    renderer.stop();
    expect(text).toMatch(/trials\s+\|[█░]+\| 4\/4/);
  });
});
