import { z } from 'zod';
import type { EraseRect } from '../ops/types.ts';
import { leafTransform } from './contract.ts';
import { bounds, fill, fillArray, intRange, probability, range } from './schema.ts';

/**
 * Additive Gaussian noise; its standard deviation (a fraction of the largest pixel value) is
 * drawn from `std`. The noise itself comes from a recorded seed, so replays are exact.
 *
 * Options: `std` (@default [0.02, 0.08]), `mean` (fraction of the largest value; @default 0),
 * `perChannel` (independent noise per channel; @default true), `p` (@default 1).
 */
export const gaussianNoise = leafTransform({
  type: 'gaussianNoise',
  version: 1,
  kind: 'pixel',
  optionsType: 'GaussianNoiseOptions',
  options: z.strictObject({
    std: range(0, 1).default([0.02, 0.08]),
    mean: z.number().min(-1).max(1).default(0),
    perChannel: z.boolean().default(true),
    p: probability(1),
  }),
  params: z.strictObject({ std: z.number().min(0), seed: z.int().min(0) }),
  sample: (rng, _, o) => {
    const [lo, hi] = bounds(o.std);
    return { std: rng.uniform(lo, hi), seed: rng.nextUint32() };
  },
  ops: ({ std, seed }, _, o) => [{ op: 'noise', std, mean: o.mean, perChannel: o.perChannel, seed }],
});

/**
 * Encodes as JPEG at a quality drawn from `quality` and decodes again (compression artefacts).
 *
 * Options: `quality` (1 to 100; @default [40, 90]), `p` (@default 1).
 */
export const jpegCompression = leafTransform({
  type: 'jpegCompression',
  version: 1,
  kind: 'pixel',
  optionsType: 'JpegCompressionOptions',
  options: z.strictObject({ quality: intRange(1, 100).default([40, 90]), p: probability(1) }),
  params: z.strictObject({ quality: z.int().min(1).max(100) }),
  sample: (rng, _, o) => {
    const [lo, hi] = bounds(o.quality);
    return { quality: rng.int(lo, hi) };
  },
  ops: ({ quality }) => [{ op: 'jpeg', quality }],
});

/**
 * torchvision's RandomErasing (cutout): `count` rectangles of random area (`scale`, a fraction of
 * the image) and aspect ratio (`ratio`), filled with `fill` or with uniform noise
 * (`fill: 'random'`). A rectangle that does not fit after 10 draws is skipped.
 *
 * Options: `scale` (@default [0.02, 0.33]), `ratio` (@default [0.3, 3.3]), `count`
 * (@default 1), `fill` (@default 0), `p` (@default 0.5, as torchvision).
 */
export const randomErasing = leafTransform({
  type: 'randomErasing',
  version: 1,
  kind: 'pixel',
  optionsType: 'RandomErasingOptions',
  options: z.strictObject({
    scale: range(0, 1).default([0.02, 0.33]),
    ratio: range(0.01, 100).default([0.3, 3.3]),
    count: intRange(1, 100).default(1),
    fill: z.union([z.literal('random'), fill.unwrap()]).default(0),
    p: probability(0.5),
  }),
  params: z.strictObject({
    rects: z.array(
      z.strictObject({ x: z.int().min(0), y: z.int().min(0), width: z.int().min(1), height: z.int().min(1) }),
    ),
    seed: z.int().min(0),
  }),
  sample: (rng, { width: W, height: H }, o) => {
    const [c0, c1] = bounds(o.count);
    const count = rng.int(c0, c1);
    const [s0, s1] = bounds(o.scale);
    const [r0, r1] = bounds(o.ratio);
    const rects: EraseRect[] = [];
    for (let k = 0; k < count; k++) {
      for (let attempt = 0; attempt < 10; attempt++) {
        const area = W * H * rng.uniform(s0, s1);
        const aspect = Math.exp(rng.uniform(Math.log(r0), Math.log(r1)));
        const h = Math.round(Math.sqrt(area * aspect));
        const w = Math.round(Math.sqrt(area / aspect));
        if (w >= 1 && h >= 1 && w < W && h < H) {
          rects.push({ x: rng.int(0, W - w), y: rng.int(0, H - h), width: w, height: h });
          break;
        }
      }
    }
    return { rects, seed: rng.nextUint32() };
  },
  ops: ({ rects, seed }, _, o) =>
    rects.length === 0
      ? []
      : [{ op: 'erase', rects, fill: o.fill === 'random' ? 'random' : fillArray(o.fill), seed }],
});
