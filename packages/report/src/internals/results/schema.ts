import { z } from 'zod';
import type {
  AugmentSpec,
  Comparison,
  CurveFit,
  DataEquivalent,
  SizeSummary,
  Spread,
  StudyPower,
  StudyResults,
  TrialRecord,
  VariantSpec,
  VariantSummary,
} from './types.ts';

// Validators for a results.json read from disk. Each is typed against the interface it checks, so
// a change to the results types that the schema does not follow fails type checking.
//
// Statistics written by `JSON.stringify` lose non-finite values: NaN and Infinity become `null`
// (a mean over zero seeds, an infinite log loss). Such fields accept `null` and read it back as NaN,
// so a file growset wrote is always a file growset reads.

/** A statistic: a number, or `null` (how JSON stores NaN and Infinity), read back as NaN. */
const stat = z
  .number()
  .nullable()
  .transform((v) => v ?? Number.NaN);
const count = z.number().int().nonnegative();
const json = z.json();
const jsonObject = z.record(z.string(), json);

const augmentSchema: z.ZodType<AugmentSpec> = z.discriminatedUnion('kind', [
  z.looseObject({
    kind: z.literal('image'),
    recipe: jsonObject,
    copies: count,
    perEpoch: z.boolean().optional(),
  }),
  z.looseObject({ kind: z.literal('tabular'), method: z.string(), options: jsonObject.optional() }),
]);

const variantSpecSchema: z.ZodType<VariantSpec> = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  model: jsonObject,
  augment: augmentSchema.optional(),
  baseline: z.boolean().optional(),
});

const splitMetricsSchema = z.looseObject({
  accuracy: stat,
  balancedAccuracy: stat,
  macroF1: stat,
  logLoss: stat,
});

const epochLogSchema = z
  .object({ epoch: z.number(), loss: stat, valLoss: stat.optional() })
  .catchall(stat.optional());

const trialSchema: z.ZodType<TrialRecord> = z.looseObject({
  key: z.string(),
  variant: z.string(),
  trainSize: count,
  seed: z.number().int(),
  ok: z.boolean(),
  train: splitMetricsSchema.optional(),
  test: splitMetricsSchema.optional(),
  fittedSamples: count.optional(),
  validationSize: count.optional(),
  epochs: count.optional(),
  stoppedEarly: z.boolean().optional(),
  history: z.array(epochLogSchema).optional(),
  wallTimeMs: z.number().nonnegative(),
  samplesPerSecond: stat.optional(),
  backend: z.string().optional(),
  trainRoots: z.array(z.string()).optional(),
  split: count.optional(),
  testPredictions: z.string().optional(),
  error: z.string().optional(),
  fitError: z.string().optional(),
});

const interval = z.tuple([stat, stat]);

const spreadSchema: z.ZodType<Spread> = z.looseObject({
  mean: stat,
  std: stat,
  ci95: interval,
  n: count,
});

const sizeSummarySchema: z.ZodType<SizeSummary> = z.looseObject({
  variant: z.string(),
  trainSize: count,
  testAccuracy: spreadSchema,
  trainAccuracy: spreadSchema,
  gap: spreadSchema,
  verdict: z.enum(['overfits', 'underfits', 'fits', 'unknown']),
  explanation: z.string(),
  failedTrials: count,
});

const curveFitSchema: z.ZodType<CurveFit> = z.looseObject({
  a: stat,
  b: stat,
  c: stat,
  rmse: stat,
  interval: z.looseObject({ a: interval, b: interval, c: interval }),
  extrapolation: z.array(
    z.looseObject({ trainSize: z.number().positive(), accuracy: stat, low: stat, high: stat }),
  ),
  family: z.enum(['pow3', 'pow2', 'exp3', 'log2']).optional(),
  formula: z.string().optional(),
  band: z
    .array(
      z.looseObject({
        trainSize: z.number().positive(),
        accuracy: stat,
        low: stat,
        high: stat,
        extrapolated: z.boolean(),
      }),
    )
    .optional(),
  heldOut: z
    .array(z.looseObject({ family: z.enum(['pow3', 'pow2', 'exp3', 'log2']), error: z.number().nullable() }))
    .optional(),
  shape: z.enum(['monotone', 'non-monotone', 'peaking']).optional(),
  asymptote: z.looseObject({ accuracy: stat, low: stat, high: stat }).nullable().optional(),
  ceilingIsGuess: z.boolean().optional(),
});

const dataEquivalentSchema: z.ZodType<DataEquivalent> = z.looseObject({
  variant: z.string(),
  trainSize: count,
  equivalentBaselineSize: z.number().nullable(),
  worth: z.number().nullable(),
  worthInterval: z.tuple([z.number(), z.number().nullable()]).optional(),
  sentence: z.string(),
});

const variantSummarySchema: z.ZodType<VariantSummary> = z.looseObject({
  variant: z.string(),
  description: z.string().optional(),
  sizes: z.array(sizeSummarySchema),
  curve: curveFitSchema.nullable(),
  dataEquivalents: z.array(dataEquivalentSchema),
  projectedSizeForTarget: z.number().nullable(),
});

const comparisonSchema: z.ZodType<Comparison> = z.looseObject({
  variant: z.string(),
  trainSize: count,
  metric: z.enum(['accuracy', 'balancedAccuracy', 'macroF1']),
  difference: stat,
  ci: interval,
  verdict: z.enum(['helps', 'hurts', 'no detectable difference']),
  se: stat,
  df: z.number().nullable(),
  pairs: count,
  minimumDetectable: stat,
  ciFamily: interval.optional(),
  verdictFamily: z.enum(['helps', 'hurts', 'no detectable difference']).optional(),
  family: z.looseObject({ size: count, method: z.literal('bonferroni'), level: z.number() }).optional(),
});

const powerSchema: z.ZodType<StudyPower> = z.looseObject({
  metric: z.literal('accuracy'),
  minimumDetectable: stat,
  range: interval,
  bySize: z.array(z.looseObject({ trainSize: count, minimumDetectable: stat })),
  testItems: count,
  seeds: count,
  splits: count,
  level: z.number(),
  power: z.number(),
  sentence: z.string(),
  warning: z.string().optional(),
});

/** The schema of `results.json` (schema version 1). */
export const studyResultsSchema: z.ZodType<StudyResults> = z.looseObject({
  schemaVersion: z.literal(1),
  name: z.string(),
  createdBy: z.string(),
  config: z.looseObject({
    dataset: z.string(),
    task: z.enum(['image', 'tabular']),
    classes: z.array(z.string()),
    originals: count,
    testSize: count,
    testSplits: count.optional(),
    trainSizes: z.array(count),
    seeds: z.array(z.number().int()),
    studySeed: z.number().int(),
    targetAccuracy: z.number().min(0).max(1).nullable(),
    validationFraction: z.number().min(0).max(1),
    variants: z.array(variantSpecSchema),
    workers: count,
  }),
  versions: z.record(z.string(), z.string()),
  backend: z.string(),
  testIds: z.array(z.string()),
  testSplitIds: z.array(z.array(z.string())).optional(),
  testLabels: z.array(z.string()).optional(),
  testSplitLabels: z.array(z.array(z.string())).optional(),
  trials: z.array(trialSchema),
  summaries: z.array(variantSummarySchema),
  comparisons: z.array(comparisonSchema).optional(),
  power: powerSchema.nullable().optional(),
  verdicts: z.array(z.string()),
  context: jsonObject.optional(),
  wallTimeMs: z.number().nonnegative(),
});
