import {
  type Features,
  type FitOptions,
  type FitResult,
  type JsonObject,
  type LabeledData,
  parseOptions,
} from '@growset/core';
import { z } from 'zod';
import { BaseEstimator, type EstimatorDefinition } from '../../src/index.ts';

const schema = z.strictObject({
  model: z.literal('test-centroid').default('test-centroid'),
  temperature: z.number().positive().default(1),
});

/**
 * A user's own estimator, as the README's "How to add an estimator" writes one: nearest class
 * centroid, probabilities `softmax(-distance^2 / temperature)`. It ignores sample weights and says
 * so, so the conformance suite must take its opt-out.
 */
export class CentroidEstimator extends BaseEstimator<z.output<typeof schema> & JsonObject> {
  readonly name = 'test-centroid';
  readonly supportsSampleWeight = false;
  #centroids: Float64Array | undefined;

  constructor(options: JsonObject = {}) {
    super(parseOptions(schema, { model: 'test-centroid', ...options }, 'CentroidOptions'));
  }

  protected async fitChecked(data: LabeledData, _options: FitOptions): Promise<FitResult> {
    const started = performance.now();
    const d = data.featureShape.reduce((a, b) => a * b, 1);
    const k = data.classes.length;
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < data.y.length; i++) {
      const c = data.y[i]!;
      counts[c]! += 1;
      for (let j = 0; j < d; j++) sums[c * d + j]! += data.x[i * d + j]!;
    }
    for (let c = 0; c < k; c++)
      for (let j = 0; j < d; j++) sums[c * d + j] = sums[c * d + j]! / Math.max(1, counts[c]!);
    this.#centroids = sums;
    return {
      epochs: 1,
      history: [],
      stoppedEarly: false,
      wallTimeMs: Math.max(1e-3, performance.now() - started),
    };
  }

  protected async probaChecked(features: Features, n: number): Promise<Float32Array> {
    const k = this.fitted!.classes.length;
    const d = features.featureShape.reduce((a, b) => a * b, 1);
    const t = this.getParams().temperature;
    const out = new Float32Array(n * k);
    const logits = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (features.x[i * d + j]! - this.#centroids![c * d + j]!) ** 2;
        logits[c] = -s / t;
        max = Math.max(max, logits[c]!);
      }
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(logits[c]! - max);
      for (let c = 0; c < k; c++) out[i * k + c] = Math.exp(logits[c]! - max) / sum;
    }
    return out;
  }
}

export const centroidDefinition: EstimatorDefinition = {
  name: 'test-centroid',
  summary: 'nearest class centroid (a test of user-registered estimators)',
  optionsType: 'CentroidOptions',
  create: (spec) => new CentroidEstimator(spec),
  examples: [{ spec: { model: 'test-centroid', temperature: 2 } }],
  optOuts: { sampleWeight: 'every class centroid is an unweighted mean' },
};
