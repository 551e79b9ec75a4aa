/**
 * `npm run bench:candidates`: what the issue-17 speed-ups tried would save, measured before
 * keeping or dropping them (CPU per image, one image at a time, five interleaved rounds,
 * medians). Every line is printed with the measure it is compared with:
 * - sharp's synchronous set-up of a call (the time `toBuffer()` takes to return its promise, on
 *   the calling thread) and a call's fixed cost (16x16 images);
 * - decode variants of the benchmark photos: a region, `sequentialRead`, `failOn: 'none'`, JPEG
 *   shrink-on-load (a resize of the whole image to 256 or 128);
 * - the resampling kernel as shipped (resample.wat) against a WebAssembly SIMD version of it
 *   (bench/resample-simd.wat: a pixel's three channels in one vector; the same bytes);
 * - `augment()` from memory to memory against core's ImageFolder read + write of the same files
 *   without augmenting (the part of `growset augment` outside this package);
 * - OpenCV 4.6 (bench/opencv_codec.py): imread, imread at half size, imencode of a 224x224 image.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline, Rng, readImageFolder, writeImageFolder } from '@growset/core';
import sharp from 'sharp';
import { compileWat } from '../scripts/wat.ts';
import { augment, parseRecipe } from '../src/index.ts';
import { RESAMPLE_WASM_BASE64 } from '../src/internals/engine/js/resample-wasm.generated.ts';
import { type Affine, about, chain, invert, rotation, scaling } from '../src/internals/geometry/matrix.ts';
import { issueRecipe } from '../test/helpers/recipes.ts';
import { photoFolder } from './photos.ts';

sharp.concurrency(1);
const quick = process.argv.includes('--quick');
const N = quick ? 30 : 100;
const folder = await photoFolder(600);
const files = readdirSync(join(folder, 'class0'))
  .slice(0, N)
  .map((f) => readFileSync(join(folder, 'class0', f)));
const region = { left: 36, top: 30, width: 440, height: 452 };
const tiny = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
  .jpeg()
  .toBuffer();
const tinyRaw = { raw: { width: 16, height: 16, channels: 3 as const } };
const tinyPixels = Buffer.alloc(16 * 16 * 3, 90);
const pixels224 = Buffer.from((await sharp(files[0]!).resize(224, 224).raw().toBuffer()).buffer);

// The resampling kernels, called the way resample.ts calls the shipped one.
interface Kernel {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  bilinear: (...args: number[]) => void;
}
const wasm = (
  globalThis as unknown as {
    WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object) => { exports: unknown } };
  }
).WebAssembly;
const load = (bytes: Uint8Array) => new wasm.Instance(new wasm.Module(bytes)).exports as Kernel;
const shipped = load(Buffer.from(RESAMPLE_WASM_BASE64, 'base64'));
const simd = load(
  await compileWat(readFileSync(fileURLToPath(new URL('./resample-simd.wat', import.meta.url)), 'utf8')),
);
const src = (await sharp(files[0]!).extract(region).raw().toBuffer({ resolveWithObject: true })).data;
const colour = [1.08, 0.05, -0.02, 0.03, 0.95, 0.01, -0.01, 0.02, 1.1].map((v) => v / 65536);
function resampleWith(kernel: Kernel, matrix: Affine): Uint8Array {
  const { width: w, height: h } = region;
  const [W, H] = [224, 224];
  const [ia, ib, ic, id, ie, iff] = invert(matrix);
  const srcBytes = (w * h * 3 + 8) & ~7;
  const dstAt = srcBytes + 8 * H;
  const need = dstAt + W * H * 3 + 4 - kernel.memory.buffer.byteLength;
  if (need > 0) kernel.memory.grow(Math.ceil(need / 65536));
  new Uint8Array(kernel.memory.buffer).set(src, 0);
  const rows = new Int32Array(kernel.memory.buffer, srcBytes, 2 * H);
  for (let y = 0; y < H; y++) {
    rows[2 * y] = Math.round((ia * 0.5 + ib * (y + 0.5) + ic - 0.5) * 65536);
    rows[2 * y + 1] = Math.round((id * 0.5 + ie * (y + 0.5) + iff - 0.5) * 65536);
  }
  const [du, dv] = [Math.round(ia * 65536), Math.round(id * 65536)];
  kernel.bilinear(0, w, h, dstAt, W, H, srcBytes, du, dv, 0, 0, 0, 1, ...colour, 3.5, -2.5, 0.5);
  return new Uint8Array(kernel.memory.buffer).slice(dstAt, dstAt + W * H * 3);
}
const matrices = files.map((_, i) =>
  chain(about(rotation(-15 + (30 * i) / N), 220, 226), scaling(224 / 440, 224 / 452)),
);
for (const m of matrices.slice(0, 5))
  if (!Buffer.from(resampleWith(shipped, m)).equals(Buffer.from(resampleWith(simd, m))))
    throw new Error('the SIMD kernel does not give the same bytes');

/** The synchronous part of a sharp call: until `toBuffer()` returns its promise. */
let syncMs = 0;
async function timedSync(make: () => Promise<unknown>): Promise<void> {
  const start = performance.now();
  const pending = make();
  syncMs += performance.now() - start;
  await pending;
}

