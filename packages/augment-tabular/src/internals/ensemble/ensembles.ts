import {
  argmaxRows,
  classificationMetrics,
  type Estimator,
  type Features,
  type FitOptions,
  type FitResult,
  type JsonObject,
  type LabeledData,
  type Metrics,
  parseOptions,
  Rng,
  sampleCount,
} from '@growset/core';
import { z } from 'zod';
import { parseResampleOptions, type ResampleOptions } from '../options.ts';
import { resampleData, subsetRows, underSampleRows } from './data.ts';

/** Options every balanced ensemble takes. */
export interface BalancedEnsembleOptions {
  /** The base learner; each member is a `clone()` of it (it is never trained itself). */
  estimator: Estimator;
  /** Members. @default 10 */
  nEstimators?: number;
}

/** Balanced bagging (imbalanced-learn's `BalancedBaggingClassifier`). */
export interface BalancedBaggingOptions extends BalancedEnsembleOptions {
  /** Resampling applied to each member's bootstrap. @default { method: 'randomUnderSample' } */
  sampler?: ResampleOptions;
  /** Draw each member's rows with replacement before resampling. @default true */
  bootstrap?: boolean;
  /** Rows drawn per member, as a fraction of the training rows. @default 1 */
  maxSamples?: number;
}

/** EasyEnsemble (Liu, Wu and Zhou, 2009): boosted learners on balanced random under-samples. */
export interface EasyEnsembleOptions extends BalancedEnsembleOptions {
  /** AdaBoost (SAMME) rounds inside each member; 1 trains the base learner once. @default 10 */
  boostRounds?: number;
  /** @default 1 */
  learningRate?: number;
}

/** RUSBoost (Seiffert et al., 2010): AdaBoost (SAMME) with random under-sampling before each round. */
export interface RusBoostOptions extends BalancedEnsembleOptions {
  /** @default 1 */
  learningRate?: number;
}

const estimatorSchema = z.custom<Estimator>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Estimator).clone === 'function' &&
    typeof (v as Estimator).fit === 'function' &&
    typeof (v as Estimator).predictProba === 'function',
  { error: 'an Estimator (an object with fit, predictProba and clone)' },
);
const base = { estimator: estimatorSchema, nEstimators: z.int().min(1).max(10000).default(10) };
const baggingSchema = z.strictObject({
  ...base,
  sampler: z.custom<ResampleOptions>((v) => typeof v === 'object' && v !== null).optional(),
  bootstrap: z.boolean().default(true),
  maxSamples: z.number().gt(0).max(1).default(1),
});
const easySchema = z.strictObject({
  ...base,
  boostRounds: z.int().min(1).max(10000).default(10),
  learningRate: z.number().gt(0).max(100).default(1),
});
const rusSchema = z.strictObject({ ...base, learningRate: z.number().gt(0).max(100).default(1) });

interface Member {
  readonly model: Estimator;
  /** Vote weight (SAMME); 1 for averaged members. */
  readonly weight: number;
}

/** What the ensembles share: members, averaging or weighted votes, scoring, cloning, disposing. */
abstract class MemberEnsemble<Params extends JsonObject> implements Estimator<Params> {
  abstract readonly name: string;
  readonly supportsSampleWeight: boolean = false;
  protected members: Member[] = [];
  protected classes = 0;
  /** `average`: mean of member probabilities; `samme`: AdaBoost's weighted votes. */
  protected abstract readonly combine: 'average' | 'samme';

  abstract fit(data: LabeledData, options?: FitOptions): Promise<FitResult>;
  abstract getParams(): Params;
  abstract clone(): Estimator<Params>;

  /** Member weights (SAMME's alphas, or 1s). */
  get memberWeights(): number[] {
    return this.members.map((m) => m.weight);
  }

  async predictProba(features: Features): Promise<Float32Array> {
    const n = sampleCount(features);
    const k = this.classes;
    const sum = new Float64Array(n * k);
    let total = 0;
    for (const { model, weight } of this.members) {
      const proba = await model.predictProba(features);
      if (this.combine === 'average') {
        for (let i = 0; i < sum.length; i++) sum[i]! += proba[i]!;
      } else {
        const votes = argmaxRows(proba, k);
        for (let i = 0; i < n; i++) sum[i * k + votes[i]!]! += weight;
      }
      total += weight;
    }
    const out = new Float32Array(n * k);
    for (let i = 0; i < n; i++) {
      if (this.combine === 'average') {
        for (let c = 0; c < k; c++) out[i * k + c] = sum[i * k + c]! / (total || 1);
        continue;
      }
      // scikit-learn's SAMME probabilities: softmax of the normalized decision / (classes - 1).
      let max = Number.NEGATIVE_INFINITY;
      const scale = (total || 1) * Math.max(1, k - 1);
      for (let c = 0; c < k; c++) max = Math.max(max, sum[i * k + c]! / scale);
      let z = 0;
      for (let c = 0; c < k; c++) z += Math.exp(sum[i * k + c]! / scale - max);
      for (let c = 0; c < k; c++) out[i * k + c] = Math.exp(sum[i * k + c]! / scale - max) / z;
    }
    return out;
  }

