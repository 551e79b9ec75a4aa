import { parseOptions } from '@growset/core';
import { z } from 'zod';

/** Every resampling method, by name. */
export const METHODS = [
  'gaussianNoise',
  'randomOverSample',
  'randomUnderSample',
  'smote',
  'smoteNC',
  'borderlineSmote',
  'adasyn',
  'mixup',
  'bootstrap',
] as const;

export type MethodName = (typeof METHODS)[number];

/**
 * How many samples each class should have after resampling (imbalanced-learn's
 * `sampling_strategy`):
 * - `'auto'`: balance. Over-samplers raise every class to the majority count; the under-sampler
 *   lowers every class to the minority count; bootstrap draws the majority count per class.
 * - a number `r` in (0, 1]: over-samplers raise every class to at least `floor(r * majority)`; the
 *   under-sampler lowers every class to at most `floor(minority / r)`.
 * - `{ counts: { A: 100 } }`: exact target counts for the classes listed; others are unchanged.
 * - `{ factor: 2 }`: every class to `round(factor * its count)` (augmentation rather than balancing).
 */
export type SamplingStrategy =
  | 'auto'
  | number
  | { counts: { [className: string]: number } }
  | { factor: number };

export interface CommonOptions {
  /**
   * Target class counts.
   * @default 'auto' (bootstrap: `{ factor: 1 }`)
   */
  strategy?: SamplingStrategy;
  /**
   * Feature columns. Columns left out are not used, and are empty (`null`) in synthetic rows.
   * @default every column, except one that only repeats the label
   */
  columns?: string[];
  /** Columns to treat as numeric, whatever their values look like. @default inferred from the values */
  numeric?: string[];
  /** Columns to treat as categorical. @default inferred: columns whose values are not numbers */
  categorical?: string[];
  /**
   * Round synthetic values of columns that hold only integers (counts, years) to integers.
   * Off by default: rounding moves SMOTE points off their segments.
   * @default false
   */
  roundIntegers?: boolean;
}

export interface NeighborOptions extends CommonOptions {
  /** Nearest neighbours of the same class used to interpolate. @default 5 */
  k?: number;
  /** Standardize numeric columns (zero mean, unit variance) before measuring distances. @default true */
  standardize?: boolean;
  /**
   * A class with `k` or fewer samples: `'shrink'` uses its `n - 1` neighbours (and copies a class of
   * one sample, with a warning in the report), `'error'` throws.
   * @default 'shrink'
   */
  onSmallClass?: 'shrink' | 'error';
}

/** Noisy copies: numeric columns get `N(0, (scale * column std)^2)` added. */
export interface GaussianNoiseOptions extends CommonOptions {
  method: 'gaussianNoise';
  /** Noise standard deviation as a fraction of each column's standard deviation. @default 0.1 */
  scale?: number;
  /**
   * Probability that a categorical cell is swapped for another category of that column, drawn from
   * the class's category frequencies. @default 0 (categorical columns untouched)
   */
  swapProbability?: number;
}

/** Copies of random samples; with `shrinkage`, the smoothed bootstrap of imbalanced-learn. */
export interface RandomOverSampleOptions extends CommonOptions {
  method: 'randomOverSample';
  /**
   * Smoothed bootstrap: copies get Gaussian noise of `shrinkage * h * class std` per numeric column,
   * with `h = (4 / ((d + 2) n)) ^ (1 / (d + 4))` (imbalanced-learn's `shrinkage`). 0 copies exactly.
   * @default 0
   */
  shrinkage?: number;
}

/** Keeps a random subset of each class (without replacement). */
export interface RandomUnderSampleOptions extends CommonOptions {
  method: 'randomUnderSample';
}

/** SMOTE (Chawla et al., 2002): points on segments between a sample and its k nearest same-class neighbours. */
export interface SmoteOptions extends NeighborOptions {
  method: 'smote';
}

/**
 * SMOTE-NC: SMOTE for numeric plus categorical columns. Distances add the median class standard
 * deviation (squared) per differing category; a synthetic row takes each category most frequent
 * among the k neighbours.
 */
export interface SmoteNCOptions extends NeighborOptions {
  method: 'smoteNC';
}

/**
 * Borderline-SMOTE (Han et al., 2005): SMOTE started only from "danger" samples, those with at
 * least half (but not all) of their `m` nearest neighbours in other classes.
 */
export interface BorderlineSmoteOptions extends NeighborOptions {
  method: 'borderlineSmote';
  /** Neighbours (all classes) that decide whether a sample is in danger. @default 10 */
  m?: number;
  /**
   * `borderline-1` interpolates towards same-class neighbours; `borderline-2` also towards
   * other-class neighbours, at most halfway.
   * @default 'borderline-1'
   */
  kind?: 'borderline-1' | 'borderline-2';
}

