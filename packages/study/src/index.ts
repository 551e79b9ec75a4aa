export {
  type BootstrapFit,
  bootstrapPowerLaw,
  fitPowerLaw,
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
export { augmentImageJson, DIGITS_RECIPE } from './internals/image-augmenter.ts';
export { DEFAULT_PLUGINS, loadExport, type StudyPlugins } from './internals/plugins.ts';
export {
  allocate,
  carveValidation,
  logSpacedSizes,
  nestedStratifiedOrder,
  stratifiedHoldout,
} from './internals/split.ts';
export { mean, percentile, spread, std } from './internals/stats.ts';
export { runStudy, type StudyOptions, type StudyRunContext } from './internals/study.ts';
export {
  dataEquivalent,
  fitVerdict,
  summarize,
  VERDICT_THRESHOLDS,
  verdicts,
} from './internals/summarize.ts';
export { type StudyPlan, type TrialTask, trialKey } from './internals/trial.ts';
export type {
  AugmentSpec,
  CurveFit,
  DataEquivalent,
  FitVerdict,
  FoldScores,
  SizeSummary,
  SplitMetrics,
  Spread,
  StopReason,
  StudyResults,
  StudyValidationCurve,
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
