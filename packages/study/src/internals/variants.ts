import { GrowsetError, type JsonObject, parseOptions } from '@growset/core';
import { z } from 'zod';
import type { VariantSpec } from './types.ts';

const numberRange = z.union([
  z.strictObject({ uniform: z.tuple([z.number(), z.number()]) }),
  z.strictObject({ logUniform: z.tuple([z.number().positive(), z.number().positive()]) }),
]);
const intRange = z.strictObject({ int: z.tuple([z.int(), z.int()]) });
const numbers = (min: number, max = Number.POSITIVE_INFINITY) =>
  z.union([z.array(z.number().min(min).max(max)).min(1), numberRange]);
const ints = (min: number) => z.union([z.array(z.int().min(min)).min(1), intRange]);

/**
 * A search space for the `tuned` variant: option -> a list of values, or a range
 * (`{ uniform: [a, b] }`, `{ logUniform: [a, b] }`, `{ int: [a, b] }`). `layers` and `units`
 * set an mlp's `hidden` (`units` repeated `layers` times); `C` is logistic regression's inverse
 * L2 strength. Unknown options are refused with the field named.
 */
export const searchSpaceSchema = z
  .strictObject({
    activation: z.array(z.enum(['relu', 'tanh', 'sigmoid', 'elu', 'linear'])).min(1),
    hidden: z.array(z.array(z.int().min(1))).min(1),
    layers: ints(0),
    units: ints(1),
    learningRate: numbers(Number.MIN_VALUE),
    batchSize: ints(1),
    epochs: z.union([z.array(z.union([z.int().min(1), z.literal('auto')])).min(1), intRange]),
    l1: numbers(0),
    l2: numbers(0),
    dropout: numbers(0, 0.95),
    C: numbers(Number.MIN_VALUE),
  })
  .partial()
  .refine((space) => Object.keys(space).length > 0, 'at least one option to search');
export type SearchSpaceOption = z.input<typeof searchSpaceSchema>;

/** Validates a search space (e.g. read from `--search space.json`); errors name the field. */
export function parseSearchSpace(space: unknown): JsonObject {
  return parseOptions(searchSpaceSchema, space, 'SearchSpace') as JsonObject;
}

/**
 * The `tuned` variant's default search space for a base model: learning rate, batch size (the
 * base's or twice it), activation, L1, L2, dropout, and for an mlp the width (the base's first
 * width or half of it) and depth (1 or 2 layers) of its hidden layers; for logistic regression
 * (solved to convergence, no learning rate) its `C`.
 */
export function defaultSearchSpace(base: JsonObject): JsonObject {
  if (base.model === 'logistic') return { C: [0.01, 0.1, 1, 10, 100] };
  // Each candidate costs about what the base costs (narrower or equal layers, equal or larger
  // batches), so tuning stays 8 x 3 fits of the base's size: on scraped 28x28 digits a wider space
  // (twice the width, batch 16) made each tuned trial 2.5x slower.
  const batch = typeof base.batchSize === 'number' ? base.batchSize : 32;
  const space: JsonObject = {
    learningRate: { logUniform: [3e-4, 1e-2] },
    batchSize: [batch, batch * 2],
    activation: ['relu', 'tanh'],
    l1: [0, 1e-5, 1e-4],
    l2: [0, 1e-4, 1e-3],
    dropout: [0, 0.2, 0.4],
  };
  if (base.model === 'mlp') {
    const hidden = Array.isArray(base.hidden) ? (base.hidden as number[]) : [128, 64];
    const width = hidden[0] ?? 128;
    space.units = [...new Set([Math.max(1, Math.round(width / 2)), width])];
    space.layers = [1, Math.max(2, hidden.length)];
  }
  return space;
}

