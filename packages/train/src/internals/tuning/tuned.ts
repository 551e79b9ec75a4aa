import {
  type Features,
  type FitOptions,
  type FitResult,
  type JsonObject,
  type LabeledData,
  parseOptions,
} from '@growset/core';
import { z } from 'zod';
import { EnsembleEstimator, memberSpecSchema } from '../ensembles/members.ts';
import { fitRng } from '../estimators/base.ts';
import type { EstimatorDefinition } from '../estimators/registry.ts';
import { SEARCH_METRICS } from './cross-validate.ts';
import { type SearchResult, search } from './search.ts';
import { dimensionSchema } from './space.ts';

const schema = z.strictObject({
  model: z.literal('tuned').default('tuned'),
  base: memberSpecSchema,
  space: z
    .record(z.string(), dimensionSchema)
    .refine((s) => Object.keys(s).length > 0, 'at least one parameter'),
  strategy: z.enum(['grid', 'random', 'halving']).default('random'),
  candidates: z.int().min(1).max(1000).default(8),
  folds: z.int().min(2).max(20).default(3),
  metric: z.enum(SEARCH_METRICS).default('accuracy'),
});

export type TunedParams = z.output<typeof schema>;

export interface TunedOptions {
  /** Spec the search varies, e.g. `{ model: 'mlp', hidden: [64] }`. */
  base: JsonObject;
  /** Parameters to search: value lists or distributions (`{ logUniform: [a, b] }`, ...). */
  space: JsonObject;
  /** @default 'random' */
  strategy?: 'grid' | 'random' | 'halving';
  /** Random draws. @default 8 */
  candidates?: number;
  /** Cross-validation folds per candidate. @default 3 */
  folds?: number;
  /** @default 'accuracy' */
  metric?: (typeof SEARCH_METRICS)[number];
}

/** Tuned's fit result: the ranked search and the winning spec. */
export interface TunedFitResult extends FitResult {
  search: SearchResult;
  best: JsonObject;
}

/**
 * Hyperparameter tuning as an estimator: `fit` runs a cross-validated search over `space` on its
 * own training data only, then fits the best spec on all of it. In a learning-curve study this is
 * the honest "tuned" variant: the test set never chooses the hyperparameters.
 */
export class TunedEstimator extends EnsembleEstimator<TunedParams & JsonObject> {
  readonly name: string;
  readonly supportsSampleWeight: boolean;
  /** The last fit's ranked search. */
  lastSearch: SearchResult | undefined;

  constructor(options: TunedOptions | JsonObject) {
    const params = parseOptions(schema, { model: 'tuned', ...options }, 'TunedOptions');
    super(params as TunedParams & JsonObject, 'TunedOptions');
    const probe = this.buildMember(params.base, 'base');
    this.name = `tuned(${probe.name})`;
    this.supportsSampleWeight = probe.supportsSampleWeight;
    probe.dispose();
  }

  protected async fitChecked(data: LabeledData, options: FitOptions): Promise<TunedFitResult> {
    const started = performance.now();
    const params = this.getParams();
    const rng = fitRng(options, this.name);
    const result = await search(
      data,
      {
        base: params.base,
        space: params.space as JsonObject as never,
        strategy: params.strategy,
        candidates: params.candidates,
        folds: params.folds,
        metric: params.metric,
      },
      { rng: rng.fork('search'), ...(options.signal ? { signal: options.signal } : {}) },
    );
    this.disposeMembers();
    const best = this.buildMember(result.best.spec, 'base');
    this.members = [best];
    const fit = await best.fit(data, { ...options, rng: rng.fork('refit') });
    return { ...fit, wallTimeMs: performance.now() - started, search: result, best: result.best.spec };
  }

  protected async probaChecked(features: Features): Promise<Float32Array> {
    const best = this.members[0];
    if (!best) throw new Error('The tuned estimator is not fitted');
    return best.predictProba(features);
  }
}

/** A tuned estimator (cross-validated search inside `fit`). */
export function tuned(options: TunedOptions): TunedEstimator {
  return new TunedEstimator(options);
}

/** `tuned` in the estimator registry. */
export const tunedDefinition: EstimatorDefinition = {
  name: 'tuned',
  summary: 'cross-validated hyperparameter search inside fit, then the best spec refitted',
  optionsType: 'TunedOptions',
  create: (spec) => new TunedEstimator(spec),
  examples: [
    {
      spec: {
        model: 'tuned',
        base: { model: 'logistic', epochs: 10, learningRate: 0.05 },
        space: { l2: [0, 1e-3] },
        strategy: 'grid',
        folds: 2,
      },
    },
  ],
};
