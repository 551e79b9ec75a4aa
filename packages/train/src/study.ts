/**
 * `@growset/train/study`: what `@growset/study` loads to train a model in a trial. A variant's
 * `model` is an estimator's JSON spec (`{ model: 'mlp', hidden: [64] }`), rebuilt here in each
 * worker thread. Typed against the study's `EstimatorFactory` where the study imports it.
 */
import './internals/estimators/builtins.ts';

export { createEstimator } from './internals/estimators/registry.ts';