/** Variant names {@link standardVariants} knows, in the order a report shows them. */
export const STANDARD_VARIANTS = [
  'baseline',
  'l1',
  'l2',
  'dropout',
  'augment',
  'augment-epoch',
  'smote',
  'noise',
  'mixup',
  'threshold',
  'tuned',
  'bagging',
  'boosting',
  'stacking',
  'logistic',
  'knn',
  'majority',
] as const;
export type StandardVariant = (typeof STANDARD_VARIANTS)[number];

export interface StandardVariantOptions {
  task: 'image' | 'tabular';
  /** The base model spec (for `@growset/train`'s `createEstimator`), e.g. `{ model: 'mlp', ... }`. */
  base: JsonObject;
  /** Image augmentation recipe (`@growset/augment-image`), needed for `augment` on images. */
  recipe?: JsonObject;
  /** Augmented copies per training original. @default 2 */
  copies?: number;
  /** Whether the table has categorical columns (SMOTE-NC instead of SMOTE). @default false */
  categorical?: boolean;
  /** L1 strength. @default 1e-4 */
  l1?: number;
  /** L2 strength. @default 1e-3 */
  l2?: number;
  /** Dropout rate. @default 0.3 */
  dropout?: number;
  /** Members of bagging and boosting. @default 5 */
  ensembleSize?: number;
  /** The `tuned` variant's search space (see {@link searchSpaceSchema}). @default {@link defaultSearchSpace} */
  search?: SearchSpaceOption | JsonObject;
}

const regularizable = (base: JsonObject) =>
  base.model === 'mlp' || base.model === 'cnn' || base.model === 'logistic';

/**
 * The usual treatments, each applied to the same base model: regularization (`l1`, `l2`,
 * `dropout`), augmentation (`augment` (fixed copies) and `augment-epoch` (fresh every epoch) for
 * images; `smote`, `noise`, `mixup` for tables), `threshold` (the base model with its decision threshold tuned for balanced
 * accuracy on each trial's validation originals: "resample or move the threshold?", binary
 * classes only), `tuned` (a cross-validated random search inside each trial's training data), ensembles
 * (`bagging`, `boosting`, `stacking` of the base model with kNN and logistic regression) and simple
 * baselines (`logistic`, `knn`, `majority`). The first variant is the baseline.
 */
