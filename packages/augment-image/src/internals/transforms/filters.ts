import { z } from 'zod';
import { motionKernel, sharpenKernel } from '../ops/kernels.ts';
import { leafTransform } from './contract.ts';
import { bounds, intRange, probability, range } from './schema.ts';

/**
 * Gaussian blur with sigma drawn from `sigma` (px).
 *
 * Options: `sigma` (@default [0.1, 2], as torchvision's GaussianBlur), `p` (@default 1).
 */
export const gaussianBlur = leafTransform({
  type: 'gaussianBlur',
  version: 1,
  kind: 'pixel',
  optionsType: 'GaussianBlurOptions',
  options: z.strictObject({ sigma: range(0.01, 100).default([0.1, 2]), p: probability(1) }),
  params: z.strictObject({ sigma: z.number().positive() }),
  sample: (rng, _, o) => {
    const [lo, hi] = bounds(o.sigma);
    return { sigma: rng.uniform(lo, hi) };
  },
  ops: ({ sigma }) => [{ op: 'blur', sigma }],
});

/**
 * Blur along a line: an odd kernel size drawn from `size`, an angle (degrees) from `angle`.
 *
 * Options: `size` (odd sizes within [3, 99]; @default [3, 7]), `angle` (@default [0, 180]),
 * `p` (@default 1).
 */
export const motionBlur = leafTransform({
  type: 'motionBlur',
  version: 1,
  kind: 'pixel',
  optionsType: 'MotionBlurOptions',
  options: z.strictObject({
    size: intRange(3, 99).default([3, 7]),
    angle: range(-360, 360).default([0, 180]),
    p: probability(1),
  }),
  params: z.strictObject({
    size: z
      .int()
      .min(3)
      .max(99)
      .refine((v) => v % 2 === 1, { message: 'an odd integer' }),
    angle: z.number(),
  }),
  sample: (rng, _, o) => {
    const [lo, hi] = bounds(o.size);
    const first = lo % 2 === 1 ? lo : lo + 1;
    const count = Math.max(1, Math.floor((hi - first) / 2) + 1);
    const [a0, a1] = bounds(o.angle);
    return { size: Math.min(99, first + 2 * rng.int(0, count - 1)), angle: rng.uniform(a0, a1) };
  },
  ops: ({ size, angle }) => [{ op: 'convolve', ...motionKernel(size, angle) }],
});

/**
 * albumentations' Sharpen: the image blended (by `alpha`) with a 3x3 Laplacian emphasis whose
 * centre weight is 8 + `lightness` (lightness 1 keeps the mean brightness).
 *
 * Options: `alpha` (@default [0.2, 0.5]), `lightness` (@default [0.5, 1]), `p` (@default 1).
 */
export const sharpen = leafTransform({
  type: 'sharpen',
  version: 1,
  kind: 'pixel',
  optionsType: 'SharpenOptions',
  options: z.strictObject({
    alpha: range(0, 1).default([0.2, 0.5]),
    lightness: range(0, 10).default([0.5, 1]),
    p: probability(1),
  }),
  params: z.strictObject({ alpha: z.number().min(0).max(1), lightness: z.number().min(0) }),
  sample: (rng, _, o) => {
    const [a0, a1] = bounds(o.alpha);
    const [l0, l1] = bounds(o.lightness);
    return { alpha: rng.uniform(a0, a1), lightness: rng.uniform(l0, l1) };
  },
  ops: ({ alpha, lightness }) => [{ op: 'convolve', ...sharpenKernel(alpha, lightness) }],
});
