/**
 * Benchmarks of @growset/clean, each against a baseline measured in the same process:
 *
 * 1. rows/s of `readCsv` + `validate` (zod, with coercion) on a generated 200,000 x 10 CSV,
 *    against csv-parse alone streaming the same file (target ratio >= 0.5);
 * 2. memory while `readCsv` with a schema streams a 1 GB CSV (a generated block repeated): it
 *    must stay flat, not grow with the input;
 * 3. images/s of `checkImages` + dHash dedupe on 1,000 real images (MNIST digits, PNG and JPEG),
 *    against a bare sharp decode of the same images.
 * 4. rows/s of CSV reading (`readCsv`), writing (`writeCsv`) and both (clean-csv's path) on the
 *    same 200,000 x 10 CSV, against csv-parse (objects with the header's names, the shape
 *    `readCsv` gives) and csv-stringify doing the same work, in the same process. (The previous
 *    round compared with a frozen copy of the csv-parse based reader; csv-parse itself is the
 *    better-known yardstick and needs no copy.)
 *
 * Each pair of runs alternates baseline and ours; the best of CLEAN_BENCH_REPEATS (default 7) is
 * kept for each, so a busy machine disturbs both alike. Sizes: CLEAN_BENCH_ROWS (default 200000),
 * CLEAN_BENCH_MEMORY_MB (default 1024), CLEAN_BENCH_IMAGES (default 1000). CLEAN_BENCH_PARTS
 * (default `csv,speed,images,memory`) picks the parts to run.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline as streamPipeline } from 'node:stream/promises';
import {
  concurrentMap,
  type EncodedImage,
  fromIterable,
  pipeline,
  Rng,
  type Sample,
  type TabularSample,
  writeCsv,
} from '@growset/core';
import { loadMnistClasses, MNIST_SIZE, syntheticCsv } from '@growset/fixtures';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import sharp from 'sharp';
import { z } from 'zod';
import { checkImages, dedupeImages, readCsv, validate } from '../src/index.ts';

const ROWS = Number(process.env.CLEAN_BENCH_ROWS ?? 200_000);
const MEMORY_MB = Number(process.env.CLEAN_BENCH_MEMORY_MB ?? 1024);
const IMAGES = Number(process.env.CLEAN_BENCH_IMAGES ?? 1000);
const REPEATS = Number(process.env.CLEAN_BENCH_REPEATS ?? 7);
const PARTS = new Set((process.env.CLEAN_BENCH_PARTS ?? 'csv,speed,images,memory').split(','));

const schema = z.object({
  f0: z.number(),
  f1: z.number(),
  f2: z.number(),
  f3: z.number(),
  f4: z.number(),
  f5: z.number(),
  f6: z.number(),
  f7: z.number(),
  colour: z.enum(['red', 'green', 'blue', 'yellow']),
});

/** Best of the repeats: the least disturbed run (the machine may be shared). Both sides alike. */
function best(values: number[]): number {
  return Math.min(...values);
}

async function csvParseAlone(file: string): Promise<number> {
  let rows = 0;
  for await (const _ of createReadStream(file).pipe(parse())) rows += 1;
  return rows - 1;
}

async function readAndValidate(file: string): Promise<number> {
  const summary = await pipeline(readCsv(file, { label: 'label' }), validate(schema)).run();
  if (summary.quarantined > 0) throw new Error(`unexpected quarantine: ${summary.quarantined}`);
  return summary.out;
}

async function readWithSchema(file: string): Promise<number> {
  const summary = await pipeline(readCsv(file, { label: 'label', schema })).run();
  if (summary.quarantined > 0) throw new Error(`unexpected quarantine: ${summary.quarantined}`);
  return summary.out;
}

/** Wall time and CPU time (this process, all threads) of one run, in milliseconds. */
async function measure(fn: () => Promise<number>): Promise<{ wall: number; cpu: number; rows: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const rows = await fn();
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000, rows };
}

