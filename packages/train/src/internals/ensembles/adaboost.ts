import {
  type Features,
  type FitOptions,
  type FitResult,
  type JsonObject,
  type LabeledData,
  OptionsError,
  parseOptions,
} from '@growset/core';
import { z } from 'zod';
import { withWeights } from '../data/subset.ts';
import { fitRng } from '../estimators/base.ts';
import type { EstimatorDefinition } from '../estimators/registry.ts';
import { EnsembleEstimator, ensembleName, memberSpecSchema } from './members.ts';

const schema = z.strictObject({
  model: z.literal('adaboost').default('adaboost'),
  base: memberSpecSchema.default({ model: 'logistic', epochs: 30 }),
  n: z.int().min(1).max(1000).default(10),
  learningRate: z.number().positive().default(1),
});

export type AdaBoostParams = z.output<typeof schema>;

export interface AdaBoostOptions {
  /** Spec of an estimator that honours sample weights. @default { model: 'logistic', epochs: 30 } */
  base?: JsonObject;
  /** Boosting rounds (fewer when a member is perfect or no better than chance). @default 10 */
  n?: number;
  /** Shrinks each member's weight. @default 1 */
  learningRate?: number;
}

export interface AdaBoostFitResult extends FitResult {
  /** Weight (alpha) of each kept member. */
  alphas: number[];
  /** Weighted training error of each kept member. */
  errors: number[];
  /** Why boosting stopped before `n` rounds, if it did. */
  stopReason?: string;
}

/**
 * AdaBoost SAMME (Zhu et al., 2009), multi-class, over any estimator that takes sample weights:
 * each round fits a member on the current weights, gives it `alpha = lr * (log((1 - err) / err)
 * + log(K - 1))`, and multiplies the weights of its mistakes by `exp(alpha)`.
 */
export class AdaBoostEstimator extends EnsembleEstimator<AdaBoostParams & JsonObject> {
  readonly name: string;
  readonly supportsSampleWeight = true;
  #alphas: number[] = [];

  constructor(options: AdaBoostOptions | JsonObject = {}) {
    const params = parseOptions(schema, { model: 'adaboost', ...options }, 'AdaBoostOptions');
    super(params as AdaBoostParams & JsonObject, 'AdaBoostOptions');
    const probe = this.buildMember(params.base, 'base');
    this.name = ensembleName('adaboost', [probe]);
    const weighted = probe.supportsSampleWeight;
    probe.dispose();
    if (!weighted) {
      throw new OptionsError({
        optionsType: 'AdaBoostOptions',
        field: 'base',
        expected: 'an estimator that supports sample weights',
        received: params.base,
      });
    }
  }

  protected async fitChecked(data: LabeledData, options: FitOptions): Promise<AdaBoostFitResult> {
    const started = performance.now();
    const params = this.getParams();
    const rng = fitRng(options, this.name);
    this.disposeMembers();
    const n = data.y.length;
    const k = data.classes.length;
    const weights = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      weights[i] = data.sampleWeight ? data.sampleWeight[i]! : 1;
      total += weights[i]!;
    }
    for (let i = 0; i < n; i++) weights[i] = weights[i]! / total;
    const errors: number[] = [];
    let stopReason: string | undefined;
    let backend: string | undefined;
    for (let round = 0; round < params.n; round++) {
      const member = this.buildMember(params.base, 'base');
      const weighted = withWeights(data, Float32Array.from(weights));
      const result = await this.fitMember(member, weighted, rng.fork(`round-${round}`), options);
      backend ??= result.backend;
      const predicted = await member.predict(data);
      let error = 0;
      for (let i = 0; i < n; i++) if (predicted[i] !== data.y[i]) error += weights[i]!;
      if (error >= 1 - 1 / k) {
        member.dispose();
        stopReason = `round ${round + 1}: weighted error ${error.toFixed(4)} is no better than chance (${(1 - 1 / k).toFixed(4)})`;
        if (this.members.length === 0) {
          throw new Error(
            `AdaBoost's first member is no better than chance (weighted error ${error.toFixed(4)}); use a stronger base estimator`,
          );
        }
        break;
      }
      this.members.push(member);
      errors.push(error);
      if (error <= 0) {
        this.#alphas.push(1);
        stopReason = `round ${round + 1}: the member fits the weighted training data perfectly`;
        break;
      }
      const alpha = params.learningRate * (Math.log((1 - error) / error) + Math.log(k - 1));
      this.#alphas.push(alpha);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        if (predicted[i] !== data.y[i]) weights[i] = weights[i]! * Math.exp(alpha);
        sum += weights[i]!;
      }
      for (let i = 0; i < n; i++) weights[i] = weights[i]! / sum;
    }
    return {
      epochs: this.members.length,
      history: [],
      stoppedEarly: stopReason !== undefined,
      wallTimeMs: performance.now() - started,
      alphas: [...this.#alphas],
      errors,
      ...(stopReason ? { stopReason } : {}),
      ...(backend ? { backend } : {}),
    };
  }

  /** SAMME probabilities: `softmax(decision / (K - 1))`, decision = alpha-weighted votes / sum(alpha). */
  protected async probaChecked(features: Features, n: number): Promise<Float32Array> {
    const k = this.fitted!.classes.length;
    const decision = new Float64Array(n * k);
    const totalAlpha = this.#alphas.reduce((a, b) => a + b, 0);
    for (let m = 0; m < this.members.length; m++) {
      const predicted = await this.members[m]!.predict(features);
      const alpha = this.#alphas[m]! / totalAlpha;
      for (let i = 0; i < n; i++) decision[i * k + predicted[i]!]! += alpha;
    }
    const out = new Float32Array(n * k);
    for (let i = 0; i < n; i++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) max = Math.max(max, decision[i * k + c]!);
      let sum = 0;
      for (let c = 0; c < k; c++) {
        const e = Math.exp((decision[i * k + c]! - max) / Math.max(1, k - 1));
        out[i * k + c] = e;
        sum += e;
      }
      for (let c = 0; c < k; c++) out[i * k + c] = out[i * k + c]! / sum;
    }
    return out;
  }

  protected override disposeMembers(): void {
    super.disposeMembers();
    this.#alphas = [];
  }
}

/** AdaBoost SAMME over a base spec. */
export function adaBoost(options: AdaBoostOptions = {}): AdaBoostEstimator {
  return new AdaBoostEstimator(options);
}

/** `adaboost` in the estimator registry. */
export const adaBoostDefinition: EstimatorDefinition = {
  name: 'adaboost',
  summary: 'AdaBoost SAMME over a base spec that takes sample weights',
  optionsType: 'AdaBoostOptions',
  create: (spec) => new AdaBoostEstimator(spec),
  examples: [
    { spec: { model: 'adaboost', base: { model: 'logistic', epochs: 10, learningRate: 0.05 }, n: 3 } },
  ],
};