const recipe = parseRecipe(issueRecipe());
const cases: [string, (i: number) => unknown][] = [
  ['sharp call, 16x16 raw in, raw out', () => sharp(tinyPixels, tinyRaw).raw().toBuffer()],
  ['sharp call, 16x16 JPEG in, raw out', () => sharp(tiny).raw().toBuffer()],
  ['sharp call, 16x16 raw in, JPEG out', () => sharp(tinyPixels, tinyRaw).jpeg({ quality: 90 }).toBuffer()],
  ['decode 512 photo, whole image', (i) => sharp(files[i]!).raw().toBuffer()],
  [
    'decode 512 photo, region 440x452 (as shipped)',
    (i) => timedSync(() => sharp(files[i]!).extract(region).raw().toBuffer()),
  ],
  [
    '  same, sequentialRead',
    (i) => sharp(files[i]!, { sequentialRead: true }).extract(region).raw().toBuffer(),
  ],
  ["  same, failOn: 'none'", (i) => sharp(files[i]!, { failOn: 'none' }).extract(region).raw().toBuffer()],
  [
    '  whole image resized to 256 (shrink-on-load)',
    (i) => sharp(files[i]!).resize(256, 256).raw().toBuffer(),
  ],
  [
    '  whole image resized to 128 (shrink-on-load)',
    (i) => sharp(files[i]!).resize(128, 128).raw().toBuffer(),
  ],
  [
    'encode 224x224 JPEG q90',
    () =>
      sharp(pixels224, { raw: { width: 224, height: 224, channels: 3 } })
        .jpeg({ quality: 90, optimiseCoding: false })
        .toBuffer(),
  ],
  ['resample + colour 440x452 -> 224 (shipped)', (i) => resampleWith(shipped, matrices[i]!)],
  ['  same, SIMD kernel (bench/resample-simd.wat)', (i) => resampleWith(simd, matrices[i]!)],
  [
    'augment(), the issue recipe, memory to memory',
    (i) =>
      augment(recipe, { image: { kind: 'encoded', data: files[i]! } }, Rng.create(1).fork(i), {
        output: 'jpeg',
        quality: 90,
      }),
  ],
];

async function cpuPerImage(fn: (i: number) => unknown): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < N; i++) await fn(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / N;
}
for (const [, fn] of cases) for (let i = 0; i < 5; i++) await fn(i);
const rounds = cases.map(() => [] as number[]);
for (let round = 0; round < 5; round++)
  for (const [k, [, fn]] of cases.entries()) rounds[k]!.push(await cpuPerImage(fn));
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
for (const [k, [name]] of cases.entries())
  console.log(`${name.padEnd(52)} ${median(rounds[k]!).toFixed(2)} ms CPU/image`);
console.log(
  `${'  of which sharp set-up on the calling thread'.padEnd(52)} ${(syncMs / (5 * N)).toFixed(2)} ms (wall)`,
);

// Core's ImageFolder read + write of the 600 photos, nothing augmented: CPU per image.
const io: number[] = [];
for (let round = 0; round < (quick ? 1 : 3); round++) {
  const out = mkdtempSync(join(tmpdir(), 'growset-candidates-'));
  const start = process.cpuUsage();
  await pipeline(readImageFolder(folder), writeImageFolder(join(out, 'o'))).run({
    seed: 0,
    quarantine: join(out, 'q'),
  });
  const used = process.cpuUsage(start);
  io.push((used.user + used.system) / 1000 / 600);
  rmSync(out, { recursive: true, force: true });
}
console.log(
  `${'core readImageFolder -> writeImageFolder, 600 files'.padEnd(52)} ${median(io).toFixed(2)} ms CPU/image`,
);

const opencv = execFileSync(
  '/usr/bin/python3',
  [fileURLToPath(new URL('./opencv_codec.py', import.meta.url)), join(folder, 'class0'), String(N)],
  { encoding: 'utf8' },
);
const cv = JSON.parse(opencv.trim().split('\n').at(-1)!) as Record<string, number>;
for (const [name, ms] of Object.entries(cv))
  console.log(`${`OpenCV ${name}`.padEnd(52)} ${ms.toFixed(2)} ms CPU/image`);
