export {
  BACKENDS,
  type BackendInfo,
  type BackendName,
  type BackendOptions,
  describeBackend,
  initBackend,
} from './internals/backend/init.ts';
export { registerWasmKernels } from './internals/backend/kernels/register.ts';
export {
  formatKernelProfile,
  type KernelProfile,
  type KernelTiming,
  profileKernels,
} from './internals/backend/profile.ts';
export { autoScaling, type FittedScaler, fitScaler, SCALINGS, type Scaling } from './internals/data/scale.ts';
export { stratifiedSplit, subset, withWeights } from './internals/data/subset.ts';
export { alignLabels, checkFeatures, checkLabeled } from './internals/data/validate.ts';
export {
  AdaBoostEstimator,
  type AdaBoostFitResult,
  type AdaBoostOptions,
  adaBoost,
} from './internals/ensembles/adaboost.ts';
export {
  BaggingEstimator,
  type BaggingFitResult,
  type BaggingOptions,
  bagging,
} from './internals/ensembles/bagging.ts';
export { StackingEstimator, type StackingOptions, stacking } from './internals/ensembles/stacking.ts';
export { VotingEstimator, type VotingOptions, voting } from './internals/ensembles/voting.ts';
export { BaseEstimator, fitRng } from './internals/estimators/base.ts';
export { BUILTIN_ESTIMATORS, MODELS } from './internals/estimators/builtins.ts';
export { KnnEstimator, type KnnOptions, knn } from './internals/estimators/knn.ts';
export { MajorityEstimator, type MajorityOptions, majority } from './internals/estimators/majority.ts';
export { cnn, logisticRegression, mlp, NeuralEstimator } from './internals/estimators/neural.ts';
export {
  type ConformanceCheck,
  createEstimator,
  type EstimatorDefinition,
  type EstimatorExample,
  EstimatorRegistry,
  type EstimatorSpec,
  estimatorNames,
  estimatorRegistry,
  registerEstimator,
} from './internals/estimators/registry.ts';
export {
  runTrainJob,
  type TrainDataset,
  type TrainJobOptions,
  type TrainJobResult,
} from './internals/jobs/train-job.ts';
export {
  AUTO_EPOCHS,
  AUTO_MIN_STEPS,
  epochBudget,
  type StopReason,
  type TrainResult,
} from './internals/loop/fit.ts';
export { type LogisticSolution, solveLogistic } from './internals/loop/lbfgs.ts';
export { toLayersModel } from './internals/models/layers-model.ts';
export type {
  Activation,
  CnnOptions,
  ConvLayerOptions,
  LogisticOptions,
  MlpOptions,
  OptimizerName,
  TrainingOptions,
} from './internals/models/spec.ts';
export {
  type CrossValidationOptions,
  type CrossValidationResult,
  crossValidate,
  SEARCH_METRICS,
  type SearchMetric,
} from './internals/tuning/cross-validate.ts';
export {
  type SearchOptions,
  type SearchResult,
  type SearchRunOptions,
  search,
  type TrialRecord,
} from './internals/tuning/search.ts';
export { candidateSpec, type Dimension, type SearchSpace } from './internals/tuning/space.ts';
export { TunedEstimator, type TunedFitResult, type TunedOptions, tuned } from './internals/tuning/tuned.ts';
export {
  type FoldScores,
  type ValidationCurve,
  type ValidationCurveOptions,
  type ValidationCurvePoint,
  validationCurve,
} from './internals/tuning/validation-curve.ts';
