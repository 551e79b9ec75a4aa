import type { JsonObject } from './json.ts';
import type { Rng } from './rng.ts';

/**
 * Features of `n` samples, row-major: `x.length === n * product(featureShape)`.
 * `featureShape` is `[d]` for tables and `[height, width, channels]` for images.
 */
export interface Features {
  readonly x: Float32Array;
  readonly featureShape: readonly number[];
}

/** Features with class targets. */
export interface LabeledData extends Features {
  /** Class index per sample, into `classes`. */
  readonly y: Int32Array;
  /** Class names; fixed by the caller so that every trial agrees on the class order. */
  readonly classes: readonly string[];
  /** Soft targets (`n * classes.length`), e.g. from mixup. When present, training uses them. */
  readonly yProb?: Float32Array;
  /** Per-sample weights (boosting, class balancing). */
  readonly sampleWeight?: Float32Array;
}

/** Scores of a model on a data set. */
export interface Metrics {
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  logLoss: number;
  /** `confusion[true][predicted]` counts. */
  confusion?: number[][];
  [metric: string]: number | number[][] | undefined;
}

export interface EpochLog {
  epoch: number;
  loss: number;
  valLoss?: number;
  [metric: string]: number | undefined;
}

export interface FitOptions {
  /** Source of all randomness in the fit (weight init, shuffling, dropout, bootstrap). */
  rng?: Rng;
  /** Held-out originals for early stopping. */
  validation?: LabeledData;
  signal?: AbortSignal;
  /** Called after each epoch (iterative models). */
  onEpochEnd?: (log: EpochLog) => void;
  /**
   * Fresh training data for each epoch (1-based), e.g. a new augmented version of every
   * training image: iterative models call it before every epoch and train that epoch on what it
   * returns, which must have as many rows as `data` and the same classes and feature shape.
   * `data` still fixes classes and shapes; models that fit in one pass (kNN, majority) and
   * ensembles ignore this and fit `data`.
   */
  epochData?: (epoch: number) => LabeledData | Promise<LabeledData>;
}

export interface FitResult {
  /** Epochs run (1 for non-iterative models). */
  epochs: number;
  history: EpochLog[];
  stoppedEarly: boolean;
  wallTimeMs: number;
  /** Training samples processed per second (samples x epochs / time). */
  samplesPerSecond?: number;
  /** Backend the model trained on (`tensorflow`, `wasm`, `cpu`, `js`). */
  backend?: string;
  /**
   * Set when training stopped on a failure it survived (a loss that became NaN or infinite): the
   * model holds the last good weights and can still predict; the message says what happened.
   */
  error?: string;
}

/**
 * The model contract every learner, baseline and ensemble implements (after scikit-learn):
 * parameters are the constructor options; `clone()` returns a fresh, untrained copy with the same
 * parameters; `fit` trains in place.
 */
export interface Estimator<Params extends JsonObject = JsonObject> {
  /** Short name for tables: `mlp`, `knn`, `bagging(mlp)`. */
  readonly name: string;
  fit(data: LabeledData, options?: FitOptions): Promise<FitResult>;
  /** Class probabilities, `n * classes.length`, row-major. */
  predictProba(features: Features): Promise<Float32Array>;
  /** Most probable class index per sample. */
  predict(features: Features): Promise<Int32Array>;
  score(data: LabeledData): Promise<Metrics>;
  getParams(): Params;
  clone(): Estimator<Params>;
  /** Whether `fit` honours `sampleWeight`. */
  readonly supportsSampleWeight: boolean;
  /** Frees tensors and workers. The estimator cannot be used afterwards. */
  dispose(): void;
}

/** Number of samples in a feature block. */
export function sampleCount(features: Features): number {
  const width = features.featureShape.reduce((a, b) => a * b, 1);
  return width === 0 ? 0 : features.x.length / width;
}
