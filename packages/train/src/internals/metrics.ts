// The classification metrics live in core (one home for every estimator, train's or not).
export {
  accuracy,
  argmaxRows,
  balancedAccuracy,
  classificationMetrics,
  confusionMatrix,
  logLoss,
  macroF1,
} from '@growset/core';