async function benchCsv(dir: string): Promise<void> {
  const file = join(dir, 'generated.csv');
  await streamPipeline(syntheticCsv(ROWS, Rng.create('bench')), createWriteStream(file));
  const runs = [
    { run: 'csv-parse alone (stream, arrays)', fn: () => csvParseAlone(file) },
    { run: 'readCsv -> validate stage (zod, coercion)', fn: () => readAndValidate(file) },
    { run: 'readCsv({ schema }) (same validation, fused)', fn: () => readWithSchema(file) },
  ];
  const wall = runs.map(() => [] as number[]);
  const cpu = runs.map(() => [] as number[]);
  for (const r of runs) await r.fn(); // warm-up
  for (let i = 0; i < REPEATS; i++) {
    for (const [k, r] of runs.entries()) {
      const m = await measure(r.fn);
      if (m.rows !== ROWS) throw new Error(`${r.run}: ${m.rows} rows instead of ${ROWS}`);
      wall[k]!.push(m.wall);
      cpu[k]!.push(m.cpu);
    }
  }
  const rate = (ms: number[]) => ROWS / (best(ms) / 1000);
  console.log(`\nCSV: ${ROWS.toLocaleString('en')} rows x 10 columns (best of ${REPEATS}, alternating)`);
  console.table(
    runs.map((r, k) => ({
      run: r.run,
      'rows/s (wall)': Math.round(rate(wall[k]!)),
      'wall ms': Math.round(best(wall[k]!)),
      'rows per CPU-s': Math.round(rate(cpu[k]!)),
      'CPU ms': Math.round(best(cpu[k]!)),
    })),
  );
  for (const k of [1, 2]) {
    console.log(
      `ratio ${runs[k]!.run} / csv-parse: ${(rate(wall[k]!) / rate(wall[0]!)).toFixed(2)} wall, ${(rate(cpu[k]!) / rate(cpu[0]!)).toFixed(2)} CPU (target >= 0.5)`,
    );
  }
}

/** csv-parse reading the file into one object per row (the header's names), as `readCsv` does. */
async function csvParseObjects(file: string): Promise<number> {
  let rows = 0;
  for await (const _ of createReadStream(file).pipe(parse({ columns: true, bom: true }))) rows += 1;
  return rows;
}

/** csv-stringify writing the samples' rows (label last) to `out`, as `writeCsv` does. */
async function csvStringifyRows(samples: readonly TabularSample[], out: string): Promise<number> {
  const columns = [...Object.keys(samples[0]!.payload.values), 'label'];
  await streamPipeline(
    Readable.from(
      (function* () {
        for (const s of samples) yield { ...s.payload.values, label: s.label };
      })(),
    ),
    stringify({ header: true, columns }),
    createWriteStream(out),
  );
  return samples.length;
}