  async predict(features: Features): Promise<Int32Array> {
    return argmaxRows(await this.predictProba(features), this.classes);
  }

  async score(data: LabeledData): Promise<Metrics> {
    return classificationMetrics(data.y, await this.predictProba(data), data.classes.length);
  }

  dispose(): void {
    for (const { model } of this.members) model.dispose();
    this.members = [];
  }

  protected reset(data: LabeledData): void {
    this.dispose();
    this.classes = data.classes.length;
  }
}

function result(start: number, rows: number, members: number): FitResult {
  const wallTimeMs = performance.now() - start;
  return {
    epochs: members,
    history: [],
    stoppedEarly: false,
    wallTimeMs,
    samplesPerSecond: wallTimeMs > 0 ? (rows * members * 1000) / wallTimeMs : 0,
  };
}

/**
 * Balanced bagging: each member is trained on a bootstrap of the rows (`maxSamples` of them, with
 * replacement) resampled by `sampler` (random under-sampling to the smallest class by default);
 * probabilities are averaged. Any resampling method works as the sampler (SMOTE gives
 * over-bagging).
 */
export class BalancedBagging extends MemberEnsemble<JsonObject> {
  readonly name: string;
  protected readonly combine = 'average' as const;
  readonly #options: z.output<typeof baggingSchema>;
  readonly #sampler: ResampleOptions;