/** ADASYN (He et al., 2008): more synthetic points from samples with more other-class neighbours. */
export interface AdasynOptions extends NeighborOptions {
  method: 'adasyn';
}

/** mixup (Zhang et al., 2018): convex combinations of two samples, with soft labels. */
export interface MixupOptions extends CommonOptions {
  method: 'mixup';
  /** `lambda ~ Beta(alpha, alpha)`, folded to >= 0.5 so the first parent dominates. @default 0.2 */
  alpha?: number;
  /** Mix only samples of the same class (labels stay hard). @default false */
  withinClass?: boolean;
}

/** The bootstrap: draws with replacement; undrawn samples are removed, repeats are copies. */
export interface BootstrapOptions extends CommonOptions {
  method: 'bootstrap';
  /** Draw within each class (class counts follow the strategy exactly). @default true */
  stratify?: boolean;
}

export type ResampleOptions =
  | GaussianNoiseOptions
  | RandomOverSampleOptions
  | RandomUnderSampleOptions
  | SmoteOptions
  | SmoteNCOptions
  | BorderlineSmoteOptions
  | AdasynOptions
  | MixupOptions
  | BootstrapOptions;

const strategySchema = z.union(
  [
    z.literal('auto'),
    z.number().gt(0).lte(1),
    z.strictObject({ counts: z.record(z.string().min(1), z.int().min(0)) }),
    z.strictObject({ factor: z.number().gt(0).lte(1000) }),
  ],
  {
    error:
      "'auto', a ratio in (0, 1], { counts: { class: n } } with integer counts >= 0, or { factor: f } with 0 < f <= 1000",
  },
);

const columnList = z.array(z.string().min(1));
const common = {
  strategy: strategySchema.optional(),
  columns: columnList.min(1).optional(),
  numeric: columnList.optional(),
  categorical: columnList.optional(),
  roundIntegers: z.boolean().default(false),
};
const neighbors = {
  ...common,
  k: z.int().min(1).max(1000).default(5),
  standardize: z.boolean().default(true),
  onSmallClass: z.enum(['shrink', 'error']).default('shrink'),
};

const schemas = {
  gaussianNoise: z.strictObject({
    method: z.literal('gaussianNoise'),
    ...common,
    scale: z.number().min(0).max(100).default(0.1),
    swapProbability: z.number().min(0).max(1).default(0),
  }),
  randomOverSample: z.strictObject({
    method: z.literal('randomOverSample'),
    ...common,
    shrinkage: z.number().min(0).max(100).default(0),
  }),
  randomUnderSample: z.strictObject({ method: z.literal('randomUnderSample'), ...common }),
  smote: z.strictObject({ method: z.literal('smote'), ...neighbors }),
  smoteNC: z.strictObject({ method: z.literal('smoteNC'), ...neighbors }),
  borderlineSmote: z.strictObject({
    method: z.literal('borderlineSmote'),
    ...neighbors,
    m: z.int().min(1).max(1000).default(10),
    kind: z.enum(['borderline-1', 'borderline-2']).default('borderline-1'),
  }),
  adasyn: z.strictObject({ method: z.literal('adasyn'), ...neighbors }),
  mixup: z.strictObject({
    method: z.literal('mixup'),
    ...common,
    alpha: z.number().gt(0).max(100).default(0.2),
    withinClass: z.boolean().default(false),
  }),
  bootstrap: z.strictObject({
    method: z.literal('bootstrap'),
    ...common,
    stratify: z.boolean().default(true),
  }),
} as const;

type Schemas = typeof schemas;
/** Options after validation, with defaults filled in. */
export type ParsedOptions = { [M in MethodName]: z.output<Schemas[M]> }[MethodName];
export type ParsedOptionsOf<M extends MethodName> = z.output<Schemas[M]>;

const methodSchema = z.looseObject({ method: z.enum(METHODS) });

/**
 * Validates resampling options: the method first (so a typo gets the list of methods), then that
 * method's own options (so an option of another method is named as unknown).
 */
export function parseResampleOptions(input: unknown, optionsType = 'ResampleOptions'): ParsedOptions {
  const { method } = parseOptions(methodSchema, input, optionsType);
  return parseOptions(schemas[method], input, `${optionsType} (method \`${method}\`)`) as ParsedOptions;
}

/** The strategy a method uses when none is given. */
export function defaultStrategy(method: MethodName): SamplingStrategy {
  return method === 'bootstrap' ? { factor: 1 } : 'auto';
}
