import type { Rng } from '@growset/core';
import { z } from 'zod';
import type { FloatImage } from '../engine/js/filters.ts';
import { runOpsOnFloat } from '../engine/js/run.ts';
import { type Affine, about, rotation, translation } from '../geometry/matrix.ts';
import type { ImageShape } from '../image/shape.ts';
import { gammaSample } from '../ops/beta.ts';
import { brightnessStep, contrastStep, invertStep, saturationStep } from '../ops/colour.ts';
import type { Interpolation, PlanOp } from '../ops/types.ts';
import { leafTransform } from './contract.ts';
import { autocontrast, sharpness, solarize } from './fn/tone.ts';
import { affineOp } from './geometric.ts';
import { fill, interpolation, probability } from './schema.ts';
import { pixelsOp } from './tone.ts';

/**
 * The automatic augmentation policies of torchvision (transforms/autoaugment.py), with its
 * operations and magnitude tables. Each drawn operation is recorded as `{ name, magnitude }`
 * (magnitude signed, in the operation's own units), so params replay exactly.
 */

export const POLICY_OPS = [
  'Identity',
  'ShearX',
  'ShearY',
  'TranslateX',
  'TranslateY',
  'Rotate',
  'Brightness',
  'Color',
  'Contrast',
  'Sharpness',
  'Posterize',
  'Solarize',
  'AutoContrast',
  'Equalize',
  'Invert',
] as const;
export type PolicyOpName = (typeof POLICY_OPS)[number];

/** A magnitude table: the values of the bins (empty for operations without one) and whether a sign is drawn. */
interface Magnitudes {
  values: number[];
  signed: boolean;
}

const linspace = (a: number, b: number, n: number) =>
  Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1)));
/** torch.round rounds half to even. */
const roundHalfEven = (v: number) => {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};
const posterizeBins = (top: number, n: number, spread: number) =>
  Array.from({ length: n }, (_, i) => top - roundHalfEven(i / ((n - 1) / spread)));
const none: Magnitudes = { values: [], signed: false };

/** RandAugment's and AutoAugment's table (torchvision `_augmentation_space`). */
function randAugmentSpace(bins: number, shape: ImageShape): Partial<Record<PolicyOpName, Magnitudes>> {
  return {
    Identity: none,
    ShearX: { values: linspace(0, 0.3, bins), signed: true },
    ShearY: { values: linspace(0, 0.3, bins), signed: true },
    TranslateX: { values: linspace(0, (150 / 331) * shape.width, bins), signed: true },
    TranslateY: { values: linspace(0, (150 / 331) * shape.height, bins), signed: true },
    Rotate: { values: linspace(0, 30, bins), signed: true },
    Brightness: { values: linspace(0, 0.9, bins), signed: true },
    Color: { values: linspace(0, 0.9, bins), signed: true },
    Contrast: { values: linspace(0, 0.9, bins), signed: true },
    Sharpness: { values: linspace(0, 0.9, bins), signed: true },
    Posterize: { values: posterizeBins(8, bins, 4), signed: false },
    Solarize: { values: linspace(255, 0, bins), signed: false },
    AutoContrast: none,
    Equalize: none,
  };
}

/** TrivialAugmentWide's wider table. */
function trivialSpace(bins: number): Partial<Record<PolicyOpName, Magnitudes>> {
  return {
    Identity: none,
    ShearX: { values: linspace(0, 0.99, bins), signed: true },
    ShearY: { values: linspace(0, 0.99, bins), signed: true },
    TranslateX: { values: linspace(0, 32, bins), signed: true },
    TranslateY: { values: linspace(0, 32, bins), signed: true },
    Rotate: { values: linspace(0, 135, bins), signed: true },
    Brightness: { values: linspace(0, 0.99, bins), signed: true },
    Color: { values: linspace(0, 0.99, bins), signed: true },
    Contrast: { values: linspace(0, 0.99, bins), signed: true },
    Sharpness: { values: linspace(0, 0.99, bins), signed: true },
    Posterize: { values: posterizeBins(8, bins, 6), signed: false },
    Solarize: { values: linspace(255, 0, bins), signed: false },
    AutoContrast: none,
    Equalize: none,
  };
}

