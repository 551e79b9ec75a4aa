import {
  errorMessage,
  type FoldScores,
  foldScores,
  type JsonObject,
  type JsonValue,
  type LabeledData,
  type Rng,
} from '@growset/core';
import { createEstimator } from '../estimators/registry.ts';
import { crossValidate, type SearchMetric } from './cross-validate.ts';
import { candidateSpec } from './space.ts';

export interface ValidationCurveOptions {
  /** The option to vary: any spec field, or an mlp's `layers` / `units` (see `candidateSpec`). */
  param: string;
  /** Its values, in the order to plot them. */
  values: JsonValue[];
  /** Stratified folds, the same for every value. @default 5 */
  folds?: number;
  /** @default 'accuracy' */
  metric?: SearchMetric;
  rng: Rng;
  signal?: AbortSignal;
}

export type { FoldScores };

export interface ValidationCurvePoint {
  value: JsonValue;
  /** The spec trained for this value. */
  spec: JsonObject;
  /** Each fold's model scored on its own training rows. */
  train: FoldScores;
  /** Each fold's model scored on its held-out fold (cross-validated). */
  test: FoldScores;
  fitTimeMs: number;
  /** Set when this value's fits failed (its scores are NaN). */
  error?: string;
}

export interface ValidationCurve {
  param: string;
  metric: SearchMetric;
  folds: number;
  points: ValidationCurvePoint[];
}

/**
 * Training and cross-validated scores for each value of one hyperparameter, the others fixed at
 * `spec`, as scikit-learn's `validation_curve`: every value is fitted on the same stratified folds,
 * and each fold's model is scored on its training rows and on its held-out fold. A gap that grows
 * along the curve is overfitting; two low curves are underfitting.
 */
export async function validationCurve(
  spec: JsonObject,
  data: LabeledData,
  options: ValidationCurveOptions,
): Promise<ValidationCurve> {
  const metric = options.metric ?? 'accuracy';
  const folds = options.folds ?? 5;
  // Every spec is built up front: a misspelt option or a bad value fails before any training.
  const specs = options.values.map((value) => {
    const pointSpec = candidateSpec(spec, { [options.param]: value });
    createEstimator(pointSpec).dispose();
    return pointSpec;
  });
  const points: ValidationCurvePoint[] = [];
  for (const [i, value] of options.values.entries()) {
    const pointSpec = specs[i]!;
    try {
      // The same rng for every value: the same folds and the same initializations.
      const cv = await crossValidate(pointSpec, data, {
        folds,
        rng: options.rng,
        returnTrainScore: true,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      points.push({
        value,
        spec: pointSpec,
        train: foldScores((cv.trainFolds ?? []).map((m) => m[metric] as number)),
        test: foldScores(cv.folds.map((m) => m[metric] as number)),
        fitTimeMs: cv.fitTimeMs,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const nan = { mean: Number.NaN, std: Number.NaN, folds: [] };
      points.push({
        value,
        spec: pointSpec,
        train: nan,
        test: nan,
        fitTimeMs: 0,
        error: errorMessage(error),
      });
    }
  }
  return { param: options.param, metric, folds, points };
}
