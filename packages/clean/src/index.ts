// The CSV reader, schema inference and validation, and the stage contract live in @growset/tables
// (one home for tables); clean re-exports them so `import { readCsv } from '@growset/clean'` keeps working.
export {
  type CleaningReport,
  type CleaningStage,
  type ColumnFailures,
  type CsvDialect,
  type CsvInput,
  type CsvReport,
  DEFAULT_NA_VALUES,
  DELIMITER_CANDIDATES,
  type InferredColumn,
  type InferredSchema,
  type InferredType,
  type InferSchemaOptions,
  inferSchema,
  isMissing,
  parseBoolean,
  parseIsoDate,
  parseNumber,
  type ReadCsvOptions,
  type RowLike,
  readCsv,
  readCsvHeader,
  schemaToTypeScript,
  sniffDialect,
  type TypeScriptOptions,
  type ValidateOptions,
  type ValidateReport,
  validate,
} from '@growset/tables';
export { BkTree, type Hash64, hamming, hashToHex, hexToHash } from './internals/dedupe/bk-tree.ts';
export { bytesHash, rowHash } from './internals/dedupe/content-hash.ts';
export { type DedupeImagesOptions, dedupeImages } from './internals/dedupe/dedupe-images.ts';
export { type DedupeRowsOptions, dedupeRows } from './internals/dedupe/dedupe-rows.ts';
export type { DedupeReport, DuplicateEntry, DuplicateGroup } from './internals/dedupe/groups.ts';
export {
  dhashFromPixels,
  type PerceptualHashKind,
  perceptualHash,
  phashFromPixels,
} from './internals/dedupe/perceptual-hash.ts';
export { type CheckImagesOptions, checkImages, type ImagesReport } from './internals/images/check-images.ts';
export { type CleanCsvJobOptions, runCleanCsvJob } from './internals/jobs/clean-csv-job.ts';
export {
  type CleanImagesJobOptions,
  type CleanImagesJobSummary,
  runCleanImagesJob,
} from './internals/jobs/clean-images-job.ts';
export {
  type ConfidentJoint,
  type FindLabelIssuesOptions,
  findLabelIssues,
  type LabelIssue,
  type LabelIssueInput,
  type LabelIssues,
} from './internals/labels/confident-learning.ts';
export {
  type LabelsReport,
  type NormalizeLabelsOptions,
  normalizeLabels,
} from './internals/labels/normalize-labels.ts';
export {
  filterRareClasses,
  type RareClassesOptions,
  type RareClassesReport,
} from './internals/labels/rare-classes.ts';
export {
  flagSuspiciousLabels,
  type SuspiciousLabelsOptions,
  type SuspiciousLabelsReport,
} from './internals/labels/suspicious-labels.ts';
export {
  type DropMissingOptions,
  type DropMissingReport,
  dropMissing,
} from './internals/missing/drop-missing.ts';
export {
  type ApplyImputerOptions,
  type ColumnFill,
  type ColumnImputation,
  fitImputer,
  type ImputeOptions,
  type ImputeReport,
  type Imputer,
  type ImputeStrategy,
  impute,
} from './internals/missing/imputer.ts';
export {
  type Bounds,
  fitOutliers,
  type OutlierBounds,
  type OutlierDetector,
  type OutlierOptions,
  type OutliersReport,
  removeOutliers,
} from './internals/outliers/outliers.ts';
export {
  type FromRowsOptions,
  fromRows,
  type ReadJsonRowsOptions,
  type RowsReport,
  readJsonRows,
} from './internals/rows/from-rows.ts';
export {
  type CleaningStageCounts,
  type CleaningSummary,
  type ColumnHealth,
  cleaningSummary,
  formatCleaningSummary,
  summaryToJson,
} from './internals/summary/cleaning-summary.ts';
