export { type ExportOptions, type ExportSummary, exportStatic } from './internals/export.ts';
export {
  type ColumnType,
  type CompiledFilter,
  compileFilter,
  type FilterColumn,
  type FilterNode,
  FilterSyntaxError,
  type FilterValue,
  parseFilter,
} from './internals/filter.ts';
export {
  type BrowseColumn,
  BrowseIndex,
  defaultCacheDir,
  GROUPABLE,
  type GridRow,
  type OpenOptions,
  type QueryOptions,
} from './internals/index-db.ts';
export {
  type BrowseExportJobOptions,
  type BrowseJob,
  type BrowseJobOptions,
  type BrowseJobSummary,
  runBrowseExportJob,
  startBrowseJob,
} from './internals/jobs/browse-job.ts';
export { type BrowseRow, type DatasetKind, type LoadedDataset, loadDataset } from './internals/load.ts';
export { type PathVerdict, resolveInside } from './internals/safe-path.ts';
export {
  type BrowseServer,
  type BrowseServerOptions,
  CONTENT_SECURITY_POLICY,
  isLoopback,
  startBrowseServer,
} from './internals/server.ts';
