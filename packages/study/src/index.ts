export { allocate, carveValidation, nestedStratifiedOrder, stratifiedHoldout } from '@growset/core';
export {
  adjustFamilies,
  COMPARISON_METRICS,
  clampDifferenceInterval,
  compareWithBaseline,
  decodePredictions,
  encodePredictions,
  type PairedInterval,
  pairedInterval,
  pseudoValues,
  simultaneousInterval,
  studyPower,
  verdictOf,
} from './internals/compare.ts';
export {
  type BootstrapCurve,
  bootstrapCurve,
  CURVE_FAMILIES,
  type CurveFamily,
  type CurveShape,
  chooseFamily,
  curveAsymptote,
  curveError,
  curveFormula,
  curveShape,
  curveSizeForError,
  type FamilyFit,
  fitFamily,
  fitPowerLaw,
  type HeldOutScore,
  type PowerLaw,
  powerLawError,
  sizeForError,
} from './internals/curve.ts';
export {
  type ColumnInfo,
  type StudyData,
  type StudyDataReport,
  studyDataFromSamples,
} from './internals/dataset.ts';
export {
  resolveScaling,
  SCALINGS,
  type Scaling,
  type ScalingOption,
  TabularEncoder,
} from './internals/features.ts';
export { formatStudySummary } from './internals/format.ts';
export { type GalleryEntry, type GalleryOptions, writeAugmentationGallery } from './internals/gallery.ts';
export { DIGITS_RECIPE } from './internals/image-augmenter.ts';
export {
  defaultPlugins,
  type EstimatorFactory,
  type ImageAugmenter,
  loadExport,
  type StudyPlugins,
  type TabularAugmenter,
  type ThresholdTuner,
} from './internals/plugins.ts';
export {
  type PoolOptions,
  runTrialPool,
  SpareThreads,
  type TrialRunner,
  type TrialRunReport,
  TrialThreads,
} from './internals/pool.ts';
export { logSpacedSizes } from './internals/sizes.ts';
export {
  mean,
  normalCdf,
  normalQuantile,
  percentile,
  spread,
  std,
  tCdf,
  tQuantile,
} from './internals/stats.ts';
export { runStudy, type StudyOptions, type StudyRunContext } from './internals/study.ts';
export {
  dataEquivalent,
  familyFit,
  fitVerdict,
  summarize,
  VERDICT_THRESHOLDS,
  verdicts,
} from './internals/summarize.ts';
export { type StudyPlan, type TrialTask, trialKey } from './internals/trial.ts';
export type {
  AugmentSpec,
  Comparison,
  ComparisonFamily,
  ComparisonMetric,
  ComparisonVerdict,
  CurveFit,
  CurvePoint,
  DataEquivalent,
  FitVerdict,
  FoldScores,
  SizeSummary,
  SplitMetrics,
  Spread,
  StopReason,
  StudyPower,
  StudyResults,
  StudyValidationCurve,
  ThresholdSpec,
  TrialRecord,
  VariantSpec,
  VariantSummary,
} from './internals/types.ts';
export { STOP_REASONS } from './internals/types.ts';
export type { ValidationCurveRequest } from './internals/validation-curve.ts';
export {
  defaultSearchSpace,
  parseSearchSpace,
  type SearchSpaceOption,
  STANDARD_VARIANTS,
  type StandardVariant,
  type StandardVariantOptions,
  searchSpaceSchema,
  standardVariants,
} from './internals/variants.ts';
export type { WorkerSetup } from './internals/worker.ts';
