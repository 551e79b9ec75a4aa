import { z } from 'zod';
import { leafTransform } from './contract.ts';
import {
  defocusKernel,
  downscale as downscaleFn,
  isoNoise as isoNoiseFn,
  zoomBlur as zoomBlurFn,
  zoomFactors,
} from './fn/degrade.ts';
import { bounds, intRange, probability, range } from './schema.ts';
import { pixelsOp } from './tone.ts';

const draw = (rng: { uniform(a: number, b: number): number }, r: number | readonly [number, number]) => {
  const [lo, hi] = bounds(r);
  return lo === hi ? lo : rng.uniform(lo, hi);
};

/**
 * Encodes as JPEG or WebP at a quality drawn from `quality` and decodes again (albumentations'
 * ImageCompression). Runs through libvips as a step of its own.
 *
 * Options: `format` (`jpeg` or `webp`; @default 'jpeg'), `quality` (1 to 100; @default [40, 90]),
 * `p` (@default 1).
 */
export const imageCompression = leafTransform({
  type: 'imageCompression',
  version: 1,
  kind: 'pixel',
  optionsType: 'ImageCompressionOptions',
  options: z.strictObject({
    format: z.enum(['jpeg', 'webp']).default('jpeg'),
    quality: intRange(1, 100).default([40, 90]),
    p: probability(1),
  }),
  params: z.strictObject({ quality: z.int().min(1).max(100) }),
  sample: (rng, _, o) => {
    const [lo, hi] = bounds(o.quality);
    return { quality: rng.int(lo, hi) };
  },
  ops: ({ quality }, _, o) => [{ op: 'jpeg', quality, format: o.format }],
});

/**
 * albumentations' Downscale: shrinks by a factor drawn from `scale` (area averaging) and enlarges
 * back (nearest neighbour): detail below the cell size is lost.
 *
 * Options: `scale` (0.01 to 1; @default [0.25, 0.5]), `p` (@default 1).
 */
export const downscale = leafTransform({
  type: 'downscale',
  version: 1,
  kind: 'pixel',
  optionsType: 'DownscaleOptions',
  options: z.strictObject({ scale: range(0.01, 1).default([0.25, 0.5]), p: probability(1) }),
  params: z.strictObject({ scale: z.number().min(0.01).max(1) }),
  sample: (rng, _, o) => ({ scale: draw(rng, o.scale) }),
  ops: ({ scale }) => [pixelsOp('downscale', (img) => downscaleFn(img, scale))],
});

/**
 * albumentations' Defocus: convolution with a disc of radius drawn from `radius` (px), its edge
 * softened by a Gaussian of sigma drawn from `aliasBlur`. One libvips convolution.
 *
 * Options: `radius` (1 to 30; @default [3, 10]), `aliasBlur` (0 to 10; @default [0.1, 0.5]),
 * `p` (@default 1).
 */
export const defocus = leafTransform({
  type: 'defocus',
  version: 1,
  kind: 'pixel',
  optionsType: 'DefocusOptions',
  options: z.strictObject({
    radius: intRange(1, 30).default([3, 10]),
    aliasBlur: range(0, 10).default([0.1, 0.5]),
    p: probability(1),
  }),
  params: z.strictObject({ radius: z.int().min(1).max(30), aliasBlur: z.number().min(0) }),
  sample: (rng, _, o) => {
    const [lo, hi] = bounds(o.radius);
    return { radius: rng.int(lo, hi), aliasBlur: draw(rng, o.aliasBlur) };
  },
  ops: ({ radius, aliasBlur }) => [{ op: 'convolve', ...defocusKernel(radius, aliasBlur) }],
});

/**
 * albumentations' ZoomBlur: the mean of the image and copies zoomed about the centre by 1 + step,
 * 1 + 2 step, ... below a maximum drawn from `maxFactor`, step drawn from `stepFactor`.
 *
 * Options: `maxFactor` (1 to 2; @default [1, 1.31]), `stepFactor` (0.001 to 0.5; @default
 * [0.01, 0.03]), `p` (@default 1).
 */
export const zoomBlur = leafTransform({
  type: 'zoomBlur',
  version: 1,
  kind: 'pixel',
  optionsType: 'ZoomBlurOptions',
  options: z.strictObject({
    maxFactor: range(1, 2).default([1, 1.31]),
    stepFactor: range(0.001, 0.5).default([0.01, 0.03]),
    p: probability(1),
  }),
  params: z.strictObject({ maxFactor: z.number().min(1), stepFactor: z.number().positive() }),
  sample: (rng, _, o) => ({ maxFactor: draw(rng, o.maxFactor), stepFactor: draw(rng, o.stepFactor) }),
  ops: ({ maxFactor, stepFactor }) => {
    const factors = zoomFactors(maxFactor, stepFactor);
    return factors.length === 0 ? [] : [pixelsOp('zoomBlur', (img) => zoomBlurFn(img, factors))];
  },
});

/**
 * albumentations' ISONoise (camera sensor noise): hue noise and Poisson lightness noise in HLS,
 * drawn from a recorded seed. Colour images only (grey ones are left as they are).
 *
 * Options: `intensity` (@default [0.1, 0.5]), `colorShift` (@default [0.01, 0.05]), `p`
 * (@default 1).
 */
export const isoNoise = leafTransform({
  type: 'isoNoise',
  version: 1,
  kind: 'pixel',
  optionsType: 'IsoNoiseOptions',
  options: z.strictObject({
    intensity: range(0, 1).default([0.1, 0.5]),
    colorShift: range(0, 1).default([0.01, 0.05]),
    p: probability(1),
  }),
  params: z.strictObject({
    intensity: z.number().min(0).max(1),
    colorShift: z.number().min(0).max(1),
    seed: z.int().min(0),
  }),
  sample: (rng, _, o) => ({
    intensity: draw(rng, o.intensity),
    colorShift: draw(rng, o.colorShift),
    seed: rng.nextUint32(),
  }),
  ops: ({ intensity, colorShift, seed }) => [
    pixelsOp('isoNoise', (img, ctx) => isoNoiseFn(img, intensity, colorShift, seed, ctx)),
  ],
});
