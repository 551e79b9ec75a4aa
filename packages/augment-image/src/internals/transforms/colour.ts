import { z } from 'zod';
import { maxValue } from '../image/shape.ts';
import {
  brightnessStep,
  contrastStep,
  grayscaleStep,
  hueStep,
  invertStep,
  permutationStep,
  saturationStep,
} from '../ops/colour.ts';
import type { ColourStep } from '../ops/types.ts';
import { leafTransform } from './contract.ts';
import { bounds, intRange, probability, range } from './schema.ts';

/** torchvision's jitter spec: v means [max(0, 1 - v), 1 + v]; a pair is used as it is. */
function factor() {
  return z.union(
    [
      z.number().min(0).max(100),
      z
        .tuple([z.number().min(0).max(100), z.number().min(0).max(100)])
        .refine(([a, b]) => a <= b, { message: 'a [min, max] pair with min <= max' }),
    ],
    { error: 'a number >= 0 (meaning [1 - v, 1 + v]) or a [min, max] pair of factors' },
  );
}

function factorBounds(value: number | readonly [number, number]): [number, number] | undefined {
  if (typeof value === 'number') return value === 0 ? undefined : [Math.max(0, 1 - value), 1 + value];
  return [value[0], value[1]];
}

const hueSpec = z.union(
  [
    z.number().min(0).max(0.5),
    z
      .tuple([z.number().min(-0.5).max(0.5), z.number().min(-0.5).max(0.5)])
      .refine(([a, b]) => a <= b, { message: 'a [min, max] pair with min <= max' }),
  ],
  { error: 'a number in [0, 0.5] (meaning [-v, v]) or a [min, max] pair within [-0.5, 0.5]' },
);

const JITTERS = ['brightness', 'contrast', 'saturation', 'hue'] as const;

/**
 * torchvision's ColorJitter: brightness, contrast, saturation and hue factors drawn from their
 * ranges and applied in a random order. Every step is linear (hue turns about the grey axis), so
 * the whole jitter folds into one colour matrix; clipping happens once, at the end.
 *
 * Options: `brightness`, `contrast`, `saturation` (v for [1 - v, 1 + v] or [min, max];
 * @default 0, off), `hue` (fraction of a turn, v in [0, 0.5] for [-v, v]; @default 0),
 * `p` (@default 1).
 */
export const colorJitter = leafTransform({
  type: 'colorJitter',
  version: 1,
  kind: 'pixel',
  optionsType: 'ColorJitterOptions',
  options: z.strictObject({
    brightness: factor().default(0),
    contrast: factor().default(0),
    saturation: factor().default(0),
    hue: hueSpec.default(0),
    p: probability(1),
  }),
  params: z.strictObject({
    order: z.array(z.int().min(0).max(3)).max(4),
    brightness: z.number().min(0).optional(),
    contrast: z.number().min(0).optional(),
    saturation: z.number().min(0).optional(),
    hue: z.number().min(-0.5).max(0.5).optional(),
  }),
  sample: (rng, _, o) => {
    const order = Array.from(rng.permutation(4));
    const out: {
      order: number[];
      brightness?: number;
      contrast?: number;
      saturation?: number;
      hue?: number;
    } = { order };
    for (const name of ['brightness', 'contrast', 'saturation'] as const) {
      const b = factorBounds(o[name]);
      if (b) out[name] = rng.uniform(b[0], b[1]);
    }
    const h = o.hue === 0 ? undefined : bounds(o.hue, true);
    if (h) out.hue = rng.uniform(h[0], h[1]);
    return out;
  },
  ops: (p) => {
    const steps: ColourStep[] = [];
    for (const index of p.order) {
      const name = JITTERS[index]!;
      const value = p[name];
      if (value === undefined) continue;
      if (name === 'brightness') steps.push(brightnessStep(value));
      else if (name === 'contrast') steps.push(contrastStep(value));
      else if (name === 'saturation') steps.push(saturationStep(value));
      else steps.push(hueStep(value));
    }
    return steps.length === 0 ? [] : [{ op: 'colour', steps }];
  },
});

/**
 * Gamma correction v' = max * (v / max) ^ gamma, gamma drawn from `gamma`.
 *
 * Options: `gamma` (@default [0.8, 1.2], as albumentations' RandomGamma), `p` (@default 1).
 */
