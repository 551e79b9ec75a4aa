export { abortReason, type ConcurrentMapOptions, concurrentMap, raceAbort } from './internals/concurrency.ts';
export {
  AbortError,
  AccountingError,
  DataError,
  describeValue,
  errorMessage,
  GrowsetError,
  type GrowsetErrorOptions,
  isRetryable,
  OptionsError,
  type OptionsErrorDetails,
  StageError,
} from './internals/errors.ts';
export {
  type EpochLog,
  type Estimator,
  type Features,
  type FitOptions,
  type FitResult,
  type LabeledData,
  type Metrics,
  sampleCount,
} from './internals/estimator.ts';
export { formatRunSummary, formatTable } from './internals/format.ts';
export {
  AtomicFileWriter,
  type AtomicWriteOptions,
  tempPathFor,
  writeFileAtomic,
} from './internals/io/atomic.ts';
export { csvField, formatNumber, type WriteCsvOptions, writeCsv } from './internals/io/csv.ts';
export { encodeRawAsPng, loadSharp } from './internals/io/encode.ts';
export {
  IMAGE_EXTENSIONS,
  type ReadImageFolderOptions,
  readImageFolder,
  type WriteImageFolderOptions,
  writeImageFolder,
} from './internals/io/image-folder.ts';
export {
  type JsonlLine,
  type ManifestEntry,
  readJsonl,
  readManifest,
  toManifestEntry,
  type WriteJsonlOptions,
  writeJsonl,
  writeManifest,
} from './internals/io/jsonl.ts';
export { type SafeNameOptions, safeFileName, safeJoin, UnsafePathError } from './internals/io/sanitize.ts';
export type { JobContext, JobFiles, JobResult } from './internals/job.ts';
export type { JsonObject, JsonValue } from './internals/json.ts';
export { type Logger, type LogLevel, silentLogger, streamLogger } from './internals/logger.ts';
export {
  accuracy,
  argmaxRows,
  balancedAccuracy,
  classificationMetrics,
  confusionMatrix,
  type FoldScores,
  foldScores,
  logLoss,
  macroF1,
} from './internals/metrics.ts';
export { closest, formatPath, optionsErrorFromZod, parseOptions } from './internals/options.ts';
export {
  Pipeline,
  PipelineExecution,
  pipeline,
  type RunOptions,
  type RunSummary,
  type StageSummary,
} from './internals/pipeline.ts';
export {
  definePipeline,
  isPipelineDefinition,
  type PipelineDefinition,
  type PipelineResult,
  type PipelineRunContext,
} from './internals/pipeline-module.ts';
export {
  type ProgressEvent,
  type ProgressListener,
  type StageProgress,
  ThrottledProgress,
} from './internals/progress.ts';
export {
  MemoryQuarantine,
  QuarantineFolder,
  type QuarantineFolderOptions,
  type QuarantineRecord,
  type QuarantineSink,
  quarantineRecord,
} from './internals/quarantine.ts';
export { murmur3x86_128, Rng, shortHash } from './internals/rng.ts';
export {
  type Cell,
  type DeriveOptions,
  derive,
  type EncodedImage,
  extensionForFormat,
  hardLabel,
  type Identified,
  type ImagePayload,
  type ImageSample,
  isEncodedImage,
  isOriginal,
  isRawImage,
  isTabular,
  type Label,
  type LineageStep,
  type PixelDType,
  type RawImage,
  rootIds,
  type Sample,
  type SoftLabel,
  type SourceRef,
  sniffImageFormat,
  type TabularPayload,
  type TabularSample,
} from './internals/sample.ts';
export { chooseScaling, SCALINGS, type Scaling } from './internals/scaling.ts';
export {
  allocate,
  carveValidation,
  foldIndices,
  indicesByClass,
  nestedStratifiedOrder,
  stratifiedFolds,
  stratifiedHoldout,
  stratifiedHoldouts,
  stratifiedSplitIndices,
} from './internals/split.ts';
export {
  type Drop,
  filtered,
  filterStage,
  flatMapStage,
  fromIterable,
  type ItemContext,
  isDrop,
  itemContext,
  type MapStageOptions,
  mapStage,
  type QuarantineOptions,
  quarantined,
  type SampleStage,
  type Source,
  type Stage,
  type StageContext,
  tapStage,
} from './internals/stage.ts';
export {
  sleb128,
  uleb128,
  WASM_OP,
  WASM_SIMD,
  WASM_TYPE,
  wasmModule,
  wasmName,
  wasmSection,
  wasmVector,
} from './internals/wasm-binary.ts';
export { SOURCE_CONDITION, workerThreadEntry } from './internals/worker-entry.ts';
