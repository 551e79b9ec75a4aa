import { type Estimator, type JsonObject, OptionsError } from '@growset/core';
import { AdaBoostEstimator } from '../ensembles/adaboost.ts';
import { BaggingEstimator } from '../ensembles/bagging.ts';
import { StackingEstimator } from '../ensembles/stacking.ts';
import { VotingEstimator } from '../ensembles/voting.ts';
import { TunedEstimator } from '../tuning/tuned.ts';
import { KnnEstimator } from './knn.ts';
import { MajorityEstimator } from './majority.ts';
import { NeuralEstimator } from './neural.ts';

/** Every model name {@link createEstimator} knows. */
export const MODELS = [
  'mlp',
  'cnn',
  'logistic',
  'knn',
  'majority',
  'bagging',
  'adaboost',
  'stacking',
  'voting',
  'tuned',
] as const;
export type ModelName = (typeof MODELS)[number];

/**
 * A JSON description of an estimator: `{ model: 'mlp', hidden: [128, 64], dropout: 0.2, ... }`.
 * Every estimator's `getParams()` returns one, and `createEstimator(getParams())` rebuilds it
 * (in another worker thread, for instance).
 */
export type EstimatorSpec = JsonObject & { model: ModelName };

/** Builds an estimator from its JSON spec; options are validated (an `OptionsError` names the field). */
export function createEstimator(spec: EstimatorSpec | JsonObject): Estimator {
  const model = (spec as { model?: unknown }).model;
  const { model: _model, ...options } = spec as JsonObject;
  switch (model) {
    case 'mlp':
    case 'cnn':
    case 'logistic':
      return new NeuralEstimator(spec as { model: 'mlp' } & JsonObject);
    case 'knn':
      return new KnnEstimator(options);
    case 'majority':
      return new MajorityEstimator(options);
    case 'bagging':
      return new BaggingEstimator(options);
    case 'adaboost':
      return new AdaBoostEstimator(options);
    case 'stacking':
      return new StackingEstimator(options);
    case 'voting':
      return new VotingEstimator(options);
    case 'tuned':
      return new TunedEstimator(options);
    default:
      throw new OptionsError({
        optionsType: 'EstimatorSpec',
        field: 'model',
        expected: `one of ${MODELS.map((m) => `"${m}"`).join(', ')}`,
        received: model,
      });
  }
}