/** AugMix's table (11 bins; brightness, color, contrast and sharpness only with `allOps`). */
function augMixSpace(shape: ImageShape, allOps: boolean): Partial<Record<PolicyOpName, Magnitudes>> {
  const bins = 11;
  return {
    ShearX: { values: linspace(0, 0.3, bins), signed: true },
    ShearY: { values: linspace(0, 0.3, bins), signed: true },
    TranslateX: { values: linspace(0, shape.width / 3, bins), signed: true },
    TranslateY: { values: linspace(0, shape.height / 3, bins), signed: true },
    Rotate: { values: linspace(0, 30, bins), signed: true },
    Posterize: { values: posterizeBins(4, bins, 4), signed: false },
    Solarize: { values: linspace(255, 0, bins), signed: false },
    AutoContrast: none,
    Equalize: none,
    ...(allOps
      ? {
          Brightness: { values: linspace(0, 0.9, bins), signed: true },
          Color: { values: linspace(0, 0.9, bins), signed: true },
          Contrast: { values: linspace(0, 0.9, bins), signed: true },
          Sharpness: { values: linspace(0, 0.9, bins), signed: true },
        }
      : {}),
  };
}

/** An AutoAugment policy: sub-policies of (operation, probability, magnitude bin or null). */
export type PolicyTable = readonly (readonly [PolicyOpName, number, number | null])[][];

/** AutoAugment's ImageNet policy: 25 sub-policies of two (operation, probability, magnitude bin). */
export const IMAGENET_POLICY: PolicyTable = [
  [
    ['Posterize', 0.4, 8],
    ['Rotate', 0.6, 9],
  ],
  [
    ['Solarize', 0.6, 5],
    ['AutoContrast', 0.6, null],
  ],
  [
    ['Equalize', 0.8, null],
    ['Equalize', 0.6, null],
  ],
  [
    ['Posterize', 0.6, 7],
    ['Posterize', 0.6, 6],
  ],
  [
    ['Equalize', 0.4, null],
    ['Solarize', 0.2, 4],
  ],
  [
    ['Equalize', 0.4, null],
    ['Rotate', 0.8, 8],
  ],
  [
    ['Solarize', 0.6, 3],
    ['Equalize', 0.6, null],
  ],
  [
    ['Posterize', 0.8, 5],
    ['Equalize', 1.0, null],
  ],
  [
    ['Rotate', 0.2, 3],
    ['Solarize', 0.6, 8],
  ],
  [
    ['Equalize', 0.6, null],
    ['Posterize', 0.4, 6],
  ],
  [
    ['Rotate', 0.8, 8],
    ['Color', 0.4, 0],
  ],
  [
    ['Rotate', 0.4, 9],
    ['Equalize', 0.6, null],
  ],
  [
    ['Equalize', 0.0, null],
    ['Equalize', 0.8, null],
  ],
  [
    ['Invert', 0.6, null],
    ['Equalize', 1.0, null],
  ],
  [
    ['Color', 0.6, 4],
    ['Contrast', 1.0, 8],
  ],
  [
    ['Rotate', 0.8, 8],
    ['Color', 1.0, 2],
  ],
  [
    ['Color', 0.8, 8],
    ['Solarize', 0.8, 7],
  ],
  [
    ['Sharpness', 0.4, 7],
    ['Invert', 0.6, null],
  ],
  [
    ['ShearX', 0.6, 5],
    ['Equalize', 1.0, null],
  ],
  [
    ['Color', 0.4, 0],
    ['Equalize', 0.6, null],
  ],
  [
    ['Equalize', 0.4, null],
    ['Solarize', 0.2, 4],
  ],
  [
    ['Solarize', 0.6, 5],
    ['AutoContrast', 0.6, null],
  ],
  [
    ['Invert', 0.6, null],
    ['Equalize', 1.0, null],
  ],
  [
    ['Color', 0.6, 4],
    ['Contrast', 1.0, 8],
  ],
  [
    ['Equalize', 0.8, null],
    ['Equalize', 0.6, null],
  ],
];

