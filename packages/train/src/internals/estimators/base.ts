import {
  argmaxRows,
  classificationMetrics,
  type Estimator,
  type Features,
  type FitOptions,
  type FitResult,
  GrowsetError,
  type JsonObject,
  type LabeledData,
  type Metrics,
  Rng,
} from '@growset/core';
import { alignLabels, checkFeatures, checkLabeled } from '../data/validate.ts';
import { createEstimator } from './registry.ts';

/** What a fitted estimator remembers about its training data. */
export interface FittedShape {
  classes: readonly string[];
  featureShape: readonly number[];
}

/** The Rng of a fit: the caller's, or a fixed default so that an unseeded fit is reproducible too. */
export function fitRng(options: FitOptions | undefined, label: string): Rng {
  return (options?.rng ?? Rng.create(0)).fork(label);
}

/**
 * Shared behaviour of growset's estimators: input checks, `predict` from `predictProba`, `score`
 * with class alignment, and the fitted/disposed state. Subclasses implement `fitChecked` and
 * `probaChecked` on validated data.
 */
export abstract class BaseEstimator<P extends JsonObject> implements Estimator<P> {
  abstract readonly name: string;
  abstract readonly supportsSampleWeight: boolean;
  protected fitted: FittedShape | undefined;
  protected disposed = false;
  readonly #params: P;

  protected constructor(params: P) {
    this.#params = params;
  }

  getParams(): P {
    return structuredClone(this.#params);
  }

  /**
   * A fresh, untrained estimator with the same params, built by the estimator registry from
   * `getParams()` (so a subclass needs no clone of its own, only a registered `model` name).
   */
  clone(): Estimator<P> {
    return createEstimator(this.getParams()) as Estimator<P>;
  }

  async fit(data: LabeledData, options?: FitOptions): Promise<FitResult> {
    this.#checkAlive();
    checkLabeled(data);
    if (options?.validation) {
      checkFeatures(options.validation, 'validation data', data.featureShape);
      alignLabels(options.validation, data.classes, 'validation data');
    }
    if (options?.signal?.aborted) throw options.signal.reason;
    const result = await this.fitChecked(data, options ?? {});
    this.fitted = { classes: [...data.classes], featureShape: [...data.featureShape] };
    return result;
  }

  protected abstract fitChecked(data: LabeledData, options: FitOptions): Promise<FitResult>;

  async predictProba(features: Features): Promise<Float32Array> {
    const fitted = this.#checkFitted();
    const n = checkFeatures(features, 'features', fitted.featureShape);
    if (n === 0) return new Float32Array(0);
    return this.probaChecked(features, n);
  }

  protected abstract probaChecked(features: Features, n: number): Promise<Float32Array>;

  async predict(features: Features): Promise<Int32Array> {
    const proba = await this.predictProba(features);
    return argmaxRows(proba, this.#checkFitted().classes.length);
  }

  async score(data: LabeledData): Promise<Metrics> {
    const fitted = this.#checkFitted();
    const y = alignLabels(data, fitted.classes, 'scored data');
    const proba = await this.predictProba(data);
    return classificationMetrics(y, proba, fitted.classes.length);
  }

  dispose(): void {
    this.disposed = true;
    this.fitted = undefined;
  }

  #checkAlive(): void {
    if (this.disposed)
      throw new GrowsetError(`The ${this.name} estimator was disposed; clone() a fresh one`, {
        code: 'ERR_DISPOSED',
      });
  }

  #checkFitted(): FittedShape {
    this.#checkAlive();
    if (!this.fitted)
      throw new GrowsetError(`The ${this.name} estimator is not fitted yet: call fit() first`, {
        code: 'ERR_NOT_FITTED',
      });
    return this.fitted;
  }
}

/** Wall time helper for non-iterative fits. */
export function singleEpochResult(started: number, n: number, backend?: string): FitResult {
  const wallTimeMs = performance.now() - started;
  return {
    epochs: 1,
    history: [],
    stoppedEarly: false,
    wallTimeMs,
    samplesPerSecond: wallTimeMs > 0 ? (n * 1000) / wallTimeMs : 0,
    ...(backend ? { backend } : {}),
  };
}
