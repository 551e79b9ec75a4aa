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
import { fitRng } from '../estimators/base.ts';
import type { EstimatorDefinition } from '../estimators/registry.ts';
import { EnsembleEstimator, type EnsembleFitResult, ensembleName, memberSpecSchema } from './members.ts';

const schema = z.strictObject({
  model: z.literal('voting').default('voting'),
  estimators: z.array(memberSpecSchema).min(1),
  voting: z.enum(['soft', 'hard']).default('soft'),
  weights: z.array(z.number().min(0).finite()).optional(),
});

export type VotingParams = z.output<typeof schema>;

export interface VotingOptions {
  /** Specs of the voters. */
  estimators: JsonObject[];
  /** `soft`: average the probabilities; `hard`: count the predicted classes. @default 'soft' */
  voting?: 'soft' | 'hard';
  /** One weight per voter. @default equal */
  weights?: number[];
}

/** Voting over independently fitted estimators (hard or soft, optionally weighted). */
export class VotingEstimator extends EnsembleEstimator<VotingParams & JsonObject> {
  readonly name: string;
  readonly supportsSampleWeight: boolean;

  constructor(options: VotingOptions | JsonObject) {
    const params = parseOptions(schema, { model: 'voting', ...options }, 'VotingOptions');
    if (params.weights && params.weights.length !== params.estimators.length) {
      throw new OptionsError({
        optionsType: 'VotingOptions',
        field: 'weights',
        expected: `${params.estimators.length} weights (one per estimator)`,
        received: params.weights,
      });
    }
    super(params as VotingParams & JsonObject, 'VotingOptions');
    const probes = params.estimators.map((spec, i) => this.buildMember(spec, `estimators[${i}]`));
    this.name = ensembleName(`voting-${params.voting}`, probes);
    this.supportsSampleWeight = probes.every((p) => p.supportsSampleWeight);
    for (const p of probes) p.dispose();
  }

  protected async fitChecked(data: LabeledData, options: FitOptions): Promise<EnsembleFitResult> {
    const started = performance.now();
    const params = this.getParams();
    const rng = fitRng(options, this.name);
    this.disposeMembers();
    let backend: string | undefined;
    const memberResults: FitResult[] = [];
    for (let m = 0; m < params.estimators.length; m++) {
      const member = this.buildMember(params.estimators[m]!, `estimators[${m}]`);
      this.members.push(member);
      const result = await this.fitMember(member, data, rng.fork(`member-${m}`), options);
      backend ??= result.backend;
      memberResults.push(result);
    }
    return this.onePassResult(started, memberResults, backend);
  }

  protected async probaChecked(features: Features, n: number): Promise<Float32Array> {
    const params = this.getParams();
    const k = this.fitted!.classes.length;
    const out = new Float32Array(n * k);
    let totalWeight = 0;
    for (let m = 0; m < this.members.length; m++) {
      const w = params.weights?.[m] ?? 1;
      totalWeight += w;
      if (params.voting === 'soft') {
        const proba = await this.members[m]!.predictProba(features);
        for (let i = 0; i < out.length; i++) out[i] = out[i]! + w * proba[i]!;
      } else {
        const predicted = await this.members[m]!.predict(features);
        for (let i = 0; i < n; i++) out[i * k + predicted[i]!] = out[i * k + predicted[i]!]! + w;
      }
    }
    for (let i = 0; i < out.length; i++) out[i] = totalWeight > 0 ? out[i]! / totalWeight : 1 / k;
    return out;
  }
}

/** Hard or soft voting. */
export function voting(options: VotingOptions): VotingEstimator {
  return new VotingEstimator(options);
}

/** `voting` in the estimator registry. */
export const votingDefinition: EstimatorDefinition = {
  name: 'voting',
  summary: 'hard or soft voting over independently fitted estimators, optionally weighted',
  optionsType: 'VotingOptions',
  create: (spec) => new VotingEstimator(spec),
  examples: [
    {
      spec: {
        model: 'voting',
        estimators: [{ model: 'knn' }, { model: 'logistic', epochs: 10 }],
        voting: 'soft',
      },
    },
    {
      spec: {
        model: 'voting',
        estimators: [{ model: 'knn' }, { model: 'majority' }],
        voting: 'hard',
        weights: [2, 1],
      },
    },
  ],
};
