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
export { TabularEncoder } from './internals/features.ts';
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
} from './internals/plugins.ts';
export { type PoolOptions, runTrialPool, type TrialRunner, TrialThreads } from './internals/pool.ts';
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
  SizeSummary,
  SplitMetrics,
  Spread,
  StudyResults,
  TrialRecord,
  VariantSpec,
  VariantSummary,
} from './internals/types.ts';
export {
  STANDARD_VARIANTS,
  type StandardVariant,
  type StandardVariantOptions,
  standardVariants,
} from './internals/variants.ts';
export type { WorkerSetup } from './internals/worker.ts';
