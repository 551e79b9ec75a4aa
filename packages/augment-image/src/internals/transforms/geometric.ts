import { z } from 'zod';
import { type Affine, about, chain, rotation, scaling, shearing, translation } from '../geometry/matrix.ts';
import type { AffineOp, Border, Interpolation } from '../ops/types.ts';
import { leafTransform } from './contract.ts';
import { border, bounds, fill, fillArray, interpolation, probability, range } from './schema.ts';

export interface WarpStyle {
  border: Border;
  fill: number | readonly number[];
  interpolation: Interpolation;
}

export function affineOp(matrix: Affine, width: number, height: number, style: WarpStyle): AffineOp {
  return {
    op: 'affine',
    matrix,
    width,
    height,
    border: style.border,
    fill: fillArray(style.fill),
    interpolation: style.interpolation,
  };
}

const MIRROR: WarpStyle = { border: 'constant', fill: 0, interpolation: 'nearest' };
const noParams = z.strictObject({});

/** Mirrors the image left-right. Options: `p` (@default 0.5). */
export const horizontalFlip = leafTransform({
  type: 'horizontalFlip',
  version: 1,
  kind: 'geometric',
  optionsType: 'HorizontalFlipOptions',
  options: z.strictObject({ p: probability(0.5) }),
  params: noParams,
  sample: () => ({}),
  ops: (_, { width, height }) => [affineOp([-1, 0, width, 0, 1, 0], width, height, MIRROR)],
});

/** Mirrors the image top-bottom. Options: `p` (@default 0.5). */
export const verticalFlip = leafTransform({
  type: 'verticalFlip',
  version: 1,
  kind: 'geometric',
  optionsType: 'VerticalFlipOptions',
  options: z.strictObject({ p: probability(0.5) }),
  params: noParams,
  sample: () => ({}),
  ops: (_, { width, height }) => [affineOp([1, 0, 0, 0, -1, height], width, height, MIRROR)],
});

/** A number >= 0 meaning [-v, v], or an explicit [min, max] pair. */
function symmetricRange(max: number) {
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
 * Rotates about the centre by an angle drawn from `limit` (degrees, counter-clockwise), keeping
 * the canvas size; corners are filled by `border`.
 *
 * Options: `limit` (number v for [-v, v] or [min, max]; @default 30), `border` (`constant`,
 * `reflect` or `replicate`; @default 'constant', as torchvision), `fill` (@default 0),
 * `interpolation` (@default 'bilinear'), `p` (@default 1).
 */
export const rotate = leafTransform({
  type: 'rotate',
  version: 1,
  kind: 'geometric',
  optionsType: 'RotateOptions',
  options: z.strictObject({
    limit: symmetricRange(360).default(30),
    border,
    fill,
    interpolation,
    p: probability(1),
  }),
  params: z.strictObject({ angle: z.number() }),
  sample: (rng, _, o) => {
    const [lo, hi] = bounds(o.limit, true);
    return { angle: rng.uniform(lo, hi) };
  },
  ops: ({ angle }, { width, height }, o) => [
    affineOp(about(rotation(angle), width / 2, height / 2), width, height, o),
  ],
});

/**
 * Scale, rotation, translation and shear in one map about the centre (albumentations' Affine).
 * A lone number is a fixed value; a pair is a range drawn uniformly.
 *
 * Options: `scale` (@default 1), `rotate` (degrees, @default 0), `translateX` / `translateY`
 * (fractions of the width / height, @default 0), `shearX` / `shearY` (degrees, @default 0),
 * `border` (@default 'constant'), `fill` (@default 0), `interpolation` (@default 'bilinear'),
 * `p` (@default 1).
 */
export const affine = leafTransform({
  type: 'affine',
  version: 1,
  kind: 'geometric',
  optionsType: 'AffineOptions',
  options: z.strictObject({
    scale: range(0.01, 100).default(1),
    rotate: range(-360, 360).default(0),
    translateX: range(-1, 1).default(0),
    translateY: range(-1, 1).default(0),
    shearX: range(-80, 80).default(0),
    shearY: range(-80, 80).default(0),
    border,
    fill,
    interpolation,
    p: probability(1),
  }),
  params: z.strictObject({
    scale: z.number().positive(),
    rotate: z.number(),
    translateX: z.number(),
    translateY: z.number(),
    shearX: z.number(),
    shearY: z.number(),
  }),
  sample: (rng, _, o) => {
    const draw = (r: typeof o.scale) => {
      const [lo, hi] = bounds(r);
      return lo === hi ? lo : rng.uniform(lo, hi);
    };
    return {
      scale: draw(o.scale),
      rotate: draw(o.rotate),
      translateX: draw(o.translateX),
      translateY: draw(o.translateY),
      shearX: draw(o.shearX),
      shearY: draw(o.shearY),
    };
  },
  ops: (p, { width, height }, o) => {
    const linear = chain(scaling(p.scale), shearing(p.shearX, p.shearY), rotation(p.rotate));
    const m = chain(
      about(linear, width / 2, height / 2),
      translation(p.translateX * width, p.translateY * height),
    );
    return [affineOp(m, width, height, o)];
  },
});
