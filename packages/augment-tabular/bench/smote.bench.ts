/**
 * SMOTE on 50,000 x 20 numeric rows with a 10% minority class, k = 5:
 * - end to end, CSV to CSV, process start included: `growset augment-table` against
 *   imbalanced-learn 0.10 + pandas (scripts/smote_pandas.py run with /usr/bin/python3), both as
 *   real processes, alternating in the same session; the ratio is printed (target >= 1.5x);
 * - the read and write phases alone, in rows/s;
 * - `resample()` in process;
 * - the neighbour search alone against the plain brute-force reference, in the same process,
 *   for SMOTE's search (minority among minority) and for the all-rows search of borderline-SMOTE
 *   and ADASYN, on make_classification-like and on isotropic columns.
 *
 * `npm run bench` (add `-- --quick` for 10,000 rows). Prints ratios; asserts nothing about time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, fromIterable, pipeline, Rng, writeCsv } from '@growset/core';
import {
  bruteForceNeighbors,
  kNearestNeighbors,
  type Neighbors,
  readCsvTable,
  resample,
  runAugmentTableJob,
} from '../src/index.ts';
import { isotropic, makeClassification } from './data.ts';

const quick = process.argv.includes('--quick');
const ROWS = quick ? 10_000 : 50_000;
const FEATURES = 20;
const K = 5;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const repo = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

function time<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

/** Median of `runs` timings (the first run also warms up the JIT). */
function median(runs: number, fn: () => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) times.push(time(fn).ms);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function medianOf(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function identical(a: Neighbors, b: Neighbors): boolean {
  if (a.indices.length !== b.indices.length) return false;
  for (let i = 0; i < a.indices.length; i++) {
    if (a.indices[i] !== b.indices[i] || a.distances[i] !== b.distances[i]) return false;
  }
  return true;
}

function standardize(matrix: Float64Array, width: number): Float64Array {
  const n = matrix.length / width;
  const out = new Float64Array(matrix.length);
  for (let j = 0; j < width; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += matrix[i * width + j]!;
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (matrix[i * width + j]! - mean) ** 2;
    const std = Math.sqrt(v / n) || 1;
    for (let i = 0; i < n; i++) out[i * width + j] = (matrix[i * width + j]! - mean) / std;
  }
  return out;
}

function rowsOf(matrix: Float64Array, width: number, rows: number[]): Float64Array {
  const out = new Float64Array(rows.length * width);
  rows.forEach((r, i) => {
    out.set(matrix.subarray(r * width, r * width + width), i * width);
  });
  return out;
}

async function run(): Promise<void> {
  console.log(
    `augment-tabular benchmark: SMOTE, ${ROWS} x ${FEATURES}, 10% minority, k=${K}${quick ? ' (quick)' : ''}`,
  );
  console.log(`node ${process.version}, ${process.arch}\n`);
  const table = makeClassification(ROWS, FEATURES, 0.1, 1);
  const minority = table.samples.flatMap((s, i) => (s.label === '1' ? [i] : []));

  // 1. Neighbour search alone.
  const searches: (string | number)[][] = [];
  const cases = [
    { data: 'make_classification', matrix: standardize(table.matrix, FEATURES) },
    { data: 'isotropic', matrix: isotropic(ROWS, FEATURES, 1) },
  ];
  for (const { data, matrix } of cases) {
    const minorityMatrix = rowsOf(matrix, FEATURES, minority);
    const self = Int32Array.from(minority);
    const scenarios: {
      name: string;
      points: Float64Array;
      k: number;
      queries?: Float64Array;
      self?: Int32Array;
    }[] = [
      { name: `SMOTE: ${minority.length} minority among themselves`, points: minorityMatrix, k: K },
      {
        name: `danger: ${minority.length} minority among all ${ROWS}`,
        points: matrix,
        k: 10,
        queries: minorityMatrix,
        self,
      },
    ];
    for (const { name, points, k, queries, self: own } of scenarios) {
      const s = { name, points, k, opts: queries && own ? { queries, self: own } : {} };
      // Warm up every implementation on a slice, then time: median of 3 (1 run for a slow brute force).
      const slice =
        queries && own ? { queries: queries.subarray(0, 64 * FEATURES), self: own.subarray(0, 64) } : {};
      bruteForceNeighbors(
        points,
        FEATURES,
        k,
        queries ? { queries: queries.subarray(0, 16 * FEATURES) } : {},
      );
      kNearestNeighbors(points, FEATURES, k, slice);
      kNearestNeighbors(points, FEATURES, k, { ...slice, kernel: 'js' });
      const bruteRuns = s.points.length / FEATURES > 20_000 ? 1 : 3;
      let reference: Neighbors | undefined;
      const brute = median(bruteRuns, () => {
        reference = bruteForceNeighbors(s.points, FEATURES, s.k, s.opts);
      });
      let fast: Neighbors | undefined;
      const simdMs = median(3, () => {
        fast = kNearestNeighbors(s.points, FEATURES, s.k, s.opts);
      });
      let js: Neighbors | undefined;
      const jsMs = median(3, () => {
        js = kNearestNeighbors(s.points, FEATURES, s.k, { ...s.opts, kernel: 'js' });
      });
      const exact = identical(reference!, fast!) && identical(reference!, js!);
      searches.push([
        `${s.name} (${data})`,
        Math.round(brute),
        Math.round(simdMs),
        Math.round(jsMs),
        `${(brute / simdMs).toFixed(1)}x`,
        `${(brute / jsMs).toFixed(1)}x`,
        exact ? 'yes' : 'NO',
      ]);
    }
  }
  console.log('Neighbour search (ms; ratio = brute force / search; exact = same indices and distances)');
  console.log(
    formatTable(['search', 'brute', 'simd', 'js', 'simd ratio', 'js ratio', 'exact'], searches),
    '\n',
  );

  // 2. resample() in process.
  const smoteMs = median(3, () => resample(table.samples, { method: 'smote', k: K }, Rng.create(1)));
  const copyMs = median(3, () => resample(table.samples, { method: 'randomOverSample' }, Rng.create(1)));

  // 3. End to end, CSV to CSV, process start included: `growset augment-table` against the same
  // work in Python (pandas read_csv, imbalanced-learn SMOTE(k_neighbors=5), to_csv:
  // scripts/smote_pandas.py), alternating, best of REPEATS each.
  const dir = await mkdtemp(join(tmpdir(), 'growset-bench-'));
  try {
    const csv = join(dir, 'table.csv');
    const lines = [[...table.columns, 'label'].join(',')];
    for (const s of table.samples)
      lines.push([...table.columns.map((c) => s.payload.values[c]), s.label].join(','));
    await writeFile(csv, `${lines.join('\n')}\n`);
    const bin = join(repo, 'packages/cli/bin/growset.js');
    const built = existsSync(join(repo, 'packages/cli/dist/main.js'));
    // The user's command: the built CLI when there is one (GROWSET_SOURCE unset), else the sources.
    const env = { ...process.env, GROWSET_SOURCE: built ? '' : '1' };
    const growsetRun = () =>
      spawnSync(
        process.execPath,
        [
          bin,
          'augment-table',
          csv,
          '--label',
          'label',
          '--method',
          'smote',
          '--k',
          String(K),
          '--seed',
          '1',
          '--out',
          join(dir, 'growset.csv'),
          '--json',
        ],
        { encoding: 'utf8', cwd: repo, env },
      );
    const python = '/usr/bin/python3';
    const script = join(repo, 'packages/augment-tabular/scripts/smote_pandas.py');
    const pythonRun = () =>
      spawnSync(python, [script, csv, join(dir, 'python.csv'), 'label'], { encoding: 'utf8', cwd: repo });
    const probe = pythonRun();
    const havePython = probe.status === 0;
    if (!havePython)
      console.log(
        `Python peer unavailable (${(probe.stderr || String(probe.error)).trim().split('\n').pop()})`,
      );
    const ours: number[] = [];
    const peer: number[] = [];
    let summary: { rowsOut: number; created: number } | undefined;
    for (let r = 0; r < REPEATS; r++) {
      const a = time(growsetRun);
      if (a.value.status !== 0) throw new Error(`growset failed: ${a.value.stderr}`);
      summary = JSON.parse(a.value.stdout.trim().split('\n').pop()!) as { rowsOut: number; created: number };
      ours.push(a.ms);
      if (havePython) {
        const b = time(pythonRun);
        if (b.value.status !== 0) throw new Error(`python failed: ${b.value.stderr}`);
        peer.push(b.ms);
      }
    }
    const versionRun = time(() => spawnSync(process.execPath, [bin, '--version'], { cwd: repo, env }));
    // The three phases one after the other, in process (where the time goes): best of REPEATS.
    const reads: number[] = [];
    const writes: number[] = [];
    let read = await timeAsync(() => pipeline(readCsvTable(csv, { label: 'label' })).collect());
    const resampled = time(() => resample(read.value.items, { method: 'smote', k: K }, Rng.create(1)));
    for (let r = 0; r < REPEATS; r++) {
      read = await timeAsync(() => pipeline(readCsvTable(csv, { label: 'label' })).collect());
      reads.push(read.ms);
      const write = await timeAsync(() =>
        pipeline(
          fromIterable('rows', resampled.value.samples),
          writeCsv(join(dir, 'c.csv'), { labelColumn: 'label' }),
        ).run(),
      );
      writes.push(write.ms);
    }
    // The job in process, columnar path against the row path (same output bytes), alternating.
    const jobRuns: { [path: string]: number[] } = { columnar: [], rows: [] };
    for (let r = 0; r < REPEATS; r++) {
      for (const columnar of [true, false]) {
        const ran = await timeAsync(() =>
          runAugmentTableJob({
            input: csv,
            out: join(dir, `job-${columnar ? 'columnar' : 'rows'}.csv`),
            label: 'label',
            resample: { method: 'smote', k: K },
            seed: 1,
            columnar,
          }),
        );
        jobRuns[columnar ? 'columnar' : 'rows']!.push(ran.ms);
      }
    }
    const [columnarBytes, rowBytes, cliBytes] = await Promise.all(
      ['job-columnar.csv', 'job-rows.csv', 'growset.csv'].map((f) => readFile(join(dir, f))),
    );
    const sameBytes = columnarBytes!.equals(rowBytes!) && columnarBytes!.equals(cliBytes!);
    const best = (xs: number[]) => Math.min(...xs);
    const rows = read.value.items.length;
    console.log(
      `SMOTE end to end, CSV to CSV (rows out: ${summary!.rowsOut}, synthetic: ${summary!.created}), best of ${REPEATS}`,
    );
    console.log(
      formatTable(
        ['run', 'ms'],
        [
          [
            `growset augment-table, real process (${built ? 'built CLI' : 'sources through tsx'})`,
            Math.round(best(ours)),
          ],
          ...(havePython
            ? [['imbalanced-learn 0.10 + pandas, real process (/usr/bin/python3)', Math.round(best(peer))]]
            : []),
          ['  growset process start (growset --version)', Math.round(versionRun.ms)],
          [
            `  read CSV (readCsvTable: ${Math.round(rows / (best(reads) / 1000))} rows/s)`,
            Math.round(best(reads)),
          ],
          ['  resample() smote', Math.round(resampled.ms)],
          [
            `  write CSV (writeCsv: ${Math.round(resampled.value.samples.length / (best(writes) / 1000))} rows/s)`,
            Math.round(best(writes)),
          ],
          ['runAugmentTableJob, columnar path, in process', Math.round(best(jobRuns.columnar!))],
          ['runAugmentTableJob, row path (columnar: false), in process', Math.round(best(jobRuns.rows!))],
          ['resample() smote, warm (median of 3)', Math.round(smoteMs)],
          ['resample() randomOverSample, baseline copy (median of 3)', Math.round(copyMs)],
        ],
      ),
    );
    if (havePython)
      console.log(
        `\nratio growset / (imbalanced-learn + pandas), end to end: ${(best(peer) / best(ours)).toFixed(2)}x best of ${REPEATS}, median of the alternating pairs ${medianOf(peer.map((p, i) => p / ours[i]!)).toFixed(2)}x (target >= 1.5x)`,
      );
    console.log(
      `columnar path / row path, in process: ${(best(jobRuns.rows!) / best(jobRuns.columnar!)).toFixed(2)}x; output bytes identical (columnar, rows, CLI): ${sameBytes ? 'yes' : 'NO'}`,
    );
    console.log(`SMOTE costs ${(smoteMs / copyMs).toFixed(1)}x plain random over-sampling of the same rows.`);
    const ratios = searches.filter((r) => String(r[0]).startsWith('SMOTE')).map((r) => r[4]);
    console.log(
      `Neighbour search speed-up over brute force for SMOTE's search: ${ratios.join(', ')} (target >= 5x).`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await run();
