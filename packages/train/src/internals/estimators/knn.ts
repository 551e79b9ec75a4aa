import {
  type Features,
  type FitOptions,
  type FitResult,
  type LabeledData,
  parseOptions,
} from '@growset/core';
import { kNearestNeighbors } from '@growset/tables';
import { z } from 'zod';
import { BaseEstimator, singleEpochResult } from './base.ts';
import type { EstimatorDefinition } from './registry.ts';

const schema = z.strictObject({
  model: z.literal('knn').default('knn'),
  k: z.int().min(1).default(5),
  weights: z.enum(['uniform', 'distance']).default('uniform'),
});

export type KnnParams = z.output<typeof schema>;

export interface KnnOptions {
  /** Neighbours that vote. @default 5 */
  k?: number;
  /** `uniform` votes, or `distance`: each vote weighs 1 / distance (an exact match wins). @default 'uniform' */
  weights?: 'uniform' | 'distance';
}

/**
 * k-nearest neighbours (Euclidean) on the host, with the exact SIMD neighbour search of
 * @growset/tables (the one augment-tabular's SMOTE family uses). Sample weights multiply the votes.
 */
export class KnnEstimator extends BaseEstimator<KnnParams> {
  readonly name = 'knn';
  readonly supportsSampleWeight = true;
  #train:
    | {
        x: Float64Array;
        y: Int32Array;
        w: Float32Array | undefined;
        width: number;
        k: number;
      }
    | undefined;

  constructor(options: KnnOptions = {}) {
    super(parseOptions(schema, { model: 'knn', ...options }, 'KnnOptions'));
  }

  protected async fitChecked(data: LabeledData, _options: FitOptions): Promise<FitResult> {
    const started = performance.now();
    const width = data.featureShape.reduce((a, b) => a * b, 1);
    // Samples weighted 0 carry no vote: leave them out of the neighbour search.
    const rows: number[] = [];
    for (let i = 0; i < data.y.length; i++) if (!data.sampleWeight || data.sampleWeight[i]! > 0) rows.push(i);
    const n = rows.length;
    const x = new Float64Array(n * width);
    const y = new Int32Array(n);
    const w = data.sampleWeight ? new Float32Array(n) : undefined;
    rows.forEach((row, i) => {
      for (let j = 0; j < width; j++) x[i * width + j] = data.x[row * width + j]!;
      y[i] = data.y[row]!;
      if (w && data.sampleWeight) w[i] = data.sampleWeight[row]!;
    });
    this.#train = { x, y, w, width, k: data.classes.length };
    return singleEpochResult(started, data.y.length);
  }

  protected async probaChecked(features: Features, n: number): Promise<Float32Array> {
    const train = this.#train!;
    const { width, k: classes } = train;
    const m = train.y.length;
    const k = Math.min(this.getParams().k, m);
    const distanceWeighted = this.getParams().weights === 'distance';
    const out = new Float32Array(n * classes);
    if (n === 0) return out;
    // The one exact kNN (@growset/tables): squared Euclidean distances in float64, ties broken
    // by training order.
    const queries = Float64Array.from(features.x.subarray(0, n * width));
    const found = kNearestNeighbors(train.x, width, k, { queries });
    const votes = new Float64Array(classes);
    for (let q = 0; q < n; q++) {
      votes.fill(0);
      const exact = distanceWeighted && found.distances[q * k]! === 0;
      for (let j = 0; j < k; j++) {
        const i = found.indices[q * k + j]!;
        const d = Math.sqrt(found.distances[q * k + j]!);
        if (exact && d !== 0) continue;
        const w = (train.w ? train.w[i]! : 1) * (distanceWeighted && !exact ? 1 / d : 1);
        votes[train.y[i]!]! += w;
      }
      let total = 0;
      for (let c = 0; c < classes; c++) total += votes[c]!;
      for (let c = 0; c < classes; c++) out[q * classes + c] = total > 0 ? votes[c]! / total : 1 / classes;
    }
    return out;
  }
}

/** The k-nearest-neighbours baseline. */
export function knn(options: KnnOptions = {}): KnnEstimator {
  return new KnnEstimator(options);
}

/** `knn` in the estimator registry. */
export const knnDefinition: EstimatorDefinition = {
  name: 'knn',
  summary: 'k-nearest neighbours (Euclidean), uniform or distance-weighted votes',
  optionsType: 'KnnOptions',
  create: (spec) => new KnnEstimator(spec as KnnOptions),
  examples: [{ spec: { model: 'knn', k: 3 } }, { spec: { model: 'knn', k: 5, weights: 'distance' } }],
};
