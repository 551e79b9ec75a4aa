import type { RawImage } from '@growset/core';
import { z } from 'zod';
import type { FloatImage } from '../engine/js/filters.ts';
import type { PixelContext } from '../engine/js/pixel.ts';
import { pixelContext } from '../engine/js/run.ts';
import { toFloatImage } from '../image/codec.ts';
import type { PlanOp } from '../ops/types.ts';
import { leafTransform } from './contract.ts';
import {
  autocontrast as autocontrastFn,
  clahe as claheFn,
  levelHistograms,
  matchHistograms,
  sharpness as sharpnessFn,
  solarize as solarizeFn,
} from './fn/tone.ts';
import { bounds, probability, range } from './schema.ts';

/** A pixel op run as a function of its own on typed arrays (see PixelFnOp). */
export function pixelsOp(name: string, run: (image: FloatImage, ctx: PixelContext) => FloatImage): PlanOp {
  return { op: 'pixels', name, run };
}

/**
 * torchvision's RandomSolarize: values at or above the threshold (8-bit units, drawn from
 * `threshold`) are inverted.
 *
 * Options: `threshold` (0 to 256; @default 128), `p` (@default 1).
 */
export const solarize = leafTransform({
  type: 'solarize',
  version: 1,
  kind: 'pixel',
  optionsType: 'SolarizeOptions',
  options: z.strictObject({ threshold: range(0, 256).default(128), p: probability(1) }),
  params: z.strictObject({ threshold: z.number().min(0).max(256) }),
  sample: (rng, _, o) => {
    const [lo, hi] = bounds(o.threshold);
    return { threshold: lo === hi ? lo : rng.uniform(lo, hi) };
  },
  ops: ({ threshold }) => [pixelsOp('solarize', (img, ctx) => solarizeFn(img, threshold, ctx))],
});

/**
 * torchvision's RandomAutocontrast: each colour channel stretched to the full range (its minimum
 * to 0, its maximum to the largest value). Options: `p` (@default 1).
 */
export const autocontrast = leafTransform({
  type: 'autocontrast',
  version: 1,
  kind: 'pixel',
  optionsType: 'AutocontrastOptions',
  options: z.strictObject({ p: probability(1) }),
  params: z.strictObject({}),
  sample: () => ({}),
  ops: () => [pixelsOp('autocontrast', autocontrastFn)],
});

/**
 * torchvision's RandomAdjustSharpness / adjust_sharpness: the image blended with a smoothed copy
 * by a factor drawn from `factor` (0 smooth, 1 unchanged, 2 sharper).
 *
 * Options: `factor` (0 to 100; @default [0.5, 2]), `p` (@default 1).
 */
export const sharpness = leafTransform({
  type: 'sharpness',
  version: 1,
  kind: 'pixel',
  optionsType: 'SharpnessOptions',
  options: z.strictObject({ factor: range(0, 100).default([0.5, 2]), p: probability(1) }),
  params: z.strictObject({ factor: z.number().min(0) }),
  sample: (rng, _, o) => {
    const [lo, hi] = bounds(o.factor);
    return { factor: lo === hi ? lo : rng.uniform(lo, hi) };
  },
  ops: ({ factor }) => [pixelsOp('sharpness', (img, ctx) => sharpnessFn(img, factor, ctx, ctx.max !== 1))],
});

/**
 * Contrast-limited adaptive histogram equalization (albumentations' CLAHE, OpenCV's algorithm):
 * on grey images directly, on colour images on the L* channel of L*a*b*. Works on 8-bit levels.
 *
 * Options: `clipLimit` (@default [1, 4], as albumentations), `tileGrid` ([columns, rows] of
 * tiles; @default [8, 8]), `p` (@default 1).
 */
export const clahe = leafTransform({
  type: 'clahe',
  version: 1,
  kind: 'pixel',
  optionsType: 'ClaheOptions',
  options: z.strictObject({
    clipLimit: range(0, 100).default([1, 4]),
    tileGrid: z.tuple([z.int().min(1).max(64), z.int().min(1).max(64)]).default([8, 8]),
    p: probability(1),
  }),
  params: z.strictObject({ clipLimit: z.number().min(0) }),
  sample: (rng, _, o) => {
    const [lo, hi] = bounds(o.clipLimit);
    return { clipLimit: lo === hi ? lo : rng.uniform(lo, hi) };
  },
  ops: ({ clipLimit }, _, o) => [
    pixelsOp('clahe', (img, ctx) => claheFn(img, clipLimit, o.tileGrid[0], o.tileGrid[1], ctx)),
  ],
});

/** albumentations' ToSepia sepia matrix (rows R, G, B). */
export const SEPIA = [0.393, 0.769, 0.189, 0.349, 0.686, 0.168, 0.272, 0.534, 0.131];

/**
 * albumentations' ToSepia: one colour matrix (folds with the other colour steps). Options: `p`
 * (@default 1).
 */
export const toSepia = leafTransform({
  type: 'toSepia',
  version: 1,
  kind: 'pixel',
  optionsType: 'ToSepiaOptions',
  options: z.strictObject({ p: probability(1) }),
  params: z.strictObject({}),
  sample: () => ({}),
  ops: () => [{ op: 'colour', steps: [{ kind: 'linear', matrix: SEPIA, offset: [0, 0, 0] }] }],
});

const histogram = z.array(z.number().min(0)).length(256);

/**
 * Histogram matching against reference images (albumentations' HistogramMatching, scikit-image's
 * match_histograms per channel), blended with the source by a ratio drawn from `blend`. The
 * references are given as 256-bin histograms of 8-bit levels, one per colour channel (or one for
 * all), so a recipe stays plain JSON: make them with `referenceHistograms(image)`. Several
 * references: one is drawn per image.
 *
 * Options: `references` (required, a list of [R, G, B] or [grey] histograms), `blend`
 * (@default [0.5, 1]), `p` (@default 1).
 */
export const histogramMatching = leafTransform({
  type: 'histogramMatching',
  version: 1,
  kind: 'pixel',
  optionsType: 'HistogramMatchingOptions',
  options: z.strictObject({
    references: z
      .array(
        z
          .array(histogram)
          .min(1)
          .max(3)
          .refine((h) => h.length !== 2, 'one histogram, or one per R, G, B'),
      )
      .min(1),
    blend: range(0, 1).default([0.5, 1]),
    p: probability(1),
  }),
  params: z.strictObject({ reference: z.int().min(0), blend: z.number().min(0).max(1) }),
  sample: (rng, _, o) => {
    const [lo, hi] = bounds(o.blend);
    return { reference: rng.int(0, o.references.length - 1), blend: lo === hi ? lo : rng.uniform(lo, hi) };
  },
  ops: ({ reference, blend }, _, o) => {
    const ref = o.references[Math.min(reference, o.references.length - 1)]!;
    return [pixelsOp('histogramMatching', (img, ctx) => matchHistograms(img, ref, blend, ctx))];
  },
});

/** The 256-bin histograms of an image's colour channels (8-bit levels): a `histogramMatching` reference. */
export function referenceHistograms(image: RawImage): number[][] {
  return levelHistograms(toFloatImage(image), pixelContext(image));
}
