// The results schema is owned by `@growset/study`; the report reads it and never redefines it.
// `schema.ts` is typed against these interfaces, so the validator cannot drift from them.
export type {
  AugmentSpec,
  Comparison,
  ComparisonVerdict,
  CurveFit,
  CurvePoint,
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
} from '@growset/study';
