import { adaBoostDefinition } from '../ensembles/adaboost.ts';
import { baggingDefinition } from '../ensembles/bagging.ts';
import { stackingDefinition } from '../ensembles/stacking.ts';
import { votingDefinition } from '../ensembles/voting.ts';
import { tunedDefinition } from '../tuning/tuned.ts';
import { knnDefinition } from './knn.ts';
import { majorityDefinition } from './majority.ts';
import { neuralDefinitions } from './neural.ts';
import { type EstimatorDefinition, estimatorRegistry } from './registry.ts';

/**
 * growset's own estimators, in the order listings show them. Loading this module registers them
 * in {@link estimatorRegistry}: every entry point of the package (`index.ts`, `study.ts`) imports
 * it, so `createEstimator`, the ensembles' members and `clone()` find them by name.
 */
export const BUILTIN_ESTIMATORS: readonly EstimatorDefinition[] = [
  ...neuralDefinitions,
  knnDefinition,
  majorityDefinition,
  baggingDefinition,
  adaBoostDefinition,
  stackingDefinition,
  votingDefinition,
  tunedDefinition,
];

for (const definition of BUILTIN_ESTIMATORS) estimatorRegistry.register(definition);

/** The built-in model names (`estimatorNames()` adds the ones registered since). */
export const MODELS: readonly string[] = BUILTIN_ESTIMATORS.map((d) => d.name);
