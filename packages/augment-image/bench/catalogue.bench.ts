/**
 * `npm run bench:catalogue`: what each registered transform costs on 224x224 JPEGs, as a ratio
 * to the same decode + JPEG encode with no transform (measured in the same process, rounds
 * interleaved, one image at a time). Shows which transforms fold into the libvips plan (about 1x)
 * and which pay for a step of their own on typed arrays (CLAHE, weather, policies, ...).
 * Mixing transforms (mixup, cutmix) run on pairs in `mixImages` and are left out.
 */
import { formatTable, Rng } from '@growset/core';
import sharp from 'sharp';
import { defaultRegistry, isMixTransform, referenceHistograms, type Transform } from '../src/index.ts';
import { generateJpegs } from './fixtures.ts';

const quick = process.argv.includes('--quick');
const IMAGES = quick ? 6 : 16;
const ROUNDS = quick ? 1 : 3;

const jpegs = await generateJpegs(IMAGES, 224, 5);
const reference = referenceHistograms({
  kind: 'raw',
  data: Uint8Array.from({ length: 64 * 3 }, (_, i) => (i * 7) % 256),
  width: 8,
  height: 8,
  channels: 3,
  dtype: 'uint8',
});
/** Options for transforms that need some (the rest use their defaults). */
const REQUIRED: { [type: string]: object } = {
  randomResizedCrop: { width: 160, height: 160 },
  randomCrop: { width: 160, height: 160 },
  centerCrop: { width: 160, height: 160 },
  resize: { width: 160, height: 160 },
  histogramMatching: { references: [reference] },
  compose: { transforms: [{ type: 'horizontalFlip' }, { type: 'rotate' }] },
  oneOf: { transforms: [{ type: 'horizontalFlip' }, { type: 'rotate' }] },
  someOf: { transforms: [{ type: 'horizontalFlip' }, { type: 'rotate' }] },
};

const registry = defaultRegistry();
const transforms = registry.types
  .map((type) => registry.fromJSON({ type, ...(REQUIRED[type] ?? {}) }))
  .filter((t): t is Transform => !isMixTransform(t) && t.type !== 'normalize');

/** Decode and encode again, nothing else: what every transform pays at least. */
async function baselineMs(): Promise<number> {
  const start = performance.now();
  for (const jpeg of jpegs) await sharp(jpeg).jpeg({ quality: 90 }).toBuffer();
  return (performance.now() - start) / jpegs.length;
}

/** Per image, with `p` forced to 1 (a transform that applies half the time would look cheap). */
async function msPerImage(t: Transform): Promise<number> {
  const shape = { width: 224, height: 224, channels: 3 as const, dtype: 'uint8' as const };
  const start = performance.now();
  for (let i = 0; i < jpegs.length; i++) {
    const params = t.sampleParams(Rng.create(9).fork(i), shape, true);
    await t.apply({ image: { kind: 'encoded', data: jpegs[i]! } }, params, {
      output: 'jpeg',
      engine: 'libvips',
    });
  }
  return (performance.now() - start) / jpegs.length;
}

await baselineMs();
const base: number[] = [];
const times = new Map<string, number[]>(transforms.map((t) => [t.type, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const t of transforms) {
    base.push(await baselineMs());
    times.get(t.type)!.push(await msPerImage(t));
  }
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const baseMs = median(base);
const rows = transforms
  .map((t) => ({ type: t.type, ms: median(times.get(t.type)!) }))
  .sort((x, y) => y.ms - x.ms)
  .map(({ type, ms }) => [type, ms.toFixed(2), (ms / baseMs).toFixed(2)]);
console.log(`decode + encode alone: ${baseMs.toFixed(2)} ms per 224x224 JPEG (median of ${base.length})`);
console.log(formatTable(['transform', 'ms/image', 'x decode+encode'], rows));
