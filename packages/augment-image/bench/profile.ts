/**
 * `npm run profile`: CPU per image (all threads, one image at a time, libvips on one thread) of
 * each step of the planner's plan for the benchmark recipe, next to the one-pass baseline. CPU
 * time is far less sensitive to other jobs on the machine than wall time; the steps are
 * measured on their own, so they add up to less than the whole (planning, the second call's fixed
 * cost, GC; the script keeps every image's decoded region alive, which makes GC heavier than in
 * `npm run bench`).
 */
import { Rng } from '@growset/core';
import sharp from 'sharp';
import { parseRecipe } from '../src/index.ts';
import { blurRgb8 } from '../src/internals/engine/js/blur.ts';
import { resampleAffine } from '../src/internals/engine/js/resample.ts';
import { planGeometry } from '../src/internals/engine/vips/geometry.ts';
import { runPass, type VipsPass } from '../src/internals/engine/vips/pass.ts';
import { inspectImage } from '../src/internals/image/source.ts';
import { foldColour } from '../src/internals/ops/colour.ts';
import { vipsGaussianKernel } from '../src/internals/ops/kernels.ts';
import type { AffineOp } from '../src/internals/ops/types.ts';
import { issueRecipe } from '../test/helpers/recipes.ts';
import { generateJpegs } from './fixtures.ts';

sharp.concurrency(1);
const N = process.argv.includes('--quick') ? 30 : 120;
const QUALITY = 90;
const recipe = parseRecipe(issueRecipe());
const jpegs = await generateJpegs(N, 512);
const shape = { width: 512, height: 512, channels: 3 as const, dtype: 'uint8' as const };
const params = jpegs.map((_, i) => recipe.sampleParams(Rng.create(7).fork(i), shape));

/** CPU milliseconds per image of one pass of `fn` over all images. */
async function cpuPerImage(fn: (i: number) => unknown): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < N; i++) await fn(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / N;
}

const steps = await Promise.all(
  jpegs.map(async (jpeg, i) => {
    const source = await inspectImage({ kind: 'encoded', data: jpeg }, 5e7);
    const ops = recipe.ops(params[i]!, source.shape);
    const geometric = ops.filter((o): o is AffineOp => o.op === 'affine');
    const geo = planGeometry(geometric, { width: 512, height: 512, jpeg: true });
    if (geo.kind !== 'affine') throw new Error(`expected an affine plan, got ${geo.kind}`);
    const colour = foldColour(ops.flatMap((o) => (o.op === 'colour' ? [...o.steps] : [])));
    const sigma = ops.flatMap((o) => (o.op === 'blur' ? [o.sigma] : []))[0]!;
    const decode: VipsPass = {
      input: { kind: 'encoded', data: jpeg },
      shape,
      ...(geo.region ? { preExtract: geo.region } : {}),
      ...(geo.resize ? { resize: { ...geo.resize, kernel: 'linear' as const } } : {}),
      output: { kind: 'raw' },
    };
    const region = await runPass(decode, 5e7);
    const raw = {
      kind: 'raw' as const,
      data: new Uint8Array(region.data.buffer, region.data.byteOffset, region.data.length),
      width: region.width,
      height: region.height,
      channels: 3 as const,
      dtype: 'uint8' as const,
    };
    const resample = {
      matrix: geo.residual,
      width: 224,
      height: 224,
      fill: geo.fill,
      interpolation: geo.interpolator,
      colour,
    };
    const resampled = resampleAffine(raw, resample);
    return { decode, raw, resample, resampled, sigma, kernel: vipsGaussianKernel(sigma) };
  }),
);
const rawPass = (i: number, extra: Partial<VipsPass>): VipsPass => ({
  input: { kind: 'raw', data: steps[i]!.resampled.data as Uint8Array, width: 224, height: 224 },
  shape,
  output: { kind: 'encode', format: 'jpeg', quality: QUALITY },
  ...extra,
});

const cases: [string, (i: number) => unknown][] = [];
const measure = (name: string, fn: (i: number) => unknown) => {
  cases.push([name, fn]);
};
measure('(a) baseline: decode -> resize 224 -> JPEG', (i) =>
  sharp(jpegs[i]!).resize(224, 224).jpeg({ quality: QUALITY }).toBuffer(),
);
measure('(b) recipe.apply, the whole plan', (i) =>
  recipe.apply({ image: { kind: 'encoded', data: jpegs[i]! } }, params[i]!, {
    output: 'jpeg',
    quality: QUALITY,
  }),
);
measure('  decode the region (libvips, raw out)', (i) => runPass(steps[i]!.decode, 5e7));
measure('  resample + colour at 224 (WebAssembly)', (i) => resampleAffine(steps[i]!.raw, steps[i]!.resample));
measure('  blur (WebAssembly SIMD)', (i) => blurRgb8(steps[i]!.resampled, steps[i]!.kernel));
measure('  encode the raw pixels (libvips, JPEG)', (i) => runPass(rawPass(i, {}), 5e7));
measure('  for comparison: blur + encode in libvips', (i) =>
  runPass(rawPass(i, { blur: steps[i]!.sigma }), 5e7),
);
measure('  for comparison: a libvips call, raw in, raw out', (i) =>
  runPass(rawPass(i, { output: { kind: 'raw' } }), 5e7),
);
// Warm up, then five rounds with every case in turn (background load hits them alike): medians.
for (const [, fn] of cases) for (let i = 0; i < Math.min(N, 10); i++) await fn(i);
const rounds = cases.map(() => [] as number[]);
for (let round = 0; round < 5; round++)
  for (const [k, [, fn]] of cases.entries()) rounds[k]!.push(await cpuPerImage(fn));
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
for (const [k, [name]] of cases.entries())
  console.log(`${name.padEnd(52)} ${median(rounds[k]!).toFixed(2)} ms CPU/image`);
const ratios = rounds[0]!.map((a, r) => a / rounds[1]![r]!);
console.log(
  `CPU ratio a/b per round: ${ratios.map((v) => v.toFixed(2)).join(' ')} (median ${median(ratios).toFixed(2)})`,
);
