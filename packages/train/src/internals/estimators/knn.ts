import {
  type Features,
  type FitOptions,
  type FitResult,
  type LabeledData,
  parseOptions,
} from '@growset/core';
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
 * k-nearest neighbours (Euclidean) on the host: brute force over the training set with a partial
 * selection of the k smallest distances. Sample weights multiply the votes.
 */
export class KnnEstimator extends BaseEstimator<KnnParams> {
  readonly name = 'knn';
  readonly supportsSampleWeight = true;
  #train:
    | {
        x: Float32Array;
        y: Int32Array;
        w: Float32Array | undefined;
        norms: Float64Array;
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
    const x = new Float32Array(n * width);
    const y = new Int32Array(n);
    const w = data.sampleWeight ? new Float32Array(n) : undefined;
    const norms = new Float64Array(n);
    rows.forEach((row, i) => {
      x.set(data.x.subarray(row * width, (row + 1) * width), i * width);
      y[i] = data.y[row]!;
      if (w && data.sampleWeight) w[i] = data.sampleWeight[row]!;
      let s = 0;
      for (let j = i * width; j < (i + 1) * width; j++) s += x[j]! * x[j]!;
      norms[i] = s;
    });
    this.#train = { x, y, w, norms, width, k: data.classes.length };
    return singleEpochResult(started, data.y.length);
  }

  protected async probaChecked(features: Features, n: number): Promise<Float32Array> {
    const train = this.#train!;
    const { width, k: classes } = train;
    const m = train.y.length;
    const k = Math.min(this.getParams().k, m);
    const distanceWeighted = this.getParams().weights === 'distance';
    const out = new Float32Array(n * classes);
    const dist = new Float64Array(m);
    const bestIndex = new Int32Array(k);
    const bestDist = new Float64Array(k);
    const votes = new Float64Array(classes);
    for (let q = 0; q < n; q++) {
      const base = q * width;
      let qNorm = 0;
      for (let j = 0; j < width; j++) qNorm += features.x[base + j]! * features.x[base + j]!;
      for (let i = 0; i < m; i++) {
        let dot = 0;
        const row = i * width;
        for (let j = 0; j < width; j++) dot += features.x[base + j]! * train.x[row + j]!;
        dist[i] = Math.max(0, qNorm + train.norms[i]! - 2 * dot);
      }
      // k smallest, ties broken by training order (stable, deterministic).
      let filled = 0;
      for (let i = 0; i < m; i++) {
        const d = dist[i]!;
        if (filled < k) {
          let p = filled++;
          while (p > 0 && bestDist[p - 1]! > d) {
            bestDist[p] = bestDist[p - 1]!;
            bestIndex[p] = bestIndex[p - 1]!;
            p--;
          }
          bestDist[p] = d;
          bestIndex[p] = i;
        } else if (d < bestDist[k - 1]!) {
          let p = k - 1;
          while (p > 0 && bestDist[p - 1]! > d) {
            bestDist[p] = bestDist[p - 1]!;
            bestIndex[p] = bestIndex[p - 1]!;
            p--;
          }
          bestDist[p] = d;
          bestIndex[p] = i;
        }
      }
      votes.fill(0);
      const exact = distanceWeighted && bestDist[0]! === 0;
      for (let j = 0; j < k; j++) {
        const i = bestIndex[j]!;
        const d = Math.sqrt(bestDist[j]!);
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
