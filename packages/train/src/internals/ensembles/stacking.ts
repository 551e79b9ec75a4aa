import {
  type Features,
  type FitOptions,
  type FitResult,
  foldIndices,
  type JsonObject,
  type LabeledData,
  parseOptions,
  stratifiedFolds,
} from '@growset/core';
import { z } from 'zod';
import { subset } from '../data/subset.ts';
import { fitRng } from '../estimators/base.ts';
import { NeuralEstimator } from '../estimators/neural.ts';
import type { EstimatorDefinition } from '../estimators/registry.ts';
import { EnsembleEstimator, type EnsembleFitResult, ensembleName, memberSpecSchema } from './members.ts';

const metaSchema = z.strictObject({
  l2: z.number().min(0).default(1e-3),
  epochs: z.int().min(1).default(100),
  learningRate: z.number().positive().default(0.05),
  batchSize: z.int().min(1).default(64),
});

const schema = z.strictObject({
  model: z.literal('stacking').default('stacking'),
  estimators: z.array(memberSpecSchema).min(1),
  folds: z.int().min(2).max(20).default(5),
  meta: metaSchema.default({ l2: 1e-3, epochs: 100, learningRate: 0.05, batchSize: 64 }),
  passthrough: z.boolean().default(false),
});

export type StackingParams = z.output<typeof schema>;

export interface StackingOptions {
  /** Specs of the first-level estimators. */
  estimators: JsonObject[];
  /** Folds for the out-of-fold predictions the meta-learner trains on. @default 5 */
  folds?: number;
  /** The logistic-regression meta-learner's options. @default { l2: 1e-3, epochs: 100, learningRate: 0.05, batchSize: 64 } */
  meta?: { l2?: number; epochs?: number; learningRate?: number; batchSize?: number };
  /** Also give the meta-learner the original features. @default false */
  passthrough?: boolean;
}

/**
 * Stacked generalization: each first-level estimator predicts every training sample from a model
 * that did not see it (stratified k-fold), a logistic regression learns from those out-of-fold
 * probabilities, and the first-level estimators are refitted on all the data for prediction.
 */
export class StackingEstimator extends EnsembleEstimator<StackingParams & JsonObject> {
  readonly name: string;
  readonly supportsSampleWeight: boolean;
  #meta: NeuralEstimator | undefined;

  constructor(options: StackingOptions | JsonObject) {
    const params = parseOptions(schema, { model: 'stacking', ...options }, 'StackingOptions');
    super(params as StackingParams & JsonObject, 'StackingOptions');
    const probes = params.estimators.map((spec, i) => this.buildMember(spec, `estimators[${i}]`));
    this.name = ensembleName('stacking', probes);
    this.supportsSampleWeight = probes.every((p) => p.supportsSampleWeight);
    for (const p of probes) p.dispose();
  }

  protected async fitChecked(data: LabeledData, options: FitOptions): Promise<EnsembleFitResult> {
    const started = performance.now();
    const params = this.getParams();
    const rng = fitRng(options, this.name);
    this.disposeMembers();
    const n = data.y.length;
    const k = data.classes.length;
    const e = params.estimators.length;
    const fold = stratifiedFolds(data.y, k, params.folds, rng.fork('folds'));
    const oof = new Float32Array(n * e * k);
    let backend: string | undefined;
    const memberResults: FitResult[] = [];
    for (let m = 0; m < e; m++) {
      for (let f = 0; f < params.folds; f++) {
        const { train, test } = foldIndices(fold, f);
        if (test.length === 0) continue;
        const member = this.buildMember(params.estimators[m]!, `estimators[${m}]`);
        try {
          const result = await this.fitMember(
            member,
            subset(data, train),
            rng.fork(`oof-${m}-${f}`),
            options,
          );
          backend ??= result.backend;
          const proba = await member.predictProba(subset(data, test));
          test.forEach((row, j) => {
            oof.set(proba.subarray(j * k, (j + 1) * k), (row * e + m) * k);
          });
        } finally {
          member.dispose();
        }
      }
      const full = this.buildMember(params.estimators[m]!, `estimators[${m}]`);
      this.members.push(full);
      memberResults.push(await this.fitMember(full, data, rng.fork(`full-${m}`), options));
    }
    const meta = new NeuralEstimator({ model: 'logistic', ...params.meta });
    this.#meta = meta;
    const metaData = this.#metaFeatures(oof, data, n) as LabeledData;
    memberResults.push(await this.fitMember(meta, metaData, rng.fork('meta'), options));
    return this.onePassResult(started, memberResults, backend);
  }

  #metaFeatures(
    probas: Float32Array,
    data: Features & Partial<LabeledData>,
    n: number,
  ): Features & Partial<LabeledData> {
    const width = probas.length / n;
    let x = probas;
    let featureShape = [width];
    if (this.getParams().passthrough) {
      const extra = data.featureShape.reduce((a, b) => a * b, 1);
      x = new Float32Array(n * (width + extra));
      for (let i = 0; i < n; i++) {
        x.set(probas.subarray(i * width, (i + 1) * width), i * (width + extra));
        x.set(data.x.subarray(i * extra, (i + 1) * extra), i * (width + extra) + width);
      }
      featureShape = [width + extra];
    }
    const { x: _x, featureShape: _shape, ...labels } = data;
    return { ...labels, x, featureShape };
  }

  protected async probaChecked(features: Features, n: number): Promise<Float32Array> {
    const k = this.fitted!.classes.length;
    const e = this.members.length;
    const stacked = new Float32Array(n * e * k);
    for (let m = 0; m < e; m++) {
      const proba = await this.members[m]!.predictProba(features);
      for (let i = 0; i < n; i++) stacked.set(proba.subarray(i * k, (i + 1) * k), (i * e + m) * k);
    }
    return this.#meta!.predictProba(this.#metaFeatures(stacked, features, n));
  }

  protected override disposeMembers(): void {
    super.disposeMembers();
    this.#meta?.dispose();
    this.#meta = undefined;
  }
}

/** Stacking with a logistic-regression meta-learner. */
export function stacking(options: StackingOptions): StackingEstimator {
  return new StackingEstimator(options);
}

/** `stacking` in the estimator registry. */
export const stackingDefinition: EstimatorDefinition = {
  name: 'stacking',
  summary: 'stacked generalization: a logistic meta-learner on out-of-fold probabilities',
  optionsType: 'StackingOptions',
  create: (spec) => new StackingEstimator(spec),
  examples: [
    {
      spec: {
        model: 'stacking',
        estimators: [
          { model: 'knn', k: 3 },
          { model: 'logistic', epochs: 10 },
        ],
        folds: 3,
        meta: { epochs: 20 },
      },
    },
  ],
};
