import {
  type Features,
  type FitOptions,
  type FitResult,
  type LabeledData,
  parseOptions,
} from '@growset/core';
import { z } from 'zod';
import { lossWeights } from '../loop/weights.ts';
import { BaseEstimator, singleEpochResult } from './base.ts';
import type { EstimatorDefinition } from './registry.ts';

const schema = z.strictObject({
  model: z.literal('majority').default('majority'),
  strategy: z.enum(['prior', 'uniform']).default('prior'),
});

export type MajorityParams = z.output<typeof schema>;

export interface MajorityOptions {
  /** `prior`: predict the class frequencies of the training data (weighted); `uniform`: equal probabilities. @default 'prior' */
  strategy?: 'prior' | 'uniform';
}

/** The majority-class baseline (scikit-learn's DummyClassifier): ignores the features. */
export class MajorityEstimator extends BaseEstimator<MajorityParams> {
  readonly name = 'majority';
  readonly supportsSampleWeight = true;
  #prior: Float64Array | undefined;

  constructor(options: MajorityOptions = {}) {
    const params = parseOptions(schema, { model: 'majority', ...options }, 'MajorityOptions');
    super(params);
  }

  protected async fitChecked(data: LabeledData, _options: FitOptions): Promise<FitResult> {
    const started = performance.now();
    const k = data.classes.length;
    const prior = new Float64Array(k);
    if (this.getParams().strategy === 'uniform') prior.fill(1 / k);
    else {
      const weights = lossWeights(data, undefined);
      let total = 0;
      for (let i = 0; i < data.y.length; i++) {
        prior[data.y[i]!]! += weights[i]!;
        total += weights[i]!;
      }
      for (let c = 0; c < k; c++) prior[c] = prior[c]! / total;
    }
    this.#prior = prior;
    return singleEpochResult(started, data.y.length);
  }

  protected async probaChecked(_features: Features, n: number): Promise<Float32Array> {
    const prior = this.#prior!;
    const k = prior.length;
    const out = new Float32Array(n * k);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] = prior[c]!;
    return out;
  }
}

/** The majority-class baseline. */
export function majority(options: MajorityOptions = {}): MajorityEstimator {
  return new MajorityEstimator(options);
}

/** `majority` in the estimator registry. */
export const majorityDefinition: EstimatorDefinition = {
  name: 'majority',
  summary: 'majority-class baseline: predicts the training class frequencies, ignores the features',
  optionsType: 'MajorityOptions',
  create: (spec) => new MajorityEstimator(spec as MajorityOptions),
  examples: [{ spec: { model: 'majority' } }],
  optOuts: { learns: 'a baseline that ignores the features: it predicts the class prior' },
};