/** rows/s of reading, writing and both, against csv-parse / csv-stringify doing the same work. */
async function benchCsvSpeed(dir: string): Promise<void> {
  const file = join(dir, 'speed.csv');
  const out = join(dir, 'speed-out.csv');
  await streamPipeline(syntheticCsv(ROWS, Rng.create('bench')), createWriteStream(file));
  const samples: TabularSample[] = [];
  for await (const s of pipeline(readCsv(file, { label: 'label' })).start()) samples.push(s);
  const count = async (run: Promise<{ out: number; quarantined: number }>) => {
    const summary = await run;
    if (summary.quarantined > 0) throw new Error(`unexpected quarantine: ${summary.quarantined}`);
    return summary.out;
  };
  const runs = [
    { run: 'read: csv-parse (objects)', fn: () => csvParseObjects(file) },
    { run: 'read: readCsv', fn: () => count(pipeline(readCsv(file, { label: 'label' })).run()) },
    { run: 'write: csv-stringify', fn: () => csvStringifyRows(samples, out) },
    { run: 'write: writeCsv', fn: () => count(pipeline(fromIterable('rows', samples), writeCsv(out)).run()) },
    {
      run: 'read + write: csv-parse + csv-stringify',
      fn: async () => {
        const rows: TabularSample[] = [];
        for await (const r of createReadStream(file).pipe(parse({ columns: true, bom: true }))) {
          const { label, ...values } = r as { [k: string]: string };
          rows.push({ id: '', label, payload: { kind: 'tabular', values }, lineage: [] } as TabularSample);
        }
        return csvStringifyRows(rows, out);
      },
    },
    {
      run: 'read + write: readCsv + writeCsv',
      fn: () => count(pipeline(readCsv(file, { label: 'label' }), writeCsv(out)).run()),
    },
  ];
  const wall = runs.map(() => [] as number[]);
  const cpu = runs.map(() => [] as number[]);
  for (const r of runs) await r.fn(); // warm-up
  for (let i = 0; i < REPEATS; i++) {
    for (const [k, r] of runs.entries()) {
      const m = await measure(r.fn);
      if (m.rows !== ROWS) throw new Error(`${r.run}: ${m.rows} rows instead of ${ROWS}`);
      wall[k]!.push(m.wall);
      cpu[k]!.push(m.cpu);
    }
  }
  const rate = (ms: number[]) => ROWS / (best(ms) / 1000);
  console.log(
    `\nCSV speed: ${ROWS.toLocaleString('en')} rows x 10 columns, growset vs csv-parse / csv-stringify, best of ${REPEATS}, alternating`,
  );
  console.table(
    runs.map((r, k) => ({
      run: r.run,
      'rows/s (wall)': Math.round(rate(wall[k]!)),
      'wall ms': Math.round(best(wall[k]!)),
      'rows per CPU-s': Math.round(rate(cpu[k]!)),
    })),
  );
  for (const [name, peer, ours] of [
    ['read', 0, 1],
    ['write', 2, 3],
    ['read + write', 4, 5],
  ] as const) {
    console.log(
      `ratio ${name} growset / csv-parse+csv-stringify: ${(rate(wall[ours]!) / rate(wall[peer]!)).toFixed(2)} wall, ${(rate(cpu[ours]!) / rate(cpu[peer]!)).toFixed(2)} CPU`,
    );
  }
}

/** A CSV stream of about `megabytes` MB: one generated block of rows repeated (generation is not what is measured). */
async function repeatedCsv(megabytes: number): Promise<{ stream: Readable; rows: number }> {
  const chunks: Buffer[] = [];
  for await (const chunk of syntheticCsv(10_000, Rng.create('memory'))) chunks.push(chunk as Buffer);
  const all = Buffer.concat(chunks);
  const headerEnd = all.indexOf(0x0a) + 1;
  const header = all.subarray(0, headerEnd);
  const block = all.subarray(headerEnd);
  const blocks = Math.max(1, Math.round((megabytes * 2 ** 20) / block.length));
  let sent = -1;
  const stream = new Readable({
    read() {
      if (sent === -1) this.push(header);
      else if (sent < blocks) this.push(block);
      else this.push(null);
      sent += 1;
    },
  });
  return { stream, rows: blocks * 10_000 };
}