/** AutoAugment's CIFAR-10 policy (torchvision's table): 25 sub-policies of two. */
export const CIFAR10_POLICY: PolicyTable = [
  [
    ['Invert', 0.1, null],
    ['Contrast', 0.2, 6],
  ],
  [
    ['Rotate', 0.7, 2],
    ['TranslateX', 0.3, 9],
  ],
  [
    ['Sharpness', 0.8, 1],
    ['Sharpness', 0.9, 3],
  ],
  [
    ['ShearY', 0.5, 8],
    ['TranslateY', 0.7, 9],
  ],
  [
    ['AutoContrast', 0.5, null],
    ['Equalize', 0.9, null],
  ],
  [
    ['ShearY', 0.2, 7],
    ['Posterize', 0.3, 7],
  ],
  [
    ['Color', 0.4, 3],
    ['Brightness', 0.6, 7],
  ],
  [
    ['Sharpness', 0.3, 9],
    ['Brightness', 0.7, 9],
  ],
  [
    ['Equalize', 0.6, null],
    ['Equalize', 0.5, null],
  ],
  [
    ['Contrast', 0.6, 7],
    ['Sharpness', 0.6, 5],
  ],
  [
    ['Color', 0.7, 7],
    ['TranslateX', 0.5, 8],
  ],
  [
    ['Equalize', 0.3, null],
    ['AutoContrast', 0.4, null],
  ],
  [
    ['TranslateY', 0.4, 3],
    ['Sharpness', 0.2, 6],
  ],
  [
    ['Brightness', 0.9, 6],
    ['Color', 0.2, 8],
  ],
  [
    ['Solarize', 0.5, 2],
    ['Invert', 0.0, null],
  ],
  [
    ['Equalize', 0.2, null],
    ['AutoContrast', 0.6, null],
  ],
  [
    ['Equalize', 0.2, null],
    ['Equalize', 0.6, null],
  ],
  [
    ['Color', 0.9, 9],
    ['Equalize', 0.6, null],
  ],
  [
    ['AutoContrast', 0.8, null],
    ['Solarize', 0.2, 8],
  ],
  [
    ['Brightness', 0.1, 3],
    ['Color', 0.7, 0],
  ],
  [
    ['Solarize', 0.4, 5],
    ['AutoContrast', 0.9, null],
  ],
  [
    ['TranslateY', 0.9, 9],
    ['TranslateY', 0.7, 9],
  ],
  [
    ['AutoContrast', 0.9, null],
    ['Solarize', 0.8, 3],
  ],
  [
    ['Equalize', 0.8, null],
    ['Invert', 0.1, null],
  ],
  [
    ['TranslateY', 0.7, 9],
    ['AutoContrast', 0.9, null],
  ],
];

/** AutoAugment's SVHN policy (torchvision's table): 25 sub-policies of two. */
export const SVHN_POLICY: PolicyTable = [
  [
    ['ShearX', 0.9, 4],
    ['Invert', 0.2, null],
  ],
  [
    ['ShearY', 0.9, 8],
    ['Invert', 0.7, null],
  ],
  [
    ['Equalize', 0.6, null],
    ['Solarize', 0.6, 6],
  ],
  [
    ['Invert', 0.9, null],
    ['Equalize', 0.6, null],
  ],
  [
    ['Equalize', 0.6, null],
    ['Rotate', 0.9, 3],
  ],
  [
    ['ShearX', 0.9, 4],
    ['AutoContrast', 0.8, null],
  ],
  [
    ['ShearY', 0.9, 8],
    ['Invert', 0.4, null],
  ],
  [
    ['ShearY', 0.9, 5],
    ['Solarize', 0.2, 6],
  ],
  [
    ['Invert', 0.9, null],
    ['AutoContrast', 0.8, null],
  ],
  [
    ['Equalize', 0.6, null],
    ['Rotate', 0.9, 3],
  ],
  [
    ['ShearX', 0.9, 4],
    ['Solarize', 0.3, 3],
  ],
  [
    ['ShearY', 0.8, 8],
    ['Invert', 0.7, null],
  ],
  [
    ['Equalize', 0.9, null],
    ['TranslateY', 0.6, 6],
  ],
  [
    ['Invert', 0.9, null],
    ['Equalize', 0.6, null],
  ],
  [
    ['Contrast', 0.3, 3],
    ['Rotate', 0.8, 4],
  ],
  [
    ['Invert', 0.8, null],
    ['TranslateY', 0.0, 2],
  ],
  [
    ['ShearY', 0.7, 6],
    ['Solarize', 0.4, 8],
  ],
  [
    ['Invert', 0.6, null],
    ['Rotate', 0.8, 4],
  ],
  [
    ['ShearY', 0.3, 7],
    ['TranslateX', 0.9, 3],
  ],
  [
    ['ShearX', 0.1, 6],
    ['Invert', 0.6, null],
  ],
  [
    ['Solarize', 0.7, 2],
    ['TranslateY', 0.6, 7],
  ],
  [
    ['ShearY', 0.8, 4],
    ['Invert', 0.8, null],
  ],
  [
    ['ShearX', 0.7, 9],
    ['TranslateY', 0.8, 3],
  ],
  [
    ['ShearY', 0.8, 5],
    ['AutoContrast', 0.7, null],
  ],
  [
    ['ShearX', 0.7, 2],
    ['Invert', 0.1, null],
  ],
];

