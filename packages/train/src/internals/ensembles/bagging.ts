import {
  classificationMetrics,
  type Features,
  type FitOptions,
  type FitResult,
  type JsonObject,
  type LabeledData,
  type Metrics,
  parseOptions,
} from '@growset/core';
import { z } from 'zod';
import { subset } from '../data/subset.ts';
import { fitRng } from '../estimators/base.ts';
import type { EstimatorDefinition } from '../estimators/registry.ts';
import { EnsembleEstimator, type EnsembleFitResult, ensembleName, memberSpecSchema } from './members.ts';

const schema = z.strictObject({
  model: z.literal('bagging').default('bagging'),
  base: memberSpecSchema,
  n: z.int().min(1).max(1000).default(10),
  maxSamples: z.number().gt(0).max(1).default(1),
  oob: z.boolean().default(true),
});

export type BaggingParams = z.output<typeof schema>;

export interface BaggingOptions {
  /** Spec of the member estimator, e.g. `{ model: 'mlp', hidden: [64] }`. */
  base: JsonObject;
  /** Members, each fitted on its own bootstrap sample. @default 10 */
  n?: number;
  /** Bootstrap size as a fraction of the training set. @default 1 */
  maxSamples?: number;
  /** Score each sample with the members that did not see it (out-of-bag). @default true */
  oob?: boolean;
}

/** Bagging's fit result: the out-of-bag metrics when computed. */
export interface BaggingFitResult extends EnsembleFitResult {
  oobScore?: number;
  oob?: Metrics;
  /** Samples no member left out (not in the out-of-bag score). */
  oobUncovered?: number;
}

/** Bootstrap aggregating: members on bootstrap samples, averaged probabilities, out-of-bag score. */
export class BaggingEstimator extends EnsembleEstimator<BaggingParams & JsonObject> {
  readonly name: string;
  readonly supportsSampleWeight: boolean;

  constructor(options: BaggingOptions | JsonObject) {
    const params = parseOptions(schema, { model: 'bagging', ...options }, 'BaggingOptions');
    super(params as BaggingParams & JsonObject, 'BaggingOptions');
    const probe = this.buildMember(params.base, 'base');
    this.name = ensembleName('bagging', [probe]);
    this.supportsSampleWeight = probe.supportsSampleWeight;
    probe.dispose();
  }

  protected async fitChecked(data: LabeledData, options: FitOptions): Promise<BaggingFitResult> {
    const started = performance.now();
    const params = this.getParams();
    const rng = fitRng(options, this.name);
    this.disposeMembers();
    const n = data.y.length;
    const k = data.classes.length;
    const size = Math.max(k, Math.round(params.maxSamples * n));
    const oobSum = params.oob ? new Float64Array(n * k) : undefined;
    const oobCount = params.oob ? new Int32Array(n) : undefined;
    let backend: string | undefined;
    const memberResults: FitResult[] = [];
    for (let m = 0; m < params.n; m++) {
      const memberRng = rng.fork(`member-${m}`);
      const draw = memberRng.fork('bootstrap');
      const indices = new Int32Array(size);
      const seen = new Uint8Array(n);
      for (let i = 0; i < size; i++) {
        const row = draw.int(0, n - 1);
        indices[i] = row;
        seen[row] = 1;
      }
      const member = this.buildMember(params.base, 'base');
      this.members.push(member);
      const result = await this.fitMember(member, subset(data, indices), memberRng.fork('fit'), options);
      backend ??= result.backend;
      memberResults.push(result);
      if (oobSum && oobCount) {
        const outRows: number[] = [];
        for (let i = 0; i < n; i++) if (!seen[i]) outRows.push(i);
        if (outRows.length > 0) {
          const proba = await member.predictProba(subset(data, outRows));
          outRows.forEach((row, j) => {
            oobCount[row]!++;
            for (let c = 0; c < k; c++) oobSum[row * k + c]! += proba[j * k + c]!;
          });
        }
      }
    }
    const result: BaggingFitResult = this.onePassResult(started, memberResults, backend);
    if (oobSum && oobCount) {
      const rows: number[] = [];
      for (let i = 0; i < n; i++) if (oobCount[i]! > 0) rows.push(i);
      if (rows.length > 0) {
        const proba = new Float32Array(rows.length * k);
        const y = new Int32Array(rows.length);
        rows.forEach((row, j) => {
          y[j] = data.y[row]!;
          for (let c = 0; c < k; c++) proba[j * k + c] = oobSum[row * k + c]! / oobCount[row]!;
        });
        result.oob = classificationMetrics(y, proba, k);
        result.oobScore = result.oob.accuracy;
      }
      result.oobUncovered = n - rows.length;
    }
    return result;
  }

  protected async probaChecked(features: Features, n: number): Promise<Float32Array> {
    const k = this.fitted!.classes.length;
    const sum = new Float32Array(n * k);
    for (const member of this.members) {
      const proba = await member.predictProba(features);
      for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + proba[i]!;
    }
    for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! / this.members.length;
    return sum;
  }
}

/** Bagging over a base spec. */
export function bagging(options: BaggingOptions): BaggingEstimator {
  return new BaggingEstimator(options);
}

/** `bagging` in the estimator registry. */
export const baggingDefinition: EstimatorDefinition = {
  name: 'bagging',
  summary: 'bootstrap aggregating over a base spec, with an out-of-bag score',
  optionsType: 'BaggingOptions',
  create: (spec) => new BaggingEstimator(spec),
  examples: [
    { spec: { model: 'bagging', base: { model: 'logistic', epochs: 10, learningRate: 0.05 }, n: 3 } },
  ],
};
