import type { EpochLog, FoldScores, JsonObject, JsonValue, Metrics } from '@growset/core';
import type { CurveFamily, CurveShape, HeldOutScore } from './curve.ts';

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

/**
 * Moving the decision threshold instead of resampling (binary classification): the threshold on
 * the positive class's probability is tuned, in each trial, on the validation originals carved
 * from its training subset (on the training originals when there are none), never on the test
 * set, and applied to every prediction. Tuned by `tuneThreshold` of `@growset/augment-tabular`.
 */
export interface ThresholdSpec {
  /** Score maximized: `balancedAccuracy`, `f1` (of the positive class), `macroF1`, `accuracy`. @default 'balancedAccuracy' */
  metric?: 'balancedAccuracy' | 'f1' | 'macroF1' | 'accuracy';
  /** The positive class (whose probability is thresholded). @default the study's rarer class */
  positive?: string;
}

/** One treatment, applied to the base model. JSON only: workers rebuild everything from it. */
export interface VariantSpec {
  /** Unique short name: `baseline`, `l2`, `dropout`, `augment`, `bagging`... */
  name: string;
  /** What it is, in words, for the report. */
  description?: string;
  /** The estimator spec, as understood by the study's estimator factory. */
  model: JsonObject;
  augment?: AugmentSpec;
  /** Tune and apply a decision threshold (binary classification). */
  threshold?: ThresholdSpec;
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
  /** Outer test split (0 when the study has one). */
  split?: number;
  /** Predicted class of every test item, in `testIds` order (compare.ts: `encodePredictions`). */
  testPredictions?: string;
  /** Why the trial failed, when it did. */
  error?: string;
  /**
   * The decision threshold a `threshold` variant chose: on the `positive` class's probability,
   * tuned on `on` rows for `metric` (`score` there, against `scoreAtHalf` at 0.5).
   */
  threshold?: {
    value: number;
    positive: string;
    metric: string;
    on: 'validation' | 'train';
    score: number;
    scoreAtHalf: number;
  };
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

/** One point of a fitted curve with its 95% bootstrap band. */
export interface CurvePoint {
  trainSize: number;
  accuracy: number;
  low: number;
  high: number;
}

/**
 * The learning curve of a variant: a family chosen among several by how well it predicts the
 * largest size from the smaller ones, fitted to the mean test error per size. Fields after
 * `extrapolation` are absent from results written before several families were fitted (then the
 * family is `pow3`).
 */
export interface CurveFit {
  /** Parameters of the family's formula (`formula` spells it out). */
  a: number;
  b: number;
  c: number;
  /** Root mean squared error of the fit on the means. */
  rmse: number;
  /** 2.5% and 97.5% bootstrap percentiles of each parameter. */
  interval: { a: [number, number]; b: [number, number]; c: [number, number] };
  /**
   * Predicted test accuracy beyond the largest size measured, with bootstrap bands: extrapolations.
   * Empty when the curve is ill-behaved.
   */
  extrapolation: CurvePoint[];
  family?: CurveFamily;
  formula?: string;
  /** The curve and its band over the measured sizes (and, when well-behaved, the extrapolation). */
  band?: (CurvePoint & { extrapolated: boolean })[];
  /** Each family's error at the largest size when fitted on the smaller sizes. */
  heldOut?: HeldOutScore[];
  /** `monotone`, or an ill-behaved curve that is not extrapolated. */
  shape?: CurveShape;
  /** The accuracy the curve levels off at, with its band; null when the family has no asymptote. */
  asymptote?: { accuracy: number; low: number; high: number } | null;
  /** True when the asymptote is read off too few sizes (under 5, or a range under 8x): a guess. */
  ceilingIsGuess?: boolean;
}

/** What a treatment is worth in data, against the baseline, at one size. */
export interface DataEquivalent {
  variant: string;
  trainSize: number;
  /** Baseline size with the same expected test accuracy (from the baseline's curve). */
  equivalentBaselineSize: number | null;
  /** equivalentBaselineSize / trainSize. `null` when beyond the baseline curve's reach. */
  worth: number | null;
  /**
   * 95% interval of the worth, from the paired difference's interval read off the baseline's curve;
   * an upper bound of null means beyond the curve's reach (unbounded).
   */
  worthInterval?: [number, number | null];
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

export type ComparisonMetric = 'accuracy' | 'balancedAccuracy' | 'macroF1';
export type ComparisonVerdict = 'helps' | 'hurts' | 'no detectable difference';

/** A treatment minus the baseline at one size, paired on (split, seed) and test items. */
export interface Comparison {
  variant: string;
  trainSize: number;
  metric: ComparisonMetric;
  /** Mean over pairs of the treatment's metric minus the baseline's. */
  difference: number;
  /** 95% interval of the difference (seeds and test items both random). */
  ci: [number, number];
  /** `helps` when the interval is above zero, `hurts` below, else `no detectable difference`. */
  verdict: ComparisonVerdict;
  /** Standard error of the difference. */
  se: number;
  /** Satterthwaite degrees of freedom; null when the data show no spread at all. */
  df: number | null;
  /** (split, seed) pairs with both trials successful. */
  pairs: number;
  /** Smallest true difference this comparison finds 80% of the time at the 95% level. */
  minimumDetectable: number;
  /**
   * Simultaneous 95% interval over the family (every treatment compared with the baseline at this
   * size on this metric): Bonferroni, each at level 1 - 0.05 / family.size.
   */
  ciFamily?: [number, number];
  /** The verdict read off `ciFamily`. */
  verdictFamily?: ComparisonVerdict;
  /** The family the adjustment is over: how many comparisons, and how. */
  family?: ComparisonFamily;
}

/** A family of comparisons adjusted together (all treatments at one size, one metric). */
export interface ComparisonFamily {
  /** Comparisons in the family (treatments compared with the baseline at this size). */
  size: number;
  method: 'bonferroni';
  /** Family-wise confidence level. */
  level: number;
}

/** What the study can detect. */
export interface StudyPower {
  metric: 'accuracy';
  /** Median over comparisons of the minimum detectable difference. */
  minimumDetectable: number;
  range: [number, number];
  bySize: { trainSize: number; minimumDetectable: number }[];
  testItems: number;
  seeds: number;
  splits: number;
  level: number;
  power: number;
  sentence: string;
  /** Present when the minimum detectable difference is above 3 points. */
  warning?: string;
}

export type { FoldScores };

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
    /** Outer test splits, the whole study run on each (disjoint test sets). */
    testSplits?: number;
    trainSizes: number[];
    seeds: number[];
    studySeed: number;
    targetAccuracy: number | null;
    validationFraction: number;
    /** Scaling of numeric table features (`minmax` for images: intensities / 255); absent in results written before it was recorded. */
    scaling?: 'standardize' | 'minmax' | 'none';
    variants: VariantSpec[];
    /**
     * Worker threads of this process; with `queue`, the worker processes that returned this
     * run's trials through it.
     */
    workers: number;
    /** The queue trials went through (`redis://***@host:6379/0`, no credentials), when not local. */
    queue?: string;
  };
  versions: { [name: string]: string };
  backend: string;
  /** Ids of the held-out test originals (of the first split). */
  testIds: string[];
  /** With several test splits: each split's test ids (the first is `testIds`). */
  testSplitIds?: string[][];
  /** True labels of `testIds`, in order (what `testPredictions` are scored against). */
  testLabels?: string[];
  /** With several test splits: each split's test labels (the first is `testLabels`). */
  testSplitLabels?: string[][];
  trials: TrialRecord[];
  summaries: VariantSummary[];
  /** Each treatment against the baseline, paired, per size and metric. */
  comparisons?: Comparison[];
  /** The smallest differences the study can detect. */
  power?: StudyPower | null;
  /** Plain-words conclusions, most important first. */
  verdicts: string[];
  /** When `StudyOptions.validationCurve` asked for one. */
  validationCurve?: StudyValidationCurve;
  /** Optional context for the report: cleaning summaries, quarantine counts, scrape stats. */
  context?: JsonObject;
  wallTimeMs: number;
}
