import {
  type FitOptions,
  foldIndices,
  type JsonObject,
  type LabeledData,
  type Metrics,
  type Rng,
  stratifiedFolds,
} from '@growset/core';
import { subset } from '../data/subset.ts';
import { createEstimator } from '../estimators/registry.ts';

/** Metrics a search can rank by; `logLoss` is minimized, the others maximized. */
export const SEARCH_METRICS = ['accuracy', 'balancedAccuracy', 'macroF1', 'logLoss'] as const;
export type SearchMetric = (typeof SEARCH_METRICS)[number];

export interface CrossValidationOptions {
  /** Stratified folds. @default 5 */
  folds?: number;
  rng: Rng;
  signal?: AbortSignal;
  /** Use only this many training rows per fold (successive halving's sample budget). */
  maxTrainSamples?: number;
  /** Also score each fold's model on its own training rows (`trainFolds`). @default false */
  returnTrainScore?: boolean;
}

export interface CrossValidationResult {
  /** Test-fold metrics, one per fold (confusion matrices dropped). */
  folds: Metrics[];
  /** With `returnTrainScore`: each fold's model scored on its training rows. */
  trainFolds?: Metrics[];
  /** Mean of each metric over the folds. */
  mean: { accuracy: number; balancedAccuracy: number; macroF1: number; logLoss: number };
  fitTimeMs: number;
  backend?: string;
}

/** Fits a fresh estimator per stratified fold from `spec` and scores it on the held-out fold. */
export async function crossValidate(
  spec: JsonObject,
  data: LabeledData,
  options: CrossValidationOptions,
): Promise<CrossValidationResult> {
  const k = options.folds ?? 5;
  const fold = stratifiedFolds(data.y, data.classes.length, k, options.rng.fork('folds'));
  const metrics: Metrics[] = [];
  const trainMetrics: Metrics[] = [];
  let fitTimeMs = 0;
  let backend: string | undefined;
  for (let f = 0; f < k; f++) {
    let { train, test } = foldIndices(fold, f);
    if (test.length === 0) continue;
    if (options.maxTrainSamples !== undefined && train.length > options.maxTrainSamples) {
      // Keep a stratified-ish prefix: rows are already in a class-shuffled fold order.
      train = options.rng
        .fork(`subsample-${f}`)
        .sample(train, options.maxTrainSamples)
        .sort((a, b) => a - b);
    }
    const estimator = createEstimator(spec);
    try {
      const fitOptions: FitOptions = {
        rng: options.rng.fork(`fold-${f}`),
        ...(options.signal ? { signal: options.signal } : {}),
      };
      const trainData = subset(data, train);
      const result = await estimator.fit(trainData, fitOptions);
      fitTimeMs += result.wallTimeMs;
      backend ??= result.backend;
      if (options.returnTrainScore) {
        const { confusion: _c, ...scores } = await estimator.score(trainData);
        trainMetrics.push(scores as Metrics);
      }
      const { confusion: _confusion, ...scores } = await estimator.score(subset(data, test));
      metrics.push(scores as Metrics);
    } finally {
      estimator.dispose();
    }
  }
  const mean = (key: SearchMetric) =>
    metrics.reduce((s, m) => s + (m[key] as number), 0) / Math.max(1, metrics.length);
  return {
    folds: metrics,
    ...(options.returnTrainScore ? { trainFolds: trainMetrics } : {}),
    mean: {
      accuracy: mean('accuracy'),
      balancedAccuracy: mean('balancedAccuracy'),
      macroF1: mean('macroF1'),
      logLoss: mean('logLoss'),
    },
    fitTimeMs,
    ...(backend ? { backend } : {}),
  };
}