/** AutoAugment's policies by name. */
export const AUTOAUGMENT_POLICIES = {
  imagenet: IMAGENET_POLICY,
  cifar10: CIFAR10_POLICY,
  svhn: SVHN_POLICY,
} as const satisfies { [name: string]: PolicyTable };

/** One drawn operation. */
export interface PolicyStep {
  name: PolicyOpName;
  magnitude: number;
}

const step = z.strictObject({ name: z.enum(POLICY_OPS), magnitude: z.number() });

/** A magnitude from a table: bin `index`, negated half of the time for signed operations. */
function signedMagnitude(m: Magnitudes, index: number, rng: Rng): number {
  if (m.values.length === 0) return 0;
  const v = m.values[index]!;
  return m.signed && rng.bool() ? -v : v;
}

/**
 * The plan ops of one policy step on an image of `shape`, as torchvision's `_apply_op`: shears
 * about the top-left corner (an output pixel (x, y) samples (x + m y, y) for ShearX), translations
 * by whole pixels (truncated), rotations about the centre (counter-clockwise), colour factors
 * 1 + m.
 */
export function stepOps(
  s: PolicyStep,
  shape: ImageShape,
  style: { fill: number | readonly number[]; interpolation: Interpolation },
): PlanOp[] {
  const { width: W, height: H } = shape;
  const warp = (m: Affine) => [affineOp(m, W, H, { border: 'constant', ...style })];
  const m = s.magnitude;
  switch (s.name) {
    case 'Identity':
      return [];
    case 'ShearX':
      return warp([1, -m, 0, 0, 1, 0]);
    case 'ShearY':
      return warp([1, 0, 0, -m, 1, 0]);
    case 'TranslateX':
      return warp(translation(Math.trunc(m), 0));
    case 'TranslateY':
      return warp(translation(0, Math.trunc(m)));
    case 'Rotate':
      return warp(about(rotation(m), W / 2, H / 2));
    case 'Brightness':
      return [{ op: 'colour', steps: [brightnessStep(1 + m)] }];
    case 'Color':
      return [{ op: 'colour', steps: [saturationStep(1 + m)] }];
    case 'Contrast':
      return [{ op: 'colour', steps: [contrastStep(1 + m)] }];
    case 'Sharpness':
      return [pixelsOp('sharpness', (img, ctx) => sharpness(img, 1 + m, ctx, ctx.max !== 1))];
    case 'Posterize':
      return [{ op: 'posterize', bits: Math.trunc(m) }];
    case 'Solarize':
      return [pixelsOp('solarize', (img, ctx) => solarize(img, m, ctx))];
    case 'AutoContrast':
      return [pixelsOp('autocontrast', autocontrast)];
    case 'Equalize':
      return [{ op: 'equalize' }];
    case 'Invert':
      return [{ op: 'colour', steps: [invertStep()] }];
  }
}

