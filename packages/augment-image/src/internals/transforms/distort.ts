import { z } from 'zod';
import { about, chain, rotation, scaling, translation } from '../geometry/matrix.ts';
import type { MapOp } from '../ops/types.ts';
import { leafTransform } from './contract.ts';
import { gridInverse, opticalInverse } from './fn/distort.ts';
import { type ControlPoint, thinPlateInverse } from './fn/thin-plate.ts';
import { affineOp } from './geometric.ts';
import { border, bounds, fill, fillArray, interpolation, probability, range } from './schema.ts';

/** A number v >= 0 meaning [-v, v], or a [min, max] pair within [-max, max]. */
function symmetric(max: number) {
  const value = z.number().min(-max).max(max);
  return z.union(
    [
      z.number().min(0).max(max),
      z.tuple([value, value]).refine(([a, b]) => a <= b, { message: 'a [min, max] pair with min <= max' }),
    ],
    { error: `a number in [0, ${max}] (meaning [-v, v]) or a [min, max] pair within [-${max}, ${max}]` },
  );
}

/**
 * albumentations' ShiftScaleRotate: one affine about the centre, scale 1 + s (s drawn from
 * `scaleLimit`), rotation (degrees, counter-clockwise) from `rotateLimit`, then a shift of
 * (dx W, dy H) with dx, dy from `shiftLimit`. Folds with other geometry into one warp.
 *
 * Options: `shiftLimit` (@default 0.0625), `scaleLimit` (@default 0.1), `rotateLimit`
 * (@default 45), `border` (@default 'reflect', as albumentations), `fill` (@default 0),
 * `interpolation` (@default 'bilinear'), `p` (@default 1).
 */
export const shiftScaleRotate = leafTransform({
  type: 'shiftScaleRotate',
  version: 1,
  kind: 'geometric',
  optionsType: 'ShiftScaleRotateOptions',
  options: z.strictObject({
    shiftLimit: symmetric(1).default(0.0625),
    scaleLimit: symmetric(0.99).default(0.1),
    rotateLimit: symmetric(360).default(45),
    border: border.unwrap().default('reflect'),
    fill,
    interpolation,
    p: probability(1),
  }),
  params: z.strictObject({ dx: z.number(), dy: z.number(), scale: z.number().positive(), angle: z.number() }),
  sample: (rng, _, o) => {
    const sym = (r: number | readonly [number, number]) => {
      const [lo, hi] = bounds(r, true);
      return lo === hi ? lo : rng.uniform(lo, hi);
    };
    return {
      angle: sym(o.rotateLimit),
      scale: 1 + sym(o.scaleLimit),
      dx: sym(o.shiftLimit),
      dy: sym(o.shiftLimit),
    };
  },
  ops: ({ dx, dy, scale, angle }, { width: W, height: H }, o) => [
    affineOp(
      chain(about(chain(scaling(scale), rotation(angle)), W / 2, H / 2), translation(dx * W, dy * H)),
      W,
      H,
      o,
    ),
  ],
});

function mapOp(
  name: string,
  inverse: MapOp['inverse'],
  W: number,
  H: number,
  o: { border: MapOp['border']; fill: number | readonly number[]; interpolation: MapOp['interpolation'] },
): MapOp {
  return {
    op: 'map',
    name,
    inverse,
    width: W,
    height: H,
    border: o.border,
    fill: fillArray(o.fill),
    interpolation: o.interpolation,
  };
}

/**
 * albumentations' GridDistortion (normalized): the output is cut into `steps` x `steps` equal
 * cells; each column (row) samples a source column (row) whose width is proportional to 1 + d,
 * d drawn per column (row) from `distortLimit`. Piecewise linear, separable; runs on typed arrays.
 *
 * Options: `steps` (2 to 50; @default 5), `distortLimit` (@default 0.3), `border`
 * (@default 'reflect'), `fill` (@default 0), `interpolation` (@default 'bilinear'), `p` (@default 1).
 */
