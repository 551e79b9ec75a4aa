/**
 * `npm run bench`: images per second on 512x512 JPEGs with both cores busy, for
 *   (a) one pass: decode -> resize 224 -> encode JPEG (the floor any pipeline pays),
 *   (b) the issue's recipe through the planner (fused libvips passes),
 *   (c) the same recipe run naively: one sharp call and one JPEG encode per transform;
 * plus the typed-array path on real 28x28 MNIST digits (affine + elastic), single-threaded.
 * Rounds are interleaved (a, b, c, a, b, c, ...) so background load hits all three alike; the
 * ratios are the medians of the per-round ratios (each round's b against that round's a and c).
 * Targets: b/a >= 0.7, b/c >= 4.
 */
import { availableParallelism } from 'node:os';
import { formatTable, Rng } from '@growset/core';
import { loadMnist } from '@growset/fixtures';
import sharp from 'sharp';
import { affine, augment, augmentRaw, compose, elasticTransform, parseRecipe } from '../src/index.ts';
import { issueRecipe } from '../test/helpers/recipes.ts';
import { generateJpegs, throughput } from './fixtures.ts';
import { runNaive } from './naive.ts';

const quick = process.argv.includes('--quick');
const IMAGES = quick ? 40 : 240;
const ROUNDS = quick ? 1 : 5;
const QUALITY = 90;
const CONCURRENCY = 4 * availableParallelism();

const recipe = parseRecipe(issueRecipe());

console.log(`Generating ${IMAGES} 512x512 JPEGs...`);
const jpegs = await generateJpegs(IMAGES, 512);
const shape = { width: 512, height: 512, channels: 3 as const, dtype: 'uint8' as const };
const params = jpegs.map((_, i) => recipe.sampleParams(Rng.create(7).fork(i), shape));
console.log(
  `sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips}, ${availableParallelism()} cores, ${CONCURRENCY} images in flight, ${ROUNDS} interleaved rounds`,
);

const baseline = (jpeg: Uint8Array) => sharp(jpeg).resize(224, 224).jpeg({ quality: QUALITY }).toBuffer();
const planned = (jpeg: Uint8Array, i: number) =>
  recipe.apply({ image: { kind: 'encoded', data: jpeg } }, params[i]!, { output: 'jpeg', quality: QUALITY });
const naive = (jpeg: Uint8Array, i: number) => runNaive(jpeg, params[i]!, QUALITY);

// Warm up libvips and the JIT.
await throughput(jpegs.slice(0, 8), CONCURRENCY, baseline);
await throughput(jpegs.slice(0, 8), CONCURRENCY, planned);
await throughput(jpegs.slice(0, 8), CONCURRENCY, naive);

const rates = { a: [] as number[], b: [] as number[], c: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  rates.a.push(await throughput(jpegs, CONCURRENCY, baseline));
  rates.b.push(await throughput(jpegs, CONCURRENCY, planned));
  rates.c.push(await throughput(jpegs, CONCURRENCY, naive));
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const a = median(rates.a);
const b = median(rates.b);
const c = median(rates.c);
const ba = median(rates.b.map((v, i) => v / rates.a[i]!));
const bc = median(rates.b.map((v, i) => v / rates.c[i]!));

const plan = await augment(recipe, { image: { kind: 'encoded', data: jpegs[0]! } }, Rng.create(7).fork(0), {
  output: 'jpeg',
});

// The typed-array path on real digits: affine + elastic (Simard 2003), float32 for the trainer.
const digits = await loadMnist({ limit: 1000 });
const mnistRecipe = compose([
  affine({
    rotate: [-10, 10],
    scale: [0.9, 1.1],
    translateX: [-0.08, 0.08],
    translateY: [-0.08, 0.08],
    shearX: [-8, 8],
  }),
  elasticTransform({ alpha: 34, sigma: 4 }),
]);
const rawRng = Rng.create(3);
const rawRates: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const start = performance.now();
  let n = 0;
  for (let epoch = 0; epoch < (quick ? 1 : 3); epoch++) {
    for (const digit of digits) {
      augmentRaw(mnistRecipe, digit.payload, rawRng.fork(`${digit.id}:${round}:${epoch}`), {
        output: 'float32',
      });
      n++;
    }
  }
  rawRates.push(n / ((performance.now() - start) / 1000));
}
const raw = median(rawRates);

console.log('');
console.log(
  formatTable(
    ['case', 'images/s', 'rounds'],
    [
      [
        '(a) decode -> resize 224 -> JPEG, one pass',
        a.toFixed(0),
        rates.a.map((r) => r.toFixed(0)).join(' '),
      ],
      ['(b) recipe through the planner', b.toFixed(0), rates.b.map((r) => r.toFixed(0)).join(' ')],
      [
        '(c) recipe naive, one call + encode per transform',
        c.toFixed(0),
        rates.c.map((r) => r.toFixed(0)).join(' '),
      ],
      [
        '28x28 MNIST affine + elastic, augmentRaw, 1 thread',
        raw.toFixed(0),
        rawRates.map((r) => r.toFixed(0)).join(' '),
      ],
    ],
  ),
);
console.log('');
console.log(
  `b/a = ${ba.toFixed(2)}  (target >= 0.7; per round: ${rates.b.map((v, i) => (v / rates.a[i]!).toFixed(2)).join(' ')})`,
);
console.log(
  `b/c = ${bc.toFixed(2)}  (target >= 4; per round: ${rates.b.map((v, i) => (v / rates.c[i]!).toFixed(2)).join(' ')})`,
);
console.log(
  `planner steps for image 0: ${plan.plan.steps.join(' -> ')} (${plan.plan.passes} libvips passes)`,
);