function pick<T>(rng: Rng, table: Partial<Record<PolicyOpName, T>>): [PolicyOpName, T] {
  const names = Object.keys(table) as PolicyOpName[];
  const name = names[rng.int(0, names.length - 1)]!;
  return [name, table[name]!];
}

const style = { fill, interpolation: interpolation.unwrap().default('nearest') };

/**
 * RandAugment (Cubuk et al. 2020, torchvision's RandAugment): `numOps` operations drawn
 * uniformly from 14 (with repetition), each at bin `magnitude` of `bins` (sign drawn for signed
 * ones), applied in order.
 *
 * Options: `numOps` (@default 2), `magnitude` (@default 9), `bins` (@default 31),
 * `interpolation` (@default 'nearest', as torchvision), `fill` (@default 0), `p` (@default 1).
 */
export const randAugment = leafTransform({
  type: 'randAugment',
  version: 1,
  kind: 'geometric',
  optionsType: 'RandAugmentOptions',
  options: z
    .strictObject({
      numOps: z.int().min(0).max(20).default(2),
      magnitude: z.int().min(0).default(9),
      bins: z.int().min(2).max(1000).default(31),
      ...style,
      p: probability(1),
    })
    .refine((o) => o.magnitude < o.bins, {
      message: '`magnitude` must be below `bins`',
      path: ['magnitude'],
    }),
  params: z.strictObject({ ops: z.array(step) }),
  sample: (rng, shape, o) => {
    const ops: PolicyStep[] = [];
    for (let k = 0; k < o.numOps; k++) {
      const [name, m] = pick(rng, randAugmentSpace(o.bins, shape));
      ops.push({ name, magnitude: signedMagnitude(m, o.magnitude, rng) });
    }
    return { ops };
  },
  ops: ({ ops }, shape, o) => ops.flatMap((s) => stepOps(s, shape, o)),
});

/**
 * TrivialAugmentWide (Müller and Hutter 2021, torchvision's TrivialAugmentWide): one operation
 * drawn uniformly from 14, at a uniformly drawn bin of its wide table.
 *
 * Options: `bins` (@default 31), `interpolation` (@default 'nearest'), `fill` (@default 0), `p`
 * (@default 1).
 */
export const trivialAugmentWide = leafTransform({
  type: 'trivialAugmentWide',
  version: 1,
  kind: 'geometric',
  optionsType: 'TrivialAugmentWideOptions',
  options: z.strictObject({ bins: z.int().min(2).max(1000).default(31), ...style, p: probability(1) }),
  params: z.strictObject({ ops: z.array(step) }),
  sample: (rng, _, o) => {
    const [name, m] = pick(rng, trivialSpace(o.bins));
    const index = m.values.length === 0 ? 0 : rng.int(0, m.values.length - 1);
    return { ops: [{ name, magnitude: signedMagnitude(m, index, rng) }] };
  },
  ops: ({ ops }, shape, o) => ops.flatMap((s) => stepOps(s, shape, o)),
});

/**
 * AutoAugment (Cubuk et al. 2019) with its ImageNet, CIFAR-10 or SVHN policy, as torchvision's
 * AutoAugment: one of 25 sub-policies drawn uniformly; each of its two operations applies with its
 * probability, at its magnitude bin of a 10-bin table. Params record the sub-policy and the
 * operations that ran (so a replay does not need the policy).
 *
 * Options: `policy` (`imagenet`, `cifar10` or `svhn`; @default 'imagenet'), `interpolation` (@default 'nearest'),
 * `fill` (@default 0), `p` (@default 1).
 */
export const autoAugment = leafTransform({
  type: 'autoAugment',
  version: 1,
  kind: 'geometric',
  optionsType: 'AutoAugmentOptions',
  options: z.strictObject({
    policy: z.enum(['imagenet', 'cifar10', 'svhn']).default('imagenet'),
    ...style,
    p: probability(1),
  }),
  params: z.strictObject({ subPolicy: z.int().min(0).max(24), ops: z.array(step) }),
  sample: (rng, shape, o) => {
    const policy = AUTOAUGMENT_POLICIES[o.policy];
    const subPolicy = rng.int(0, policy.length - 1);
    const table = randAugmentSpace(10, shape);
    const ops: PolicyStep[] = [];
    for (const [name, p, bin] of policy[subPolicy]!) {
      if (!(rng.float() <= p)) continue;
      const m = name === 'Invert' ? none : table[name]!;
      ops.push({ name, magnitude: bin === null ? 0 : signedMagnitude(m, bin, rng) });
    }
    return { subPolicy, ops };
  },
  ops: ({ ops }, shape, o) => ops.flatMap((s) => stepOps(s, shape, o)),
});