async function benchMemory(): Promise<void> {
  const { stream, rows } = await repeatedCsv(MEMORY_MB);
  const samples: { rows: number; rssMb: number; heapMb: number }[] = [];
  let seen = 0;
  const source = readCsv(stream, { label: 'label', schema });
  const started = performance.now();
  const every = Math.max(1, Math.floor(rows / 10));
  for await (const _ of pipeline(source).start()) {
    seen += 1;
    if (seen % every === 0) {
      const m = process.memoryUsage();
      samples.push({
        rows: seen,
        rssMb: Math.round(m.rss / 2 ** 20),
        heapMb: Math.round(m.heapUsed / 2 ** 20),
      });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const report = source.report();
  console.log(
    `\nMemory: ${seen.toLocaleString('en')} rows (${MEMORY_MB} MB of CSV, ${report.lines.toLocaleString('en')} lines) streamed through readCsv({ schema }) in ${seconds.toFixed(1)} s`,
  );
  console.table(samples);
  const rss = samples.map((s) => s.rssMb);
  console.log(
    `RSS from the first to the last tenth: ${rss[0]} MB -> ${rss[rss.length - 1]} MB (max ${Math.max(...rss)} MB) for ${MEMORY_MB} MB of input`,
  );
}

async function benchImages(): Promise<void> {
  const classes = await loadMnistClasses();
  const images: Sample<EncodedImage>[] = [];
  for (let i = 0; i < IMAGES; i++) {
    const digit = i % 10;
    const index = Math.floor(i / 10);
    const size = MNIST_SIZE * MNIST_SIZE;
    const pixels = Buffer.from(classes[digit]!.pixels.subarray(index * size, (index + 1) * size));
    const base = sharp(pixels, { raw: { width: MNIST_SIZE, height: MNIST_SIZE, channels: 1 } }).resize(
      128,
      128,
    );
    const data = i % 2 === 0 ? await base.png().toBuffer() : await base.jpeg({ quality: 90 }).toBuffer();
    images.push({
      id: `img-${i}`,
      label: String(digit),
      payload: { kind: 'encoded', data: new Uint8Array(data) },
      lineage: [],
    });
  }
  const concurrency = Math.max(2, availableParallelism());
  const decodeAlone = async () => {
    let n = 0;
    const all = (async function* () {
      yield* images;
    })();
    for await (const _ of concurrentMap(
      all,
      (s: Sample<EncodedImage>) => sharp(s.payload.data).raw().toBuffer(),
      { concurrency, ordered: true },
    )) {
      n += 1;
    }
    return n;
  };
  const checkAndHash = async () => {
    const summary = await pipeline(fromIterable('images', images), checkImages(), dedupeImages()).run();
    return summary.out + summary.filtered + summary.quarantined;
  };
  await decodeAlone();
  await checkAndHash();
  const runs = [
    { run: 'sharp decode alone (raw pixels)', fn: decodeAlone },
    { run: 'checkImages + dedupeImages (dHash)', fn: checkAndHash },
  ];
  const wall = runs.map(() => [] as number[]);
  const cpu = runs.map(() => [] as number[]);
  for (let i = 0; i < REPEATS; i++) {
    for (const [k, r] of runs.entries()) {
      const m = await measure(r.fn);
      if (m.rows !== IMAGES) throw new Error(`${r.run}: ${m.rows} images instead of ${IMAGES}`);
      wall[k]!.push(m.wall);
      cpu[k]!.push(m.cpu);
    }
  }
  const rate = (ms: number[]) => IMAGES / (best(ms) / 1000);
  console.log(
    `\nImages: ${IMAGES} real MNIST digits at 128x128 (half PNG, half JPEG), concurrency ${concurrency}, best of ${REPEATS}`,
  );
  console.table(
    runs.map((r, k) => ({
      run: r.run,
      'images/s (wall)': Math.round(rate(wall[k]!)),
      'wall ms': Math.round(best(wall[k]!)),
      'images per CPU-s': Math.round(rate(cpu[k]!)),
      'CPU ms': Math.round(best(cpu[k]!)),
    })),
  );
  console.log(
    `ratio checks+dHash / bare decode: ${(rate(wall[1]!) / rate(wall[0]!)).toFixed(2)} wall, ${(rate(cpu[1]!) / rate(cpu[0]!)).toFixed(2)} CPU`,
  );
}

const dir = await mkdtemp(join(tmpdir(), 'growset-clean-bench-'));
try {
  console.log(`@growset/clean benchmark (Node ${process.version}, ${availableParallelism()} CPUs)`);
  if (PARTS.has('csv')) await benchCsv(dir);
  if (PARTS.has('speed')) await benchCsvSpeed(dir);
  if (PARTS.has('images')) await benchImages();
  if (PARTS.has('memory') && MEMORY_MB > 0) await benchMemory();
} finally {
  await rm(dir, { recursive: true, force: true });
}
