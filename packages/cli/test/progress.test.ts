import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fromIterable, mapStage, type ProgressEvent, pipeline, type StageProgress } from '@growset/core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { main } from '../src/index.ts';
import {
  applyProgressEvent,
  createProgressRenderer,
  createProgressState,
  renderProgressLines,
} from '../src/progress.ts';

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
});

/** A stage's counts; a source's `in` is what it read (out + filtered + quarantined), as in a run. */
function stage(name: string, counts: Partial<StageProgress>): StageProgress {
  const c = { out: 0, created: 0, filtered: 0, quarantined: 0, ...counts };
  return { stage: name, in: counts.in ?? c.out + c.filtered + c.quarantined, ...c };
}

/** The lines a terminal shows after `events`, each applied at its time in ms. */
function lines(events: [number, ProgressEvent][], now: number): string[] {
  const state = createProgressState();
  for (const [t, event] of events) applyProgressEvent(state, event, t);
  return renderProgressLines(state, now, 200);
}

describe('terminal progress (a pure function of events and the clock)', () => {
  const run = 'augment';
  const start: [number, ProgressEvent] = [
    0,
    { type: 'run-start', run, stages: ['read-image-folder', 'augment-images', 'write-image-folder'] },
  ];

  it("shows one overall bar from the source's total, with rate, ETA and each stage's counts", () => {
    const shown = lines(
      [
        start,
        [
          1000,
          { type: 'stage-progress', run, progress: stage('read-image-folder', { out: 50, total: 600 }) },
        ],
        [
          10_000,
          {
            type: 'stage-progress',
            run,
            progress: stage('read-image-folder', { out: 199, filtered: 1, total: 600 }),
          },
        ],
        [
          10_000,
          {
            type: 'stage-progress',
            run,
            progress: stage('augment-images', { in: 195, out: 585, created: 390 }),
          },
        ],
        [
          10_000,
          { type: 'stage-progress', run, progress: stage('write-image-folder', { in: 585, out: 585 }) },
        ],
      ],
      10_000,
    );
    // 200 of 600 files in 10 s: 20/s, 400 left: 20 s. Later stages show counts, never a full bar.
    expect(shown).toEqual([
      'augment  [████████░░░░░░░░░░░░░░░░]  200/600  33%  20/s  ETA 0:20',
      '  read-image-folder 200/600 (1 filtered) · augment-images 195 -> 585 · write-image-folder 585',
    ]);
  });

  it('says when a run ended, how long it took, and whether it failed', () => {
    const final = [
      stage('read-image-folder', { out: 600, total: 600 }),
      stage('augment-images', { in: 600, out: 1800, created: 1200 }),
      stage('write-image-folder', { in: 1800, out: 1790, quarantined: 10 }),
    ];
    expect(lines([start, [30_000, { type: 'run-end', run, stages: final, ok: true }]], 30_000)).toEqual([
      'augment done  [████████████████████████]  600/600  100%  20/s  in 0:30',
      '  read-image-folder 600/600 · augment-images 600 -> 1800 · write-image-folder 1800 -> 1790 (10 quarantined)',
    ]);
    expect(lines([start, [2000, { type: 'run-end', run, stages: final, ok: false }]], 2000)[0]).toMatch(
      /^augment failed {2}\[/,
    );
  });

  it('measures a CSV source by the bytes of its file when it does not know its rows', () => {
    const csv = (bytes: number) =>
      ({
        type: 'stage-progress',
        run: 'clean',
        progress: stage('read-csv', { out: bytes / 128, bytes, totalBytes: 4 * 1024 ** 2 }),
      }) as const;
    expect(
      lines(
        [
          [0, { type: 'run-start', run: 'clean', stages: ['read-csv'] }],
          [4000, csv(1024 ** 2)],
        ],
        4000,
      ),
    ).toEqual([
      'clean  [██████░░░░░░░░░░░░░░░░░░]  1.0 MB/4.0 MB  25%  256.0 KB/s  ETA 0:12',
      '  read-csv 8192',
    ]);
  });

  it("rates a resumed study's trials from where it resumed, and shows a crawl without a budget as a count", () => {
    const trials = (done: number, message?: string): ProgressEvent => ({
      type: 'task',
      task: 'study digits',
      done,
      total: 12,
      ...(message ? { message } : {}),
    });
    expect(
      lines(
        [
          [0, trials(4, '4 worker(s)')],
          [8000, trials(8, 'l2/100/1: test 91.5%')],
          [8000, { type: 'task', task: 'crawl', done: 40 }],
        ],
        10_000,
      ),
    ).toEqual([
      // 4 trials were done before: 4 more in 10 s is 0.4/s, 4 left: 10 s.
      'study digits  [████████████████░░░░░░░░]  8/12  66%  0.4/s  ETA 0:10  l2/100/1: test 91.5%',
      'crawl  40',
    ]);
  });
});

describe('a real growset augment on a terminal', () => {
  it('draws the overall bar with per-stage counts, ending at every file read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'growset-progress-'));
    try {
      for (const label of ['a', 'b']) {
        await mkdir(join(dir, 'in', label), { recursive: true });
        for (let i = 0; i < 6; i++)
          await sharp({
            create: { width: 16, height: 16, channels: 3, background: { r: 40 * i, g: 90, b: 200 } },
          })
            .png()
            .toFile(join(dir, 'in', label, `${i}.png`));
      }
      await writeFile(join(dir, 'in', 'notes.txt'), 'not an image');
      await writeFile(
        join(dir, 'recipe.json'),
        '{"type":"compose","transforms":[{"type":"horizontalFlip","p":0.5}]}',
      );
      const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 160 });
      let text = '';
      stderr.on('data', (c: Buffer) => {
        text += c.toString();
      });
      const stdout = new PassThrough();
      stdout.resume();
      const code = await main(
        ['augment', 'in', '--out', 'out', '--recipe', 'recipe.json', '--copies', '2', '--seed', '1'],
        { cwd: dir, stdout, stderr, handleSignals: false },
      );
      expect(code).toBe(0);
      // What a person reads last: 13 entries read (12 images, 1 filtered), 12 images made 36.
      const esc = String.fromCharCode(27);
      const screen = text.replace(new RegExp(`${esc}\\[[0-9;?]*[A-Za-z]`, 'g'), '');
      expect(screen).toMatch(/augment done {2}\[█{24}\] {2}13\/13 {2}100%/);
      expect(screen).toContain(
        'read-image-folder 13/13 (1 filtered) · augment-images 12 -> 36 · write-image-folder 36',
      );
      expect(text.endsWith('\u001b[?25h')).toBe(true); // the cursor is given back
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
