import { z } from 'zod';
import type { EraseRect } from '../ops/types.ts';
import { leafTransform } from './contract.ts';
import { bounds, fill, fillArray, intRange, probability, range } from './schema.ts';

const holeFill = z.union([z.literal('random'), fill.unwrap()]).default(0);
const maskFill = z.int().min(0).max(255).optional();

/**
 * albumentations' CoarseDropout: `holes` rectangles whose sides are fractions (drawn from `size`)
 * of the image's, at random positions, filled with `fill` (or uniform noise: 'random'). With
 * `maskFill`, the mask gets that value in the holes; boxes whose visible part falls below the
 * run's `minVisibility` (or to nothing) are dropped and reported.
 *
 * Options: `holes` (@default [1, 8]), `size` (@default [0.05, 0.15]), `fill` (@default 0),
 * `maskFill` (@default none: the mask is kept), `p` (@default 1).
 */
export const coarseDropout = leafTransform({
  type: 'coarseDropout',
  version: 1,
  kind: 'pixel',
  targets: ['image', 'mask', 'boxes'],
  optionsType: 'CoarseDropoutOptions',
  options: z.strictObject({
    holes: intRange(1, 1000).default([1, 8]),
    size: range(0.001, 1).default([0.05, 0.15]),
    fill: holeFill,
    maskFill,
    p: probability(1),
  }),
  params: z.strictObject({
    rects: z.array(
      z.strictObject({ x: z.int().min(0), y: z.int().min(0), width: z.int().min(1), height: z.int().min(1) }),
    ),
    seed: z.int().min(0),
  }),
  sample: (rng, { width: W, height: H }, o) => {
    const [h0, h1] = bounds(o.holes);
    const [s0, s1] = bounds(o.size);
    const rects: EraseRect[] = [];
    for (let k = rng.int(h0, h1); k > 0; k--) {
      const w = Math.max(1, Math.min(W, Math.round(W * rng.uniform(s0, s1))));
      const h = Math.max(1, Math.min(H, Math.round(H * rng.uniform(s0, s1))));
      rects.push({ x: rng.int(0, W - w), y: rng.int(0, H - h), width: w, height: h });
    }
    return { rects, seed: rng.nextUint32() };
  },
  ops: ({ rects, seed }, _, o) =>
    rects.length === 0
      ? []
      : [
          {
            op: 'erase',
            rects,
            fill: o.fill === 'random' ? 'random' : fillArray(o.fill),
            seed,
            targets: { ...(o.maskFill === undefined ? {} : { maskFill: o.maskFill }) },
          },
        ],
});

/**
 * albumentations' GridDropout: a grid of square cells of side `unit` (a fraction of the shorter
 * side, drawn), shifted by a random offset; in every cell the top-left square of side
 * round(unit x ratio) is filled. Masks and boxes as coarseDropout.
 *
 * Options: `ratio` (@default 0.5), `unit` (@default [0.1, 0.25]), `randomOffset` (@default
 * true), `fill` (@default 0), `maskFill` (@default none), `p` (@default 1).
 */
export const gridDropout = leafTransform({
  type: 'gridDropout',
  version: 1,
  kind: 'pixel',
  targets: ['image', 'mask', 'boxes'],
  optionsType: 'GridDropoutOptions',
  options: z.strictObject({
    ratio: z.number().min(0.01).max(1).default(0.5),
    unit: range(0.01, 1).default([0.1, 0.25]),
    randomOffset: z.boolean().default(true),
    fill: holeFill,
    maskFill,
    p: probability(1),
  }),
  params: z.strictObject({
    unit: z.int().min(1),
    offsetX: z.int().min(0),
    offsetY: z.int().min(0),
    seed: z.int().min(0),
  }),
  sample: (rng, { width: W, height: H }, o) => {
    const [u0, u1] = bounds(o.unit);
    const unit = Math.max(2, Math.round(Math.min(W, H) * (u0 === u1 ? u0 : rng.uniform(u0, u1))));
    const offsetX = o.randomOffset ? rng.int(0, unit - 1) : 0;
    const offsetY = o.randomOffset ? rng.int(0, unit - 1) : 0;
    return { unit, offsetX, offsetY, seed: rng.nextUint32() };
  },
  ops: ({ unit, offsetX, offsetY, seed }, { width: W, height: H }, o) => {
    const rects = gridHoles(W, H, unit, Math.max(1, Math.round(unit * o.ratio)), offsetX, offsetY);
    return rects.length === 0
      ? []
      : [
          {
            op: 'erase',
            rects,
            fill: o.fill === 'random' ? 'random' : fillArray(o.fill),
            seed,
            targets: { ...(o.maskFill === undefined ? {} : { maskFill: o.maskFill }) },
          },
        ];
  },
});

/** The holes of a grid dropout, clipped to the image: a hole of side `hole` at the top left of each cell. */
export function gridHoles(
  W: number,
  H: number,
  unit: number,
  hole: number,
  offsetX: number,
  offsetY: number,
): EraseRect[] {
  const rects: EraseRect[] = [];
  for (let y = offsetY - unit; y < H; y += unit)
    for (let x = offsetX - unit; x < W; x += unit) {
      const x0 = Math.max(0, x);
      const y0 = Math.max(0, y);
      const x1 = Math.min(W, x + hole);
      const y1 = Math.min(H, y + hole);
      if (x1 > x0 && y1 > y0) rects.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
    }
  return rects;
}
