/**
 * `npm run bench:e2e` (after `npm run build` at the repository root): the issue-17 comparison,
 * files to files. `growset augment` (the built CLI, a fresh process each round, start-up
 * included) against the same recipe as an albumentations-style OpenCV chain on a warm pool of 2
 * processes (bench/opencv_chain.py, Debian's python3-opencv), on the same folder of 600
 * generated photo-like 512x512 JPEGs (bench/photos.ts): hflip, rotate 15, randomResizedCrop 224,
 * colorJitter, gaussianBlur, one copy per image.
 * Rounds are interleaved (growset, OpenCV, growset, ...); the ratios are medians of the per-round
 * ratios OpenCV time / growset time, with start-up (the CLI's whole process) and without it (the
 * pipeline's own wall time, which the CLI reports as `wallTimeMs`). Target: >= 1.0 with start-up.
 * Also printed: CPU seconds of each side (growset's whole process, OpenCV's pool processes), which
 * a shared machine disturbs less than wall time, and the same for `--threads 0` (the main thread
 * alone, libvips on libuv's pool; the default is cores - 1 worker threads beside it), interleaved
 * with the others. The load average is printed at the start and the end: other jobs on the
 * machine change the ratios more than most code changes do.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueRecipe } from '../test/helpers/recipes.ts';
import { photoFolder } from './photos.ts';

const quick = process.argv.includes('--quick');
const IMAGES = quick ? 120 : 600;
const ROUNDS = quick ? 1 : 7;
const cli = fileURLToPath(new URL('../../cli/bin/growset.js', import.meta.url));
const built = fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url));
const opencv = fileURLToPath(new URL('./opencv_chain.py', import.meta.url));
if (!existsSync(built)) throw new Error('Build first: `npm run build` at the repository root');

const recipe = issueRecipe();
const input = await photoFolder(IMAGES);
const work = mkdtempSync(join(tmpdir(), 'growset-e2e-'));
const recipePath = join(work, 'recipe.json');
writeFileSync(recipePath, JSON.stringify(recipe));

function runGrowset(round: number, extra: string[] = []): { total: number; pipeline: number; cpu: number } {
  const out = join(work, `growset-${round}`);
  const cpuFile = join(work, 'cpu.txt');
  const start = performance.now();
  // /usr/bin/time reports the process's CPU (user + system, all threads, start-up included).
  const stdout = execFileSync(
    '/usr/bin/time',
    [
      ...['-o', cpuFile, '-f', '%U %S', process.execPath, cli, 'augment', input, '--out', out],
      ...['--recipe', recipePath, '--copies', '1', '--no-originals', '--json', ...extra],
    ],
    { encoding: 'utf8', env: { ...process.env, GROWSET_SOURCE: '0' }, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const total = (performance.now() - start) / 1000;
  const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { wallTimeMs: number; written: number };
  if (summary.written !== IMAGES) throw new Error(`growset wrote ${summary.written} of ${IMAGES}`);
  const [user, system] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  rmSync(out, { recursive: true, force: true });
  rmSync(`${out}.quarantine`, { recursive: true, force: true });
  return { total, pipeline: summary.wallTimeMs / 1000, cpu: user! + system! };
}

function runOpenCv(round: number): { total: number; pool: number; cpu: number } {
  const out = join(work, `opencv-${round}`);
  const start = performance.now();
  const stdout = execFileSync('/usr/bin/python3', [opencv, input, out, '--processes', '2'], {
    encoding: 'utf8',
  });
  const total = (performance.now() - start) / 1000;
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    seconds: number;
    images: number;
    workerCpuSeconds: number;
  };
  if (result.images !== IMAGES) throw new Error(`OpenCV wrote ${result.images} of ${IMAGES}`);
  rmSync(out, { recursive: true, force: true });
  return { total, pool: result.seconds, cpu: result.workerCpuSeconds };
}

console.log(
  `${IMAGES} photos in ${input}, ${availableParallelism()} cores, ${ROUNDS} interleaved rounds, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
runGrowset(-1); // warm the file cache and the OS
runOpenCv(-1);
const rows: {
  g: ReturnType<typeof runGrowset>;
  o: ReturnType<typeof runOpenCv>;
  t: ReturnType<typeof runGrowset>;
}[] = [];
for (let round = 0; round < ROUNDS; round++)
  rows.push({ g: runGrowset(round), o: runOpenCv(round), t: runGrowset(round, ['--threads', '0']) });
rmSync(work, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f = (x: number) => x.toFixed(2);
for (const [i, { g, o, t }] of rows.entries())
  console.log(
    `round ${i}: growset ${f(g.total)} s (pipeline ${f(g.pipeline)} s, CPU ${f(g.cpu)} s), OpenCV warm pool ${f(o.pool)} s (process ${f(o.total)} s, pool CPU ${f(o.cpu)} s), growset --threads 0 ${f(t.total)} s (pipeline ${f(t.pipeline)} s, CPU ${f(t.cpu)} s)`,
  );
const withStartup = median(rows.map(({ g, o }) => o.pool / g.total));
const withoutStartup = median(rows.map(({ g, o }) => o.pool / g.pipeline));
console.log(
  `growset images/s: ${f(IMAGES / median(rows.map((r) => r.g.total)))} with start-up, ${f(IMAGES / median(rows.map((r) => r.g.pipeline)))} without; OpenCV warm pool: ${f(IMAGES / median(rows.map((r) => r.o.pool)))}`,
);
console.log(`ratio growset/OpenCV (speed) with start-up: ${f(withStartup)}  (target >= 1.0)`);
console.log(`ratio growset/OpenCV (speed) without start-up: ${f(withoutStartup)}`);
// CPU is steadier than wall time on a shared machine, where a process with more threads also
// gets a larger share of the cores: OpenCV's pool CPU / growset's whole-process CPU.
const cpuRatio = median(rows.map(({ g, o }) => o.cpu / g.cpu));
console.log(
  `CPU per image: growset ${f((1000 * median(rows.map((r) => r.g.cpu))) / IMAGES)} ms (whole process, start-up included), OpenCV ${f((1000 * median(rows.map((r) => r.o.cpu))) / IMAGES)} ms (pool); ratio OpenCV/growset ${f(cpuRatio)}`,
);
console.log(
  `--threads 0: ratio with start-up ${f(median(rows.map(({ t, o }) => o.pool / t.total)))}, without ${f(median(rows.map(({ t, o }) => o.pool / t.pipeline)))}, CPU per image ${f((1000 * median(rows.map((r) => r.t.cpu))) / IMAGES)} ms`,
);
console.log(
  `load average at the end: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