export const gridDistortion = leafTransform({
  type: 'gridDistortion',
  version: 1,
  kind: 'geometric',
  optionsType: 'GridDistortionOptions',
  options: z.strictObject({
    steps: z.int().min(2).max(50).default(5),
    distortLimit: symmetric(0.99).default(0.3),
    border: border.unwrap().default('reflect'),
    fill,
    interpolation,
    p: probability(1),
  }),
  params: z.strictObject({
    xSteps: z.array(z.number().positive()).min(2),
    ySteps: z.array(z.number().positive()).min(2),
  }),
  sample: (rng, _, o) => {
    const [lo, hi] = bounds(o.distortLimit, true);
    const one = () => 1 + (lo === hi ? lo : rng.uniform(lo, hi));
    return { xSteps: Array.from({ length: o.steps }, one), ySteps: Array.from({ length: o.steps }, one) };
  },
  ops: ({ xSteps, ySteps }, { width: W, height: H }, o) => [
    mapOp('grid', gridInverse(W, H, xSteps, ySteps), W, H, o),
  ],
});

/**
 * albumentations' OpticalDistortion: OpenCV's lens model with one radial coefficient k
 * (k1 = k2 = k) drawn from `distortLimit` (k > 0 barrel, k < 0 pincushion) and the centre shifted
 * by (dx W, dy H), dx and dy from `shiftLimit`. Runs on typed arrays. Below k = -0.3 or so the
 * model folds the corners over (as OpenCV's does), and boxes near them no longer match.
 *
 * Options: `distortLimit` (@default 0.05), `shiftLimit` (@default 0.05), `border` (@default
 * 'constant'), `fill` (@default 0), `interpolation` (@default 'bilinear'), `p` (@default 1).
 */
export const opticalDistortion = leafTransform({
  type: 'opticalDistortion',
  version: 1,
  kind: 'geometric',
  optionsType: 'OpticalDistortionOptions',
  options: z.strictObject({
    distortLimit: symmetric(2).default(0.05),
    shiftLimit: symmetric(0.5).default(0.05),
    border,
    fill,
    interpolation,
    p: probability(1),
  }),
  params: z.strictObject({ k: z.number(), dx: z.number(), dy: z.number() }),
  sample: (rng, _, o) => {
    const sym = (r: number | readonly [number, number]) => {
      const [lo, hi] = bounds(r, true);
      return lo === hi ? lo : rng.uniform(lo, hi);
    };
    return { k: sym(o.distortLimit), dx: sym(o.shiftLimit), dy: sym(o.shiftLimit) };
  },
  ops: ({ k, dx, dy }, { width: W, height: H }, o) => [
    mapOp('optical', opticalInverse(W, H, k, dx, dy), W, H, o),
  ],
});

/**
 * albumentations' ThinPlateSpline: a `points` x `points` grid of control points over the image
 * (corners and edges included), each sampling the input at its own position plus a normal
 * displacement of standard deviation s / 10 of the image size (s drawn from `scale`, clipped to
 * the image); the thin-plate spline through them maps every other pixel smoothly. Masks, boxes
 * and keypoints move with the same map. Runs on typed arrays.
 *
 * Options: `points` (control points per side, 2 to 10; @default 4), `scale` (@default
 * [0.2, 0.4]), `border` (@default 'reflect'), `fill` (@default 0), `interpolation`
 * (@default 'bilinear'), `p` (@default 1).
 */
export const thinPlateSpline = leafTransform({
  type: 'thinPlateSpline',
  version: 1,
  kind: 'geometric',
  optionsType: 'ThinPlateSplineOptions',
  options: z.strictObject({
    points: z.int().min(2).max(10).default(4),
    scale: range(0, 1).default([0.2, 0.4]),
    border: border.unwrap().default('reflect'),
    fill,
    interpolation,
    p: probability(1),
  }),
  params: z.strictObject({
    controls: z.array(z.tuple([z.number(), z.number(), z.number(), z.number()])).min(3),
  }),
  sample: (rng, _, o) => {
    const [lo, hi] = bounds(o.scale);
    const std = (lo === hi ? lo : rng.uniform(lo, hi)) / 10;
    const clip = (v: number) => Math.min(1, Math.max(0, v));
    const controls: [number, number, number, number][] = [];
    for (let j = 0; j < o.points; j++)
      for (let i = 0; i < o.points; i++) {
        const u = i / (o.points - 1);
        const v = j / (o.points - 1);
        controls.push([u, v, clip(u + rng.normal(0, std)), clip(v + rng.normal(0, std))]);
      }
    return { controls };
  },
  ops: ({ controls }, { width: W, height: H }, o) => [
    mapOp('thinPlate', thinPlateInverse(W, H, controls as ControlPoint[]), W, H, o),
  ],
});
