import { errorMessage, type JsonObject, type LabeledData, parseOptions, Rng } from '@growset/core';
import { z } from 'zod';
import { memberSpecSchema } from '../ensembles/members.ts';
import { createEstimator } from '../estimators/registry.ts';
import { AUTO_EPOCHS } from '../loop/fit.ts';
import { crossValidate, SEARCH_METRICS, type SearchMetric } from './cross-validate.ts';
import {
  candidateName,
  candidateSpec,
  dimensionSchema,
  gridCandidates,
  randomCandidates,
  type SearchSpace,
} from './space.ts';

const schema = z.strictObject({
  base: memberSpecSchema,
  space: z.record(z.string(), dimensionSchema),
  strategy: z.enum(['grid', 'random', 'halving']).default('grid'),
  candidates: z.int().min(1).default(10),
  folds: z.int().min(2).max(20).default(3),
  metric: z.enum(SEARCH_METRICS).default('accuracy'),
  factor: z.int().min(2).default(3),
  resource: z.enum(['samples', 'epochs']).default('samples'),
  minResource: z.int().min(1).optional(),
  onTrialError: z.enum(['raise', 'record']).default('record'),
});

export interface SearchOptions {
  /** Spec the candidates vary, e.g. `{ model: 'mlp', epochs: 20 }`. */
  base: JsonObject;
  /** Spec fields to vary: value lists (grid, random) or distributions (random, halving). */
  space: SearchSpace;
  /** `grid` (every combination), `random` (`candidates` draws) or `halving` (successive halving over the grid, or random draws when the space has distributions). @default 'grid' */
  strategy?: 'grid' | 'random' | 'halving';
  /** Draws for random search (and for halving over distributions). @default 10 */
  candidates?: number;
  /** Stratified cross-validation folds per candidate. @default 3 */
  folds?: number;
  /** Ranking metric (`logLoss` is minimized). @default 'accuracy' */
  metric?: SearchMetric;
  /** Successive halving keeps the best 1/factor each round and multiplies the resource by factor. @default 3 */
  factor?: number;
  /** What successive halving budgets: training `samples` per fold or `epochs`. @default 'samples' */
  resource?: 'samples' | 'epochs';
  /** First round's resource. @default samples: 2 x classes x factor, capped; epochs: 1 */
  minResource?: number;
  /** A candidate whose fit throws is recorded with its error (`record`) or stops the search (`raise`). @default 'record' */
  onTrialError?: 'raise' | 'record';
}

/** One evaluated candidate, as a named record. */
export interface TrialRecord {
  /** 1 = best (in the final round for halving). */
  rank: number;
  /** The varied parameters in words: `hidden=[64] learningRate=0.01`. */
  name: string;
  /** The varied parameters. */
  params: JsonObject;
  /** The full spec (base + params), ready for `createEstimator`. */
  spec: JsonObject;
  metric: SearchMetric;
  /** Mean of the metric over the folds (NaN when the candidate failed). */
  score: number;
  /** Standard deviation over the folds. */
  std: number;
  foldScores: number[];
  /** Mean of every metric over the folds. */
  means: { accuracy: number; balancedAccuracy: number; macroF1: number; logLoss: number } | null;
  fitTimeMs: number;
  /** Successive halving: the last round this candidate ran in (0-based) and its resource. */
  round?: number;
  resource?: number;
  error?: string;
}

export interface SearchResult {
  strategy: 'grid' | 'random' | 'halving';
  metric: SearchMetric;
  /** Every candidate, best first (halving: by last round reached, then score). */
  ranked: TrialRecord[];
  best: TrialRecord;
  backend?: string;
}

export interface SearchRunOptions {
  rng?: Rng;
  signal?: AbortSignal;
  /** Called after each candidate evaluation. */
  onTrial?: (record: TrialRecord) => void;
}