  constructor(options: BalancedBaggingOptions) {
    super();
    this.#options = parseOptions(baggingSchema, options, 'BalancedBaggingOptions');
    this.#sampler = this.#options.sampler ?? { method: 'randomUnderSample' };
    parseResampleOptions(this.#sampler, 'BalancedBaggingOptions.sampler');
    this.name = `balancedBagging(${this.#options.estimator.name})`;
  }

  async fit(data: LabeledData, options: FitOptions = {}): Promise<FitResult> {
    const start = performance.now();
    this.reset(data);
    const rng = options.rng ?? Rng.create(0);
    const n = data.y.length;
    const draws = Math.max(1, Math.round(this.#options.maxSamples * n));
    for (let m = 0; m < this.#options.nEstimators; m++) {
      options.signal?.throwIfAborted();
      const memberRng = rng.fork(`member:${m}`);
      const rows = this.#options.bootstrap
        ? Array.from({ length: draws }, () => memberRng.int(0, n - 1))
        : memberRng.sample(
            Array.from({ length: n }, (_, i) => i),
            draws,
          );
      const balanced = resampleData(subsetRows(data, rows), this.#sampler, memberRng.fork('sampler'));
      const model = this.#options.estimator.clone();
      await model.fit(balanced, {
        rng: memberRng.fork('fit'),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      this.members.push({ model, weight: 1 });
    }
    return result(start, n, this.members.length);
  }

  getParams(): JsonObject {
    const { estimator, ...own } = this.#options;
    return {
      ...own,
      sampler: this.#sampler as unknown as JsonObject,
      estimator: estimator.name,
      estimatorParams: estimator.getParams(),
    };
  }

  clone(): BalancedBagging {
    return new BalancedBagging({ ...this.#options, sampler: this.#sampler });
  }
}

/**
 * One AdaBoost (SAMME) run: `rounds` learners; before each, `draw(weights)` gives the rows (and
 * their weights) to train on; errors are measured on all rows. Stops early on a perfect learner;
 * drops a learner no better than chance (and stops). Returns the members.
 */
async function samme(
  data: LabeledData,
  prototype: Estimator,
  rounds: number,
  learningRate: number,
  rng: Rng,
  draw: (weights: Float64Array, rng: Rng) => number[],
  signal?: AbortSignal,
): Promise<Member[]> {
  const n = data.y.length;
  const k = data.classes.length;
  const weights = new Float64Array(n).fill(1 / n);
  const members: Member[] = [];
  for (let round = 0; round < rounds; round++) {
    signal?.throwIfAborted();
    const roundRng = rng.fork(`round:${round}`);
    const rows = draw(weights, roundRng.fork('draw'));
    let train: LabeledData;
    if (prototype.supportsSampleWeight) {
      const w = Float32Array.from(rows, (i) => weights[i]!);
      const mean = w.reduce((a, b) => a + b, 0) / (w.length || 1);
      for (let i = 0; i < w.length; i++) w[i] = w[i]! / (mean || 1);
      train = subsetRows(data, rows, w);
    } else {
      // A learner without sample weights gets a weighted resample of the drawn rows instead.
      const pool = Float64Array.from(rows, (i) => weights[i]!);
      const pick = roundRng.fork('weighted');
      const total = pool.reduce((a, b) => a + b, 0);
      const chosen = rows.map(() => {
        let t = pick.float() * total;
        for (let r = 0; r < rows.length; r++) {
          t -= pool[r]!;
          if (t < 0) return rows[r]!;
        }
        return rows[rows.length - 1]!;
      });
      train = subsetRows(data, chosen);
    }
    const model = prototype.clone();
    await model.fit(train, { rng: roundRng.fork('fit'), ...(signal ? { signal } : {}) });
    const predicted = await model.predict(data);
    let error = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      total += weights[i]!;
      if (predicted[i] !== data.y[i]) error += weights[i]!;
    }
    error /= total || 1;
    if (error <= 0) {
      members.push({ model, weight: 1 });
      break;
    }
    if (error >= 1 - 1 / k) {
      model.dispose();
      break;
    }
    const alpha = learningRate * (Math.log((1 - error) / error) + Math.log(k - 1));
    members.push({ model, weight: alpha });
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (predicted[i] !== data.y[i] && weights[i]! > 0) weights[i] = weights[i]! * Math.exp(alpha);
      sum += weights[i]!;
    }
    for (let i = 0; i < n; i++) weights[i] = weights[i]! / sum;
  }
  return members;
}

/**
 * RUSBoost (imbalanced-learn's `RUSBoostClassifier`, with the discrete SAMME algorithm): AdaBoost
 * where each round trains on a random under-sample (every class down to the smallest) of the
 * rows, with their boosting weights; errors and weight updates use all rows.
 */
export class RusBoost extends MemberEnsemble<JsonObject> {
  readonly name: string;
  protected readonly combine = 'samme' as const;
  readonly #options: z.output<typeof rusSchema>;

  constructor(options: RusBoostOptions) {
    super();
    this.#options = parseOptions(rusSchema, options, 'RusBoostOptions');
    this.name = `rusBoost(${this.#options.estimator.name})`;
  }

  async fit(data: LabeledData, options: FitOptions = {}): Promise<FitResult> {
    const start = performance.now();
    this.reset(data);
    const rng = options.rng ?? Rng.create(0);
    const { estimator, nEstimators, learningRate } = this.#options;
    this.members = await samme(
      data,
      estimator,
      nEstimators,
      learningRate,
      rng,
      (_, r) => underSampleRows(data, r),
      options.signal,
    );
    return result(start, data.y.length, this.members.length);
  }

  getParams(): JsonObject {
    const { estimator, ...own } = this.#options;
    return { ...own, estimator: estimator.name, estimatorParams: estimator.getParams() };
  }

  clone(): RusBoost {
    return new RusBoost(this.#options);
  }
}

/**
 * EasyEnsemble (imbalanced-learn's `EasyEnsembleClassifier`): `nEstimators` balanced random
 * under-samples (without replacement), each learnt by AdaBoost (SAMME, `boostRounds` rounds) of
 * the base learner; member probabilities are averaged.
 */
export class EasyEnsemble extends MemberEnsemble<JsonObject> {
  readonly name: string;
  protected readonly combine = 'average' as const;
  readonly #options: z.output<typeof easySchema>;

  constructor(options: EasyEnsembleOptions) {
    super();
    this.#options = parseOptions(easySchema, options, 'EasyEnsembleOptions');
    this.name = `easyEnsemble(${this.#options.estimator.name})`;
  }

  async fit(data: LabeledData, options: FitOptions = {}): Promise<FitResult> {
    const start = performance.now();
    this.reset(data);
    const rng = options.rng ?? Rng.create(0);
    const { estimator, nEstimators, boostRounds, learningRate } = this.#options;
    for (let m = 0; m < nEstimators; m++) {
      const memberRng = rng.fork(`member:${m}`);
      const subset = subsetRows(data, underSampleRows(data, memberRng.fork('under')));
      const boosted = new BoostedMember(estimator, boostRounds, learningRate);
      await boosted.fit(subset, {
        rng: memberRng.fork('boost'),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      this.members.push({ model: boosted, weight: 1 });
    }
    return result(start, data.y.length, this.members.length);
  }

  getParams(): JsonObject {
    const { estimator, ...own } = this.#options;
    return { ...own, estimator: estimator.name, estimatorParams: estimator.getParams() };
  }

  clone(): EasyEnsemble {
    return new EasyEnsemble(this.#options);
  }
}

/** AdaBoost (SAMME) over all rows: EasyEnsemble's member. */
class BoostedMember extends MemberEnsemble<JsonObject> {
  readonly name: string;
  protected readonly combine = 'samme' as const;

  constructor(
    private readonly prototype: Estimator,
    private readonly rounds: number,
    private readonly learningRate: number,
  ) {
    super();
    this.name = `adaBoost(${prototype.name})`;
  }

  async fit(data: LabeledData, options: FitOptions = {}): Promise<FitResult> {
    const start = performance.now();
    this.reset(data);
    const all = Array.from({ length: data.y.length }, (_, i) => i);
    this.members = await samme(
      data,
      this.prototype,
      this.rounds,
      this.learningRate,
      options.rng ?? Rng.create(0),
      () => all,
      options.signal,
    );
    return result(start, data.y.length, this.members.length);
  }

  getParams(): JsonObject {
    return { rounds: this.rounds, learningRate: this.learningRate, estimator: this.prototype.name };
  }

  clone(): BoostedMember {
    return new BoostedMember(this.prototype, this.rounds, this.learningRate);
  }
}
