export { type ReadCsvTableOptions, readCsvHeader, readCsvTable } from './internals/csv-source.ts';
export { bruteForceNeighbors } from './internals/neighbors/brute-force.ts';
export { kNearestNeighbors, type NeighborSearchOptions, type Neighbors } from './internals/neighbors/knn.ts';
export {
  type AdasynOptions,
  type BootstrapOptions,
  type BorderlineSmoteOptions,
  type CommonOptions,
  type GaussianNoiseOptions,
  METHODS,
  type MethodName,
  type MixupOptions,
  type NeighborOptions,
  type RandomOverSampleOptions,
  type RandomUnderSampleOptions,
  type ResampleOptions,
  type SamplingStrategy,
  type SmoteNCOptions,
  type SmoteOptions,
} from './internals/options.ts';
export { formatClassCounts } from './internals/report.ts';
export { type ResampleReport, type ResampleResult, resample } from './internals/resample.ts';
export { type AugmentTableOptions, augmentTable } from './internals/stage.ts';
export { parseStrategyText } from './internals/strategy-text.ts';
export { LINEAGE_VERSION } from './internals/synthesize.ts';
