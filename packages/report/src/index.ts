export {
  type ScreenshotOptions,
  type ScreenshotResult,
  screenshotReport,
} from './internals/browser/screenshot.ts';
export {
  type ReportJobFiles,
  type ReportJobOptions,
  type ReportJobSummary,
  runReportJob,
} from './internals/jobs/report-job.ts';
export {
  runStudyJob,
  type StudyJobFiles,
  type StudyJobOptions,
  type StudyJobResult,
  studyJobSummary,
} from './internals/jobs/study-job.ts';
export {
  type BuiltReport,
  buildReport,
  type ChartOutcome,
  type ReportOptions,
  renderReport,
  type WrittenReport,
  writeReport,
} from './internals/report/build.ts';
export { SUMMARY_COLUMNS, TRIAL_COLUMNS } from './internals/results/csv.ts';
export {
  parseResults,
  ResultsFileError,
  type ResultsFileErrorDetails,
  readResults,
} from './internals/results/read.ts';
export { studyResultsSchema } from './internals/results/schema.ts';
export type {
  AugmentSpec,
  Comparison,
  CurveFit,
  DataEquivalent,
  FitVerdict,
  SizeSummary,
  SplitMetrics,
  Spread,
  StudyPower,
  StudyResults,
  TrialRecord,
  VariantSpec,
  VariantSummary,
} from './internals/results/types.ts';
export { type WrittenResults, writeResults } from './internals/results/write.ts';
