export { DEFAULT_NA_VALUES, isCell, isMissing, showCell } from './internals/cells.ts';
export {
  type CsvDialect,
  DECIMAL_COMMA,
  DELIMITER_CANDIDATES,
  sniffDialect,
} from './internals/csv/dialect.ts';
export { type NumericCsv, readNumericCsv } from './internals/csv/numeric-csv.ts';
export {
  type CsvInput,
  type CsvReport,
  type ReadCsvOptions,
  readCsv,
  readCsvHead,
  readCsvHeader,
} from './internals/csv/read-csv.ts';
export { type TableScaling, TabularEncoder } from './internals/dataset/encoder.ts';
export {
  type ColumnInfo,
  type ImageShape,
  type LabelledData,
  type LabelledDataReport,
  labelledDataFromSamples,
} from './internals/dataset/labelled.ts';
export {
  type LoadedLabelledDataset,
  type LoadLabelledOptions,
  loadLabelledDataset,
} from './internals/dataset/load.ts';
export { bruteForceNeighbors } from './internals/neighbors/brute-force.ts';
export { kNearestNeighbors, type NeighborSearchOptions, type Neighbors } from './internals/neighbors/knn.ts';
export { parseDecimal } from './internals/parse-decimal.ts';
export { parseBoolean, parseIsoDate, parseNumber } from './internals/schema/coerce.ts';
export {
  type InferredColumn,
  type InferredSchema,
  type InferredType,
  type InferSchemaOptions,
  inferSchema,
  type RowLike,
} from './internals/schema/infer.ts';
export { schemaToTypeScript, type TypeScriptOptions } from './internals/schema/typescript.ts';
export {
  type ColumnFailures,
  type ValidateOptions,
  type ValidateReport,
  validate,
} from './internals/schema/validate.ts';
export {
  bump,
  type CleaningReport,
  type CleaningStage,
  fitOnAllStage,
  hasReport,
} from './internals/stage/contract.ts';