/** A Dirichlet(alpha, ..., alpha) draw of `n` weights. */
function dirichlet(rng: Rng, alpha: number, n: number): number[] {
  const g = Array.from({ length: n }, () => gammaSample(rng, alpha));
  const sum = g.reduce((a, b) => a + b, 0);
  return g.map((v) => v / sum);
}

/**
 * The AugMix mixture: `original` x the image plus, for each chain, its weight x the image after
 * the chain's operations (each chain starts from the original).
 */
export function augMixImage(
  image: FloatImage,
  original: number,
  chains: readonly { weight: number; ops: readonly PlanOp[] }[],
  ctx: Parameters<typeof runOpsOnFloat>[2],
): FloatImage {
  const out = new Float32Array(image.data.length);
  for (let i = 0; i < out.length; i++) out[i] = original * image.data[i]!;
  for (const chain of chains) {
    const copy = { ...image, data: new Float32Array(image.data) };
    const aug = runOpsOnFloat(copy, chain.ops, ctx, []);
    for (let i = 0; i < out.length; i++) out[i]! += chain.weight * aug.data[i]!;
  }
  return { ...image, data: out };
}

/**
 * AugMix (Hendrycks et al. 2020, torchvision's AugMix): `width` chains of 1 to 3 operations
 * (`depth` when > 0) drawn from the AugMix table at bins below `severity`, mixed with Dirichlet
 * (alpha) weights, then blended with the original by m ~ Dirichlet(alpha, alpha). The chains'
 * warps are mixed into the pixels, so AugMix acts on the image only.
 *
 * Options: `severity` (1 to 10; @default 3), `width` (@default 3), `depth` (@default -1,
 * random 1 to 3), `alpha` (@default 1), `allOps` (@default true), `interpolation` (@default
 * 'bilinear', as torchvision), `fill` (@default 0), `p` (@default 1).
 */
export const augMix = leafTransform({
  type: 'augMix',
  version: 1,
  kind: 'pixel',
  optionsType: 'AugMixOptions',
  options: z.strictObject({
    severity: z.int().min(1).max(10).default(3),
    width: z.int().min(1).max(10).default(3),
    depth: z.int().min(-1).max(10).default(-1),
    alpha: z.number().positive().max(100).default(1),
    allOps: z.boolean().default(true),
    fill,
    interpolation: interpolation.unwrap().default('bilinear'),
    p: probability(1),
  }),
  params: z.strictObject({
    original: z.number().min(0).max(1),
    chains: z.array(z.strictObject({ weight: z.number().min(0).max(1), ops: z.array(step) })),
  }),
  sample: (rng, shape, o) => {
    const [m0, m1] = dirichlet(rng, o.alpha, 2) as [number, number];
    const weights = dirichlet(rng, o.alpha, o.width).map((w) => w * m1);
    const table = augMixSpace(shape, o.allOps);
    const chains = weights.map((weight) => {
      const depth = o.depth > 0 ? o.depth : rng.int(1, 3);
      const ops: PolicyStep[] = [];
      for (let k = 0; k < depth; k++) {
        const [name, m] = pick(rng, table);
        const index = m.values.length === 0 ? 0 : rng.int(0, o.severity - 1);
        ops.push({ name, magnitude: signedMagnitude(m, index, rng) });
      }
      return { weight, ops };
    });
    return { original: m0, chains };
  },
  ops: ({ original, chains }, shape, o) => {
    const planned = chains.map((c) => ({
      weight: c.weight,
      ops: c.ops.flatMap((s) => stepOps(s, shape, o)),
    }));
    return [pixelsOp('augMix', (img, ctx) => augMixImage(img, original, planned, ctx))];
  },
});
