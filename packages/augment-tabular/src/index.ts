// The exact kNN lives in @growset/tables (train's kNN estimator uses it too); re-exported here.
export {
  bruteForceNeighbors,
  kNearestNeighbors,
  type NeighborSearchOptions,
  type Neighbors,
} from '@growset/tables';
export { type ReadCsvTableOptions, readCsvTable } from './internals/csv-source.ts';
export {
  BalancedBagging,
  type BalancedBaggingOptions,
  type BalancedEnsembleOptions,
  EasyEnsemble,
  type EasyEnsembleOptions,
  RusBoost,
  type RusBoostOptions,
} from './internals/ensemble/ensembles.ts';
export {
  applyThreshold,
  type ThresholdChoice,
  type TuneThresholdOptions,
  tuneThreshold,
} from './internals/ensemble/threshold.ts';
export { type AugmentTableJobOptions, runAugmentTableJob } from './internals/jobs/augment-table-job.ts';
export {
  type AdasynOptions,
  type AllKnnOptions,
  type BootstrapOptions,
  type BorderlineSmoteOptions,
  type CleanedClasses,
  type CleaningOptions,
  type ClusterCentroidsOptions,
  type CommonOptions,
  type CondensedNearestNeighbourOptions,
  type EditedNearestNeighboursOptions,
  type FeatureOptions,
  type GaussianNoiseOptions,
  type InstanceHardnessThresholdOptions,
  type KmeansSmoteOptions,
  METHODS,
  type MethodName,
  type MixupOptions,
  type NearMissOptions,
  type NeighborOptions,
  type NeighbourhoodCleaningRuleOptions,
  type OneSidedSelectionOptions,
  type PrototypeOptions,
  type RandomOverSampleOptions,
  type RandomUnderSampleOptions,
  type RepeatedEditedNearestNeighboursOptions,
  type ResampleOptions,
  type SamplingStrategy,
  type SmoteEnnOptions,
  type SmoteNCOptions,
  type SmoteNOptions,
  type SmoteOptions,
  type SmoteTomekOptions,
  type SvmSmoteOptions,
  type TomekLinksOptions,
} from './internals/options.ts';
export {
  findMethod,
  kebabCase,
  type MethodAlias,
  type MethodEntry,
  type MethodKind,
  methodNames,
  REGISTRY,
} from './internals/registry.ts';
export { formatClassCounts } from './internals/report.ts';
export { type ResampleReport, type ResampleResult, resample } from './internals/resample.ts';
export { type AugmentTableOptions, augmentTable } from './internals/stage.ts';
export { parseStrategyText } from './internals/strategy-text.ts';
export { LINEAGE_VERSION } from './internals/synthesize.ts';