export const gamma = leafTransform({
  type: 'gamma',
  version: 1,
  kind: 'pixel',
  optionsType: 'GammaOptions',
  options: z.strictObject({ gamma: range(0.01, 10).default([0.8, 1.2]), p: probability(1) }),
  params: z.strictObject({ gamma: z.number().positive() }),
  sample: (rng, _, o) => {
    const [lo, hi] = bounds(o.gamma);
    return { gamma: rng.uniform(lo, hi) };
  },
  ops: ({ gamma: g }) => [{ op: 'gamma', gamma: g }],
});

/** Every colour channel becomes the luma (the image keeps its channels). Options: `p` (@default 1). */
export const grayscale = leafTransform({
  type: 'grayscale',
  version: 1,
  kind: 'pixel',
  optionsType: 'GrayscaleOptions',
  options: z.strictObject({ p: probability(1) }),
  params: z.strictObject({}),
  sample: () => ({}),
  ops: () => [{ op: 'colour', steps: [grayscaleStep()] }],
});

/** Shuffles the R, G and B channels (grey images are unchanged). Options: `p` (@default 1). */
export const channelShuffle = leafTransform({
  type: 'channelShuffle',
  version: 1,
  kind: 'pixel',
  optionsType: 'ChannelShuffleOptions',
  options: z.strictObject({ p: probability(1) }),
  params: z.strictObject({ order: z.array(z.int().min(0).max(2)).length(3) }),
  sample: (rng) => ({ order: Array.from(rng.permutation(3)) }),
  ops: ({ order }) => [{ op: 'colour', steps: [permutationStep(order)] }],
});

/** v' = max - v on colour channels. Options: `p` (@default 1). */
export const invert = leafTransform({
  type: 'invert',
  version: 1,
  kind: 'pixel',
  optionsType: 'InvertOptions',
  options: z.strictObject({ p: probability(1) }),
  params: z.strictObject({}),
  sample: () => ({}),
  ops: () => [{ op: 'colour', steps: [invertStep()] }],
});

/**
 * Keeps the top `bits` bits of each 8-bit channel value.
 *
 * Options: `bits` (1 to 8, or a [min, max] range; @default 4), `p` (@default 1).
 */
export const posterize = leafTransform({
  type: 'posterize',
  version: 1,
  kind: 'pixel',
  optionsType: 'PosterizeOptions',
  options: z.strictObject({ bits: intRange(1, 8).default(4), p: probability(1) }),
  params: z.strictObject({ bits: z.int().min(1).max(8) }),
  sample: (rng, _, o) => {
    const [lo, hi] = bounds(o.bits);
    return { bits: rng.int(lo, hi) };
  },
  ops: ({ bits }) => [{ op: 'posterize', bits }],
});

/** Histogram equalization of each colour channel. Options: `p` (@default 1). */
export const equalize = leafTransform({
  type: 'equalize',
  version: 1,
  kind: 'pixel',
  optionsType: 'EqualizeOptions',
  options: z.strictObject({ p: probability(1) }),
  params: z.strictObject({}),
  sample: () => ({}),
  ops: () => [{ op: 'equalize' }],
});

const perChannel = z.array(z.number()).min(1).max(4);

/**
 * (v / maxPixelValue - mean) / std per channel, as float32 (the trainer's input). Must be the
 * last transform. Grey images use the first `mean` and `std` values.
 *
 * Options: `mean` (@default ImageNet [0.485, 0.456, 0.406]), `std` (@default
 * [0.229, 0.224, 0.225]), `maxPixelValue` (@default the dtype's largest value), `p` (@default 1).
 */
export const normalize = leafTransform({
  type: 'normalize',
  version: 1,
  kind: 'pixel',
  optionsType: 'NormalizeOptions',
  options: z.strictObject({
    mean: perChannel.default([0.485, 0.456, 0.406]),
    std: z.array(z.number().positive()).min(1).max(4).default([0.229, 0.224, 0.225]),
    maxPixelValue: z.number().positive().optional(),
    p: probability(1),
  }),
  params: z.strictObject({}),
  sample: () => ({}),
  ops: (_, shape, o) => [
    { op: 'normalize', mean: o.mean, std: o.std, maxPixelValue: o.maxPixelValue ?? maxValue(shape.dtype) },
  ],
});
