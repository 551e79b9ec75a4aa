import { closest, OptionsError, parseOptions } from '@growset/core';
import { z } from 'zod';

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

/** The columns a method reads. */
export interface FeatureOptions {
  /**
   * Feature columns. Columns left out are not used, and are empty (`null`) in synthetic rows.
   * @default every column, except one that only repeats the label
   */
  columns?: string[];
  /** Columns to treat as numeric, whatever their values look like. @default inferred from the values */
  numeric?: string[];
  /** Columns to treat as categorical. @default inferred: columns whose values are not numbers */
  categorical?: string[];
}

export interface CommonOptions extends FeatureOptions {
  /**
   * Target class counts.
   * @default 'auto' (bootstrap: `{ factor: 1 }`)
   */
  strategy?: SamplingStrategy;
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

/**
 * Which classes a cleaning method may remove rows from (imbalanced-learn's `sampling_strategy`
 * for cleaning samplers): `'not minority'` (every class but the smallest), `'majority'`,
 * `'not majority'`, `'all'`, or a list of class names.
 */
export type CleanedClasses = 'not minority' | 'majority' | 'not majority' | 'all' | string[];

/**
 * Options of the cleaning under-samplers: they remove the rows the data singles out (noisy,
 * borderline, redundant), so the class counts after depend on the data, not on a strategy.
 */
export interface CleaningOptions extends FeatureOptions {
  /** Classes rows may be removed from. @default 'not minority' */
  classes?: CleanedClasses;
  /** Standardize numeric columns before measuring distances. @default true */
  standardize?: boolean;
}

/** Tomek links (Tomek, 1976): removes rows whose nearest neighbour is of another class and has them as nearest neighbour too. */
export interface TomekLinksOptions extends CleaningOptions {
  method: 'tomekLinks';
}

/** Edited nearest neighbours (Wilson, 1972): removes rows whose `k` nearest neighbours disagree with their class. */
export interface EditedNearestNeighboursOptions extends CleaningOptions {
  method: 'editedNearestNeighbours';
  /** Neighbours consulted. @default 3 */
  k?: number;
  /** `'all'`: a row stays only if all its neighbours share its class; `'mode'`: if their most frequent class is its own. @default 'all' */
  kindSel?: 'all' | 'mode';
}

/** ENN repeated until nothing changes, a class would fall below the minority's size or vanish, or `maxIter` rounds. */
export interface RepeatedEditedNearestNeighboursOptions extends CleaningOptions {
  method: 'repeatedEditedNearestNeighbours';
  /** @default 3 */
  k?: number;
  /** @default 'all' */
  kindSel?: 'all' | 'mode';
  /** @default 100 */
  maxIter?: number;
}

/** AllKNN (Tomek, 1976): ENN with 1, 2, ..., k neighbours in turn. */
export interface AllKnnOptions extends CleaningOptions {
  method: 'allKnn';
  /** Largest neighbourhood. @default 3 */
  k?: number;
  /** @default 'all' */
  kindSel?: 'all' | 'mode';
  /** Keep going even when a cleaned class falls below the minority's size. @default false */
  allowMinority?: boolean;
}

/**
 * Neighbourhood cleaning rule (Laurikkala, 2001): ENN (by mode), plus the neighbours of
 * misclassified minority rows that belong to cleaned classes larger than `threshold * n`.
 */
export interface NeighbourhoodCleaningRuleOptions extends CleaningOptions {
  method: 'neighbourhoodCleaningRule';
  /** @default 3 */
  k?: number;
  /** Fraction of all rows a class must exceed to lose the neighbours of misclassified minority rows. @default 0.5 */
  threshold?: number;
}

/**
 * Condensed nearest neighbour (Hart, 1968): starting from the minority class and `seeds` random
 * rows of the class, adds each row a k-NN on the set so far misclassifies; the rest is removed.
 */
export interface CondensedNearestNeighbourOptions extends CleaningOptions {
  method: 'condensedNearestNeighbour';
  /** Neighbours of the classifier. @default 1 */
  k?: number;
  /** Random rows of the class the set starts with. @default 1 */
  seeds?: number;
}

/**
 * One-sided selection (Kubat and Matwin, 1997): keeps `seeds` random rows of the class and the
 * rows a k-NN on the minority plus those seeds misclassifies, then removes Tomek links.
 */
export interface OneSidedSelectionOptions extends CleaningOptions {
  method: 'oneSidedSelection';
  /** @default 1 */
  k?: number;
  /** @default 1 */
  seeds?: number;
}

/** Options of the under-samplers that reach a target count per class. */
export interface PrototypeOptions extends CommonOptions {
  /** Standardize numeric columns before measuring distances. @default true */
  standardize?: boolean;
}

/**
 * NearMiss (Mani and Zhang, 2003), relative to the minority class. 1: keeps the rows with the
 * smallest summed distance to their `k` nearest minority rows; 2: to their `k` farthest minority
 * rows; 3: among the `kVersion3` nearest rows of each minority row, those farthest from the minority.
 */
export interface NearMissOptions extends PrototypeOptions {
  method: 'nearMiss';
  /** @default 1 */
  version?: 1 | 2 | 3;
  /** Minority rows whose distances are summed. @default 3 */
  k?: number;
  /** Version 3: rows of the class kept as candidates around each minority row. @default 3 */
  kVersion3?: number;
}

/**
 * Instance hardness threshold (Smith et al., 2014): keeps the rows a cross-validated k-NN
 * classifier finds easiest (highest probability of their own class).
 */
export interface InstanceHardnessThresholdOptions extends PrototypeOptions {
  method: 'instanceHardnessThreshold';
  /** Neighbours of the classifier. @default 5 */
  k?: number;
  /** Stratified cross-validation folds. @default 5 */
  folds?: number;
}

/** Cluster centroids: replaces a class by the centroids of k-means with the target count of clusters. */
export interface ClusterCentroidsOptions extends PrototypeOptions {
  method: 'clusterCentroids';
  /** `'soft'`: the centroids themselves (synthetic rows); `'hard'`: the original row nearest each centroid. @default 'soft' */
  voting?: 'soft' | 'hard';
  /** Lloyd iterations at most. @default 300 */
  maxIter?: number;
}

/**
 * SVM-SMOTE (Nguyen et al., 2011): SMOTE from the support vectors of an RBF SVM; from those in
 * danger it interpolates, from safe ones it extrapolates away from their neighbours.
 */
export interface SvmSmoteOptions extends NeighborOptions {
  method: 'svmSmote';
  /** Neighbours (all classes) that decide whether a support vector is noise, in danger or safe. @default 10 */
  m?: number;
  /** Largest extrapolation step from safe support vectors. @default 0.5 */
  outStep?: number;
  /** The SVM's penalty C. @default 1 */
  svmC?: number;
}

/** KMeans-SMOTE (Douzas et al., 2018): SMOTE inside k-means clusters where the class is frequent, more in sparse ones. */
export interface KmeansSmoteOptions extends NeighborOptions {
  method: 'kmeansSmote';
  /** k-means clusters over all rows. @default 8 */
  clusters?: number;
  /** Share of the class a cluster needs; `'auto'`: rows to add to the class / all rows to add / 2. @default 'auto' */
  balanceThreshold?: number | 'auto';
  /** Exponent of the mean distance in a cluster's sparsity; `'auto'`: `0.16 * log_1.6(n)^1.8`. @default 'auto' */
  densityExponent?: number | 'auto';
}

/** SMOTE-N (Chawla et al., 2002): all-categorical SMOTE with the value difference metric. */
export interface SmoteNOptions extends NeighborOptions {
  method: 'smoteN';
}

/** SMOTE then ENN over originals and new rows (Batista et al., 2004). */
export interface SmoteEnnOptions extends NeighborOptions {
  method: 'smoteEnn';
  /** Neighbours of the ENN pass. @default 3 */
  ennK?: number;
  /** @default 'all' */
  kindSel?: 'all' | 'mode';
  /** Classes the ENN pass cleans. @default 'all' */
  classes?: CleanedClasses;
}

/** SMOTE then Tomek links removed over originals and new rows (Batista et al., 2003). */
export interface SmoteTomekOptions extends NeighborOptions {
  method: 'smoteTomek';
  /** Classes the Tomek pass cleans. @default 'all' */
  classes?: CleanedClasses;
}

/**
 * Relevance of a regression target in [0, 1] (rows at or above `threshold` are rare):
 * `'density'` (one minus the normalized kernel density of the target, so rare values score
 * high), control points `{ points: [[y, relevance], ...] }` (piecewise linear, serializable), or
 * a function (not serializable).
 */
export type Relevance = 'density' | { points: [number, number][] } | ((y: number) => number);

/** Options of imbalanced regression: the label is the numeric target. */
export interface RegressionOptions extends FeatureOptions {
  /** Neighbours inside a bin. @default 5 */
  k?: number;
  /** @default true */
  standardize?: boolean;
  /** @default 'density' */
  relevance?: Relevance;
  /** Relevance at which a target is rare. @default 0.5 */
  threshold?: number;
  /**
   * `'balance'`: every bin (run of rare or of normal targets) towards the same size, rare bins
   * grown and normal bins under-sampled; `{ over, under }`: rare bins times `over` (>= 1), normal
   * bins times `under` (<= 1).
   * @default 'balance'
   */
  amounts?: 'balance' | { over: number; under: number };
}

/** SMOTER (Torgo et al., 2013): SMOTE for regression, targets averaged by inverse distance. */
export interface SmoterOptions extends RegressionOptions {
  method: 'smoter';
}

/** SMOGN (Branco et al., 2017): SMOTER towards close neighbours, Gaussian noise otherwise. */
export interface SmognOptions extends RegressionOptions {
  method: 'smogn';
  /** Noise standard deviation as a fraction of each column's (and the target's). @default 0.02 */
  perturbation?: number;
}

/** MLSMOTE (Charte et al., 2015): multilabel over-sampling; the label holds labels joined by `separator`. */
export interface MlsmoteOptions extends FeatureOptions {
  method: 'mlsmote';
  /** @default 5 */
  k?: number;
  /** @default true */
  standardize?: boolean;
  /** Separates a row's labels in its label. @default '|' */
  separator?: string;
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
  | BootstrapOptions
  | TomekLinksOptions
  | EditedNearestNeighboursOptions
  | RepeatedEditedNearestNeighboursOptions
  | AllKnnOptions
  | NeighbourhoodCleaningRuleOptions
  | CondensedNearestNeighbourOptions
  | OneSidedSelectionOptions
  | NearMissOptions
  | InstanceHardnessThresholdOptions
  | ClusterCentroidsOptions
  | SvmSmoteOptions
  | KmeansSmoteOptions
  | SmoteNOptions
  | SmoteEnnOptions
  | SmoteTomekOptions
  | SmoterOptions
  | SmognOptions
  | MlsmoteOptions;

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
const features = {
  columns: columnList.min(1).optional(),
  numeric: columnList.optional(),
  categorical: columnList.optional(),
};
const common = {
  strategy: strategySchema.optional(),
  ...features,
  roundIntegers: z.boolean().default(false),
};
const classesSchema = (fallback: 'not minority' | 'all') =>
  z
    .union([z.enum(['not minority', 'majority', 'not majority', 'all']), z.array(z.string().min(1)).min(1)], {
      error: "'not minority', 'majority', 'not majority', 'all' or a non-empty list of class names",
    })
    .default(fallback);
const cleaning = {
  ...features,
  classes: classesSchema('not minority'),
  standardize: z.boolean().default(true),
};
const prototype = { ...common, standardize: z.boolean().default(true) };
const count = (max: number, fallback: number) => z.int().min(1).max(max).default(fallback);
const kindSel = z.enum(['all', 'mode']).default('all');
const relevanceSchema = z.union(
  [
    z.literal('density'),
    z.strictObject({ points: z.array(z.tuple([z.number(), z.number().min(0).max(1)])).min(1) }),
    z.custom<(y: number) => number>((v) => typeof v === 'function'),
  ],
  { error: "'density', { points: [[y, relevance], ...] } with relevance in [0, 1], or a function" },
);
const regression = {
  ...features,
  k: count(1000, 5),
  standardize: z.boolean().default(true),
  relevance: relevanceSchema.default('density'),
  threshold: z.number().min(0).max(1).default(0.5),
  amounts: z
    .union(
      [
        z.literal('balance'),
        z.strictObject({ over: z.number().min(1).max(1000), under: z.number().min(0).max(1) }),
      ],
      {
        error: "'balance' or { over: f >= 1, under: f in [0, 1] }",
      },
    )
    .default('balance'),
};
const neighbors = {
  ...common,
  k: z.int().min(1).max(1000).default(5),
  standardize: z.boolean().default(true),
  onSmallClass: z.enum(['shrink', 'error']).default('shrink'),
};

/** Every method's options schema, by method name: the source of {@link METHODS}. */
export const SCHEMAS = {
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
  tomekLinks: z.strictObject({ method: z.literal('tomekLinks'), ...cleaning }),
  editedNearestNeighbours: z.strictObject({
    method: z.literal('editedNearestNeighbours'),
    ...cleaning,
    k: count(1000, 3),
    kindSel,
  }),
  repeatedEditedNearestNeighbours: z.strictObject({
    method: z.literal('repeatedEditedNearestNeighbours'),
    ...cleaning,
    k: count(1000, 3),
    kindSel,
    maxIter: count(10000, 100),
  }),
  allKnn: z.strictObject({
    method: z.literal('allKnn'),
    ...cleaning,
    k: count(1000, 3),
    kindSel,
    allowMinority: z.boolean().default(false),
  }),
  neighbourhoodCleaningRule: z.strictObject({
    method: z.literal('neighbourhoodCleaningRule'),
    ...cleaning,
    k: count(1000, 3),
    threshold: z.number().min(0).max(1).default(0.5),
  }),
  condensedNearestNeighbour: z.strictObject({
    method: z.literal('condensedNearestNeighbour'),
    ...cleaning,
    k: count(1000, 1),
    seeds: count(100000, 1),
  }),
  oneSidedSelection: z.strictObject({
    method: z.literal('oneSidedSelection'),
    ...cleaning,
    k: count(1000, 1),
    seeds: count(100000, 1),
  }),
  nearMiss: z.strictObject({
    method: z.literal('nearMiss'),
    ...prototype,
    version: z.union([z.literal(1), z.literal(2), z.literal(3)], { error: '1, 2 or 3' }).default(1),
    k: count(1000, 3),
    kVersion3: count(1000, 3),
  }),
  instanceHardnessThreshold: z.strictObject({
    method: z.literal('instanceHardnessThreshold'),
    ...prototype,
    k: count(1000, 5),
    folds: z.int().min(2).max(100).default(5),
  }),
  clusterCentroids: z.strictObject({
    method: z.literal('clusterCentroids'),
    ...prototype,
    voting: z.enum(['soft', 'hard']).default('soft'),
    maxIter: count(10000, 300),
  }),
  svmSmote: z.strictObject({
    method: z.literal('svmSmote'),
    ...neighbors,
    m: count(1000, 10),
    outStep: z.number().min(0).max(10).default(0.5),
    svmC: z.number().gt(0).max(1e6).default(1),
  }),
  kmeansSmote: z.strictObject({
    method: z.literal('kmeansSmote'),
    ...neighbors,
    k: count(1000, 2),
    clusters: count(100000, 8),
    balanceThreshold: z.union([z.literal('auto'), z.number().min(0).max(1)]).default('auto'),
    densityExponent: z.union([z.literal('auto'), z.number().min(0).max(100)]).default('auto'),
  }),
  smoteN: z.strictObject({ method: z.literal('smoteN'), ...neighbors }),
  smoteEnn: z.strictObject({
    method: z.literal('smoteEnn'),
    ...neighbors,
    ennK: count(1000, 3),
    kindSel,
    classes: classesSchema('all'),
  }),
  smoteTomek: z.strictObject({
    method: z.literal('smoteTomek'),
    ...neighbors,
    classes: classesSchema('all'),
  }),
  smoter: z.strictObject({ method: z.literal('smoter'), ...regression }),
  smogn: z.strictObject({
    method: z.literal('smogn'),
    ...regression,
    perturbation: z.number().min(0).max(10).default(0.02),
  }),
  mlsmote: z.strictObject({
    method: z.literal('mlsmote'),
    ...features,
    k: count(1000, 5),
    standardize: z.boolean().default(true),
    separator: z.string().min(1).default('|'),
  }),
} as const;

type Schemas = typeof SCHEMAS;
export type MethodName = keyof Schemas;
/** Every resampling method, by name (in registration order). */
export const METHODS = Object.keys(SCHEMAS) as MethodName[];
/** Options after validation, with defaults filled in. */
export type ParsedOptions = { [M in MethodName]: z.output<Schemas[M]> }[MethodName];
export type ParsedOptionsOf<M extends MethodName> = z.output<Schemas[M]>;

const methodSchema = z.looseObject({ method: z.enum(METHODS as [MethodName, ...MethodName[]]) });

/**
 * Validates resampling options: the method first (so a typo gets the list of methods), then that
 * method's own options (so an option of another method is named as unknown).
 */
export function parseResampleOptions(input: unknown, optionsType = 'ResampleOptions'): ParsedOptions {
  const given =
    input !== null && typeof input === 'object' ? (input as { method?: unknown }).method : undefined;
  if (typeof given === 'string' && !(METHODS as string[]).includes(given)) {
    const suggestion = closest(given, METHODS);
    throw new OptionsError({
      optionsType,
      field: 'method',
      expected: suggestion
        ? `a resampling method (did you mean \`${suggestion}\`?)`
        : `one of ${METHODS.map((m) => JSON.stringify(m)).join(', ')}`,
      received: given,
    });
  }
  const { method } = parseOptions(methodSchema, input, optionsType);
  return parseOptions(SCHEMAS[method], input, `${optionsType} (method \`${method}\`)`) as ParsedOptions;
}