/** Grid, random or successive-halving search, cross-validated, returning a ranked table of named records. */
export async function search(
  data: LabeledData,
  options: SearchOptions,
  run: SearchRunOptions = {},
): Promise<SearchResult> {
  const opts = parseOptions(schema, options, 'SearchOptions');
  const rng = (run.rng ?? Rng.create(0)).fork('search');
  const space = opts.space as SearchSpace;
  const hasDistributions = Object.values(space).some((d) => !Array.isArray(d));
  let candidates: JsonObject[];
  if (opts.strategy === 'grid' || (opts.strategy === 'halving' && !hasDistributions))
    candidates = gridCandidates(space);
  else candidates = randomCandidates(space, opts.candidates, rng.fork('candidates'));
  // Validate every candidate spec up front: a typo fails before any training.
  for (const params of candidates) createEstimator(candidateSpec(opts.base, params)).dispose();
  const lowerIsBetter = opts.metric === 'logLoss';
  let backend: string | undefined;

  const evaluate = async (
    params: JsonObject,
    index: number,
    budget?: { round: number; resource: number },
  ): Promise<TrialRecord> => {
    const spec: JsonObject = candidateSpec(opts.base, params);
    let maxTrainSamples: number | undefined;
    if (budget && opts.resource === 'epochs') spec.epochs = budget.resource;
    if (budget && opts.resource === 'samples') maxTrainSamples = budget.resource;
    const record: TrialRecord = {
      rank: 0,
      name: candidateName(params) || opts.base.model?.toString() || 'candidate',
      params,
      spec,
      metric: opts.metric,
      score: Number.NaN,
      std: Number.NaN,
      foldScores: [],
      means: null,
      fitTimeMs: 0,
      ...(budget ? { round: budget.round, resource: budget.resource } : {}),
    };
    try {
      const cv = await crossValidate(spec, data, {
        folds: opts.folds,
        rng: rng.fork(`candidate-${index}`),
        ...(run.signal ? { signal: run.signal } : {}),
        ...(maxTrainSamples !== undefined ? { maxTrainSamples } : {}),
      });
      backend ??= cv.backend;
      record.foldScores = cv.folds.map((m) => m[opts.metric] as number);
      record.score = cv.mean[opts.metric];
      const mean = record.score;
      record.std = Math.sqrt(
        record.foldScores.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, record.foldScores.length),
      );
      record.means = cv.mean;
      record.fitTimeMs = cv.fitTimeMs;
    } catch (error) {
      if (opts.onTrialError === 'raise' || run.signal?.aborted) throw error;
      record.error = errorMessage(error);
    }
    run.onTrial?.(record);
    return record;
  };

  const better = (a: TrialRecord, b: TrialRecord) => {
    const sa = Number.isNaN(a.score) ? Number.NEGATIVE_INFINITY : lowerIsBetter ? -a.score : a.score;
    const sb = Number.isNaN(b.score) ? Number.NEGATIVE_INFINITY : lowerIsBetter ? -b.score : b.score;
    return sb - sa;
  };

  let records: TrialRecord[];
  if (opts.strategy !== 'halving') {
    records = [];
    for (let i = 0; i < candidates.length; i++) records.push(await evaluate(candidates[i]!, i));
    records.sort(better);
  } else {
    records = await halving(candidates, data, opts, evaluate, better);
  }
  records.forEach((r, i) => {
    r.rank = i + 1;
  });
  return {
    strategy: opts.strategy,
    metric: opts.metric,
    ranked: records,
    best: records[0]!,
    ...(backend ? { backend } : {}),
  };
}

async function halving(
  candidates: JsonObject[],
  data: LabeledData,
  opts: z.output<typeof schema>,
  evaluate: (
    params: JsonObject,
    index: number,
    budget: { round: number; resource: number },
  ) => Promise<TrialRecord>,
  better: (a: TrialRecord, b: TrialRecord) => number,
): Promise<TrialRecord[]> {
  const trainRows = Math.floor((data.y.length * (opts.folds - 1)) / opts.folds);
  const baseEpochs = (opts.base as { epochs?: unknown }).epochs;
  const maxResource =
    opts.resource === 'samples' ? trainRows : typeof baseEpochs === 'number' ? baseEpochs : AUTO_EPOCHS;
  const roundCount = Math.max(1, Math.ceil(Math.log(candidates.length) / Math.log(opts.factor)) + 1);
  const defaultMin =
    opts.resource === 'samples'
      ? Math.max(
          2 * data.classes.length * opts.factor,
          Math.floor(maxResource / opts.factor ** (roundCount - 1)),
        )
      : Math.max(1, Math.floor(maxResource / opts.factor ** (roundCount - 1)));
  let resource = Math.min(maxResource, opts.minResource ?? defaultMin);
  let alive = candidates.map((params, index) => ({ params, index }));
  // Records of each round's eliminated candidates (the last round: all its candidates), best first.
  const rounds: TrialRecord[][] = [];
  for (let round = 0; alive.length > 0; round++) {
    const results: { record: TrialRecord; params: JsonObject; index: number }[] = [];
    for (const c of alive)
      results.push({ ...c, record: await evaluate(c.params, c.index, { round, resource }) });
    results.sort((a, b) => better(a.record, b.record));
    const last = alive.length === 1 || resource >= maxResource;
    const keep = last ? 0 : Math.max(1, Math.ceil(alive.length / opts.factor));
    rounds.push(results.slice(keep).map((r) => r.record));
    alive = results.slice(0, keep).map(({ params, index }) => ({ params, index }));
    resource = Math.min(maxResource, resource * opts.factor);
  }
  // Candidates that went further rank above those eliminated earlier.
  const finished = rounds.reverse().flat();
  return finished;
}
