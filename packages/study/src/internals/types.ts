import type { EpochLog, JsonObject, JsonValue, Metrics } from '@growset/core';

/**
 * How training data is augmented inside a trial (never the test set, never validation).
 * `image`: a recipe for `@growset/augment-image` applied to raw images: `copies` augmented copies
 * per training original (the originals are kept), or a fresh version per epoch (`perEpoch`).
 * `tabular`: a resampling method of `@growset/augment-tabular` (smote, gaussianNoise, mixup...).
 */
export type AugmentSpec =
  | {
      kind: 'image';
      recipe: JsonObject;
      /** Augmented copies per training original, made once per trial (the originals are kept). */
      copies: number;
      /**
       * Instead of fixed copies, a fresh augmented version of every training original each epoch
       * (torchvision style), for models that train in epochs. @default false
       */
      perEpoch?: boolean;
    }
  | { kind: 'tabular'; method: string; options?: JsonObject };

/** One treatment, applied to the base model. JSON only: workers rebuild everything from it. */
export interface VariantSpec {
  /** Unique short name: `baseline`, `l2`, `dropout`, `augment`, `bagging`... */
  name: string;
  /** What it is, in words, for the report. */
  description?: string;
  /** The estimator spec, as understood by the study's estimator factory. */
  model: JsonObject;
  augment?: AugmentSpec;
  /** Whether this variant is the reference the others are compared with. */
  baseline?: boolean;
}

/** Metrics of one trial on one split. */
export type SplitMetrics = Pick<Metrics, 'accuracy' | 'balancedAccuracy' | 'macroF1' | 'logLoss'>;

/**
 * Why a trial's training stopped: `converged` (the training objective stopped improving, or a
 * one-pass model), `budget` (the epoch budget ran out), `validation` (early stopping on held-out
 * originals), `error` (the loss became NaN or infinite, or the trial failed).
 */
export const STOP_REASONS = ['converged', 'budget', 'validation', 'error'] as const;
export type StopReason = (typeof STOP_REASONS)[number];

/** One fit of one variant on one training subset for one seed. */
export interface TrialRecord {
  /** `variant/size/seed`. */
  key: string;
  variant: string;
  /** Training originals in the subset (validation originals included). */
  trainSize: number;
  seed: number;
  ok: boolean;
  /** Present when `ok`. */
  train?: SplitMetrics;
  test?: SplitMetrics;
  /** Samples the model was fitted on, augmented copies included. */
  fittedSamples?: number;
  /** Originals held out from the subset for early stopping. */
  validationSize?: number;
  epochs?: number;
  stoppedEarly?: boolean;
  /** Why training stopped (also `error` on a failed trial). */
  stopReason?: StopReason;
  history?: EpochLog[];
  wallTimeMs: number;
  samplesPerSecond?: number;
  backend?: string;
  /** Root ids of every sample fitted (from lineage, so augmented children count), sorted. */
  trainRoots?: string[];
  /** Why the trial failed, when it did. */
  error?: string;
  /** A failure the fit survived (a loss that became NaN, weights restored): the trial still scored. */
  fitError?: string;
}

/** Mean, spread and 95% interval over seeds. */
export interface Spread {
  mean: number;
  std: number;
  /** 95% confidence interval of the mean (Student t over seeds). */
  ci95: [number, number];
  n: number;
}

export type FitVerdict = 'overfits' | 'underfits' | 'fits' | 'unknown';

/** Per variant and training size. */
export interface SizeSummary {
  variant: string;
  trainSize: number;
  testAccuracy: Spread;
  trainAccuracy: Spread;
  /** Train minus test accuracy. */
  gap: Spread;
  verdict: FitVerdict;
  /** The verdict in words. */
  explanation: string;
  failedTrials: number;
}

/** err(n) = a * n^(-b) + c, fitted to a variant's mean test error per size. */
export interface CurveFit {
  a: number;
  b: number;
  c: number;
  /** Root mean squared error of the fit on the means. */
  rmse: number;
  /** 2.5% and 97.5% bootstrap percentiles of each parameter. */
  interval: { a: [number, number]; b: [number, number]; c: [number, number] };
  /** Predicted test accuracy at sizes beyond the data (extrapolation) with bootstrap bands. */
  extrapolation: { trainSize: number; accuracy: number; low: number; high: number }[];
}

/** What a treatment is worth in data, against the baseline, at one size. */
export interface DataEquivalent {
  variant: string;
  trainSize: number;
  /** Baseline size with the same expected test accuracy (from the baseline's curve). */
  equivalentBaselineSize: number | null;
  /** equivalentBaselineSize / trainSize. `null` when beyond the baseline curve's reach. */
  worth: number | null;
  sentence: string;
}

export interface VariantSummary {
  variant: string;
  description?: string;
  sizes: SizeSummary[];
  curve: CurveFit | null;
  dataEquivalents: DataEquivalent[];
  /** Training size projected to reach the study's target accuracy, if reachable. */
  projectedSizeForTarget: number | null;
}

/** Mean, std and per-fold values of a score. */
export interface FoldScores {
  mean: number;
  std: number;
  folds: number[];
}

/**
 * Score against each value of one model option (scikit-learn's `validation_curve`): training and
 * cross-validated accuracy on one training subset of originals (never the test set).
 */
export interface StudyValidationCurve {
  variant: string;
  param: string;
  trainSize: number;
  seed: number;
  folds: number;
  metric: 'accuracy';
  points: { value: JsonValue; train: FoldScores; test: FoldScores; error?: string }[];
}

/** Everything a study produced: the source of truth for reports. */
export interface StudyResults {
  schemaVersion: 1;
  name: string;
  createdBy: string;
  config: {
    dataset: string;
    task: 'image' | 'tabular';
    classes: string[];
    originals: number;
    testSize: number;
    trainSizes: number[];
    seeds: number[];
    studySeed: number;
    targetAccuracy: number | null;
    validationFraction: number;
    /** Scaling of numeric table features (`minmax` for images: intensities / 255); absent in results written before it was recorded. */
    scaling?: 'standardize' | 'minmax' | 'none';
    variants: VariantSpec[];
    workers: number;
  };
  versions: { [name: string]: string };
  backend: string;
  /** Ids of the held-out test originals. */
  testIds: string[];
  trials: TrialRecord[];
  summaries: VariantSummary[];
  /** Plain-words conclusions, most important first. */
  verdicts: string[];
  /** When `StudyOptions.validationCurve` asked for one. */
  validationCurve?: StudyValidationCurve;
  /** Optional context for the report: cleaning summaries, quarantine counts, scrape stats. */
  context?: JsonObject;
  wallTimeMs: number;
}