export function standardVariants(names: readonly string[], options: StandardVariantOptions): VariantSpec[] {
  const unknown = names.filter((n) => !(STANDARD_VARIANTS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new GrowsetError(
      `Unknown variant(s) ${unknown.map((n) => `\`${n}\``).join(', ')}: expected some of ${STANDARD_VARIANTS.join(', ')}`,
      { code: 'ERR_OPTIONS' },
    );
  }
  const variants = names.map((name) => standardVariant(name as StandardVariant, options));
  if (variants[0]) variants[0] = { ...variants[0], baseline: true };
  return variants;
}

function standardVariant(name: StandardVariant, o: StandardVariantOptions): VariantSpec {
  const base = o.base;
  const model = String(base.model);
  const needsRegularizable = () => {
    if (!regularizable(base)) {
      throw new GrowsetError(
        `Variant \`${name}\` needs a neural base model (mlp, cnn, logistic), not \`${model}\``,
        {
          code: 'ERR_OPTIONS',
        },
      );
    }
  };
  const needsTask = (task: 'image' | 'tabular') => {
    if (o.task !== task) {
      throw new GrowsetError(`Variant \`${name}\` applies to ${task} data, not ${o.task} data`, {
        code: 'ERR_OPTIONS',
      });
    }
  };
  const n = o.ensembleSize ?? 5;
  switch (name) {
    case 'baseline':
      return { name, description: `${model} as is`, model: base };
    case 'l1':
      needsRegularizable();
      return {
        name,
        description: `L1 penalty ${o.l1 ?? 1e-4} on weights`,
        model: { ...base, l1: o.l1 ?? 1e-4 },
      };
    case 'l2':
      needsRegularizable();
      return {
        name,
        description: `L2 penalty ${o.l2 ?? 1e-3} on weights`,
        model: { ...base, l2: o.l2 ?? 1e-3 },
      };
    case 'dropout':
      needsRegularizable();
      return {
        name,
        description: `dropout ${o.dropout ?? 0.3}`,
        model: { ...base, dropout: o.dropout ?? 0.3 },
      };
    case 'augment': {
      const copies = o.copies ?? 2;
      if (o.task === 'image') {
        if (!o.recipe)
          throw new GrowsetError('Variant `augment` on images needs a recipe', { code: 'ERR_OPTIONS' });
        return {
          name,
          description: `${copies} augmented copies per training image`,
          model: base,
          augment: { kind: 'image', recipe: o.recipe, copies },
        };
      }
      return {
        name,
        description: `${copies} SMOTE${o.categorical ? '-NC' : ''} rows per training row`,
        model: base,
        augment: {
          kind: 'tabular',
          method: o.categorical ? 'smoteNC' : 'smote',
          options: { strategy: { factor: copies + 1 } },
        },
      };
    }
    case 'augment-epoch': {
      needsTask('image');
      needsRegularizable();
      if (!o.recipe)
        throw new GrowsetError('Variant `augment-epoch` needs a recipe', { code: 'ERR_OPTIONS' });
      return {
        name,
        description: 'a fresh augmented version of every training image each epoch',
        model: base,
        augment: { kind: 'image', recipe: o.recipe, copies: 1, perEpoch: true },
      };
    }
    case 'smote':
      needsTask('tabular');
      return {
        name,
        description: `SMOTE${o.categorical ? '-NC' : ''}: classes balanced to the majority`,
        model: base,
        augment: {
          kind: 'tabular',
          method: o.categorical ? 'smoteNC' : 'smote',
          options: { strategy: 'auto' },
        },
      };
    case 'noise':
      needsTask('tabular');
      return {
        name,
        description: 'one Gaussian-noise copy per row (0.1 std)',
        model: base,
        augment: {
          kind: 'tabular',
          method: 'gaussianNoise',
          options: { strategy: { factor: 2 }, scale: 0.1 },
        },
      };
    case 'mixup':
      needsTask('tabular');
      return {
        name,
        description: 'one mixup row per row (soft labels)',
        model: base,
        augment: { kind: 'tabular', method: 'mixup', options: { strategy: { factor: 2 } } },
      };
    case 'threshold':
      return {
        name,
        description: 'decision threshold tuned for balanced accuracy on validation originals',
        model: base,
        threshold: { metric: 'balancedAccuracy' },
      };
    case 'tuned': {
      needsRegularizable();
      const space = o.search ? parseSearchSpace(o.search) : defaultSearchSpace(base);
      return {
        name,
        description: `random search (8 candidates, 3-fold CV) over ${Object.keys(space).join(', ')} inside each trial`,
        model: { model: 'tuned', base, strategy: 'random', candidates: 8, folds: 3, space },
      };
    }
    case 'bagging':
      return { name, description: `bagging of ${n} ${model}s`, model: { model: 'bagging', base, n } };
    case 'boosting':
      return {
        name,
        description: `AdaBoost (SAMME) of ${n} ${model}s`,
        model: { model: 'adaboost', base, n },
      };
    case 'stacking':
      return {
        name,
        description: `stacking of ${model}, kNN and logistic regression (out-of-fold, logistic meta-learner)`,
        model: {
          model: 'stacking',
          estimators: [base, { model: 'knn', k: 5 }, { model: 'logistic' }],
          folds: 3,
        },
      };
    case 'logistic':
      return { name, description: 'logistic regression', model: { model: 'logistic' } };
    case 'knn':
      return { name, description: 'k-nearest neighbours (k=5)', model: { model: 'knn', k: 5 } };
    case 'majority':
      return { name, description: 'always predicts the majority class', model: { model: 'majority' } };
  }
}
