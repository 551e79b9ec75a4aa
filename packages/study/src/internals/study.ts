import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  GrowsetError,
  type JsonObject,
  type JsonValue,
  type Logger,
  nestedStratifiedOrder,
  OptionsError,
  type ProgressListener,
  parseOptions,
  Rng,
  silentLogger,
  stratifiedHoldouts,
} from '@growset/core';
import { z } from 'zod';
import { compareWithBaseline, studyPower } from './compare.ts';
import type { StudyData } from './dataset.ts';
import { resolveScaling, SCALINGS } from './features.ts';
import { TrialJournal } from './journal.ts';
import type { StudyPlugins } from './plugins.ts';
import { runTrialPool, type TrialRunner, type TrialRunReport } from './pool.ts';
import { logSpacedSizes } from './sizes.ts';
import { summarize, verdicts } from './summarize.ts';
import { type StudyPlan, type TrialTask, trialKey } from './trial.ts';
import type { StudyResults, StudyValidationCurve, TrialRecord, VariantSpec } from './types.ts';
import { studyValidationCurve, type ValidationCurveRequest } from './validation-curve.ts';
import { collectVersions } from './versions.ts';

const jsonObject = z.record(z.string(), z.unknown()) as unknown as z.ZodType<JsonObject>;

const variantSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.+-]+$/, 'letters, digits and _ . + -'),
  description: z.string().optional(),
  model: jsonObject,
  augment: z
    .discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('image'),
        recipe: jsonObject,
        copies: z.int().min(1).max(100),
        perEpoch: z.boolean().optional(),
      }),
      z.strictObject({
        kind: z.literal('tabular'),
        method: z.string().min(1),
        options: jsonObject.optional(),
      }),
    ])
    .optional(),
  threshold: z
    .strictObject({
      metric: z.enum(['balancedAccuracy', 'f1', 'macroF1', 'accuracy']).optional(),
      positive: z.string().optional(),
    })
    .optional(),
  baseline: z.boolean().optional(),
});

const optionsSchema = z.strictObject({
  name: z.string().min(1),
  testSize: z.number().positive().default(0.2),
  trainSizes: z.array(z.number().positive()).min(1).optional(),
  seeds: z.union([z.int().min(1).max(100), z.array(z.int().min(0)).min(1)]).default(3),
  studySeed: z.int().min(0).default(0),
  variants: z.array(variantSchema).min(1),
  validationFraction: z.number().min(0).max(0.5).default(0.15),
  scaling: z.enum(SCALINGS).default('auto'),
  workers: z.int().min(0).max(256).optional(),
  onTrialError: z.enum(['raise', 'record']).default('record'),
  targetAccuracy: z.number().gt(0).lt(1).optional(),
  out: z.string().optional(),
  fresh: z.boolean().default(false),
  plugins: z
    .strictObject({
      estimator: z.string(),
      imageAugmenter: z.string(),
      tabularAugmenter: z.string(),
      thresholdTuner: z.string(),
    })
    .partial()
    .optional(),
  bootstrapRounds: z.int().min(0).max(10_000).default(200),
  testSplits: z.int().min(1).max(50).default(1),
  context: jsonObject.optional(),
  validationCurve: z
    .strictObject({
      param: z.string().min(1),
      values: z.array(z.custom<JsonValue>((v) => v !== undefined)).min(1),
      variant: z.string().optional(),
      trainSize: z.int().positive().optional(),
      seed: z.int().min(0).optional(),
      folds: z.int().min(2).max(20).default(3),
    })
    .optional(),
});

export interface StudyOptions {
  /** Name for results and reports. */
  name: string;
  /** Held-out test set: a fraction in (0, 1) or a count of originals. @default 0.2 */
  testSize?: number;
  /**
   * Training sizes: fractions (<= 1) of the originals outside the test set, or counts.
   * @default 6 log-spaced sizes from max(5 x classes, 20) to all of them
   */
  trainSizes?: number[];
  /** Number of seeds (0..n-1) or the seeds themselves. @default 3 */
  seeds?: number | number[];
  /** Seed of the test split and of every trial's generator. @default 0 */
  studySeed?: number;
  variants: VariantSpec[];
  /** Fraction of each training subset held out (originals only) for early stopping. @default 0.15 */
  validationFraction?: number;
  /**
   * Scaling of numeric table features, fitted on each trial's training originals: `standardize`,
   * `minmax`, `none`, or `auto` (min-max for pixel-like intensities, else standardize; see
   * `resolveScaling`). Images are intensities / 255. The choice is in `results.config.scaling`.
   * @default 'auto'
   */
  scaling?: 'auto' | 'standardize' | 'minmax' | 'none';
  /** Worker threads; 0 runs trials in this thread. @default one per core */
  workers?: number;
  /** `raise` stops the study at the first failed trial; `record` keeps going. @default 'record' */
  onTrialError?: 'raise' | 'record';
  /** Accuracy to project the needed training size for. */
  targetAccuracy?: number;
  /** Folder for the trial journal (`trials.jsonl`): a killed study resumes from it. */
  out?: string;
  /** Ignore a previous journal. @default false */
  fresh?: boolean;
  plugins?: Partial<StudyPlugins>;
  /** Bootstrap resamples for curve intervals. @default 200 */
  bootstrapRounds?: number;
  /**
   * Outer test splits: the whole study runs on each of `testSplits` disjoint stratified test sets
   * (each of `testSize`), and comparisons pool them. More splits shrink the smallest detectable
   * difference on small datasets. @default 1
   */
  testSplits?: number;
  /** Anything for the report: cleaning and quarantine summaries, gallery files, crawl stats. */
  context?: JsonObject;
  /**
   * Also measure a validation curve (training and cross-validated accuracy against each value of
   * one model option) on one training subset: `results.validationCurve`. See `ValidationCurveRequest`.
   */
  validationCurve?: ValidationCurveRequest;
}

export interface StudyRunContext {
  signal?: AbortSignal;
  logger?: Logger;
  onProgress?: ProgressListener;
  /** Where trials run. @default worker threads of this process (`runTrialPool`) */
  runner?: TrialRunner;
}

/**
 * Runs a learning-curve study: a fixed stratified test set of originals, nested stratified training
 * subsets per seed, every variant fitted on every (size, seed) in parallel worker threads,
 * augmentation only inside a trial's training originals, and summaries with curve fits, verdicts
 * and data equivalents.
 */
export async function runStudy(
  data: StudyData,
  options: StudyOptions,
  run: StudyRunContext = {},
): Promise<StudyResults> {
  const opts = parseOptions(optionsSchema, options, 'StudyOptions');
  const logger = run.logger ?? silentLogger;
  const started = performance.now();
  const names = new Set<string>();
  for (const v of opts.variants) {
    if (names.has(v.name))
      throw new GrowsetError(`Two variants are named \`${v.name}\`: names must be unique`, {
        code: 'ERR_OPTIONS',
      });
    names.add(v.name);
    if (v.threshold && data.classes.length !== 2)
      throw new OptionsError({
        optionsType: 'StudyOptions',
        field: `variants[${v.name}].threshold`,
        expected: 'a binary classification (two classes) to tune a decision threshold on',
        received: `${data.classes.length} classes`,
      });
    if (v.threshold?.positive !== undefined && !data.classes.includes(v.threshold.positive))
      throw new OptionsError({
        optionsType: 'StudyOptions',
        field: `variants[${v.name}].threshold.positive`,
        expected: `one of the classes ${data.classes.join(', ')}`,
        received: v.threshold.positive,
      });
  }
  const variants = opts.variants as VariantSpec[];
  const baseline = variants.find((v) => v.baseline) ?? variants[0]!;
  const seeds = typeof opts.seeds === 'number' ? Array.from({ length: opts.seeds }, (_, i) => i) : opts.seeds;
  const rng = Rng.create(opts.studySeed);

  let holdouts: { test: number[]; pool: number[] }[];
  try {
    holdouts = stratifiedHoldouts(data.labels, opts.testSize, opts.testSplits, rng.fork('holdout'));
  } catch (error) {
    throw new OptionsError(
      {
        optionsType: 'StudyOptions',
        field: opts.testSplits > 1 ? 'testSplits' : 'testSize',
        expected:
          opts.testSplits > 1
            ? `disjoint test sets that fit in the data (${(error as Error).message})`
            : `a test set that leaves originals to train on (${(error as Error).message})`,
        received: opts.testSplits > 1 ? opts.testSplits : opts.testSize,
      },
      { cause: error },
    );
  }
  const test = holdouts[0]!.test;
  const poolSize = Math.min(...holdouts.map((h) => h.pool.length));
  const trainSizes = resolveSizes(opts.trainSizes, poolSize, data.classes.length);
  // Split 0 keeps the generators of a single-split study, so its trials do not change.
  const plan: StudyPlan = {
    studySeed: opts.studySeed,
    splits: holdouts.map(({ test, pool }, k) => {
      const orders: { [seed: string]: number[] } = {};
      for (const seed of seeds)
        orders[String(seed)] = nestedStratifiedOrder(
          data.labels,
          pool,
          rng.fork(k === 0 ? `order:${seed}` : `order:${k}:${seed}`),
        );
      return { testIndices: test, orders };
    }),
    validationFraction: opts.validationFraction,
    scaling: resolveScaling(data, opts.scaling, holdouts[0]!.pool),
  };
  const plugins: StudyPlugins = { ...(opts.plugins ?? {}) };
  const curve = opts.validationCurve
    ? checkCurveRequest(opts.validationCurve, variants, baseline, seeds)
    : null;

  const tasks: TrialTask[] = [];
  for (const n of trainSizes) {
    for (const variant of variants)
      for (const seed of seeds)
        for (let split = 0; split < holdouts.length; split++)
          tasks.push({ variant, trainSize: n, seed, ...(split > 0 ? { split } : {}) });
  }
  // Longest first (LPT scheduling): the pool ends with short trials on every worker.
  tasks.sort((a, b) => estimatedCost(b) - estimatedCost(a));
  const remote = run.runner?.where;
  // Worker threads of this process; with a remote runner (a queue), none: its report says how many
  // worker processes took part.
  const threads = Math.min(opts.workers ?? availableParallelism(), tasks.length);
  const configForHash = {
    data: { name: data.name, ids: data.ids.length, classes: data.classes },
    test: holdouts.length > 1 ? holdouts.map((h) => h.test) : test,
    trainSizes,
    seeds,
    studySeed: opts.studySeed,
    validationFraction: opts.validationFraction,
    scaling: plan.scaling,
    variants,
    plugins,
  };
  let journal: TrialJournal | undefined;
  const records = new Map<string, TrialRecord>();
  if (opts.out) {
    const opened = await TrialJournal.open(
      join(opts.out, 'trials.jsonl'),
      TrialJournal.hashConfig(configForHash),
      opts.fresh,
    );
    journal = opened.journal;
    for (const r of opened.done) records.set(r.key, r);
    if (opened.done.length > 0)
      logger.info(
        `Resuming study \`${opts.name}\`: ${opened.done.length} of ${tasks.length} trials already done`,
      );
  }
  const pending = tasks.filter((t) => !records.has(trialKey(t)));
  const total = tasks.length;
  run.onProgress?.({
    type: 'task',
    task: `study ${opts.name}`,
    done: records.size,
    total,
    message: remote ?? `${threads} worker(s)`,
  });
  logger.info(
    `Study \`${opts.name}\`: ${data.ids.length} originals (${test.length} test${holdouts.length > 1 ? `, ${holdouts.length} test splits` : ''}), sizes ${trainSizes.join(', ')}, ${seeds.length} seed(s), ${variants.length} variant(s): ${pending.length} trial(s) to run on ${remote ?? (threads === 0 ? 'this thread' : `${threads} worker thread(s)`)}`,
  );

  let firstError: TrialRecord | undefined;
  const controller = new AbortController();
  const signal = run.signal ? AbortSignal.any([run.signal, controller.signal]) : controller.signal;
  let report: TrialRunReport | undefined;
  try {
    report =
      (await (run.runner ?? runTrialPool)(
        pending,
        { data, plan, plugins, variants },
        {
          workers: threads,
          signal,
          onResult: async (record) => {
            records.set(record.key, record);
            await journal?.append(record);
            run.onProgress?.({
              type: 'task',
              task: `study ${opts.name}`,
              done: records.size,
              total,
              message: `${record.key}: ${record.ok ? `test ${(100 * record.test!.accuracy).toFixed(1)}%` : `failed (${record.error})`}`,
            });
            if (!record.ok) {
              logger.warn(`Trial ${record.key} failed: ${record.error}`);
              if (opts.onTrialError === 'raise' && !firstError) {
                firstError = record;
                controller.abort();
              }
            }
          },
        },
      )) ?? undefined;
  } catch (error) {
    if (firstError)
      throw new GrowsetError(`Trial ${firstError.key} failed: ${firstError.error}`, {
        code: 'ERR_TRIAL',
        cause: error,
      });
    throw error;
  }
  if (firstError)
    throw new GrowsetError(`Trial ${firstError.key} failed: ${firstError.error}`, { code: 'ERR_TRIAL' });

  const trials = [...records.values()].sort(compareTrials(variants));
  const targetAccuracy = opts.targetAccuracy ?? null;
  const classIndex = new Map(data.classes.map((c, k) => [c, k]));
  const comparisons = compareWithBaseline(trials, {
    baseline: baseline.name,
    variants: variants.map((v) => v.name),
    trainSizes,
    splits: holdouts.map((h) => ({
      labels: Int32Array.from(h.test, (i) => classIndex.get(data.labels[i]!)!),
    })),
    classes: data.classes.length,
  });
  const power = studyPower(comparisons, {
    testItems: test.length,
    seeds: seeds.length,
    splits: holdouts.length,
  });
  const summaries = summarize(trials, {
    variants,
    trainSizes,
    targetAccuracy,
    rng: rng.fork('summaries'),
    bootstrapRounds: opts.bootstrapRounds,
    comparisons,
    testItems: test.length,
  });
  const backend = trials.find((t) => t.backend)?.backend ?? 'unknown';
  let validationCurve: StudyValidationCurve | undefined;
  if (opts.validationCurve && curve) {
    const { request, variant, seed } = curve;
    logger.info(
      `Validation curve: ${variant.name}'s ${request.param} over ${request.values.length} value(s)`,
    );
    validationCurve = await studyValidationCurve(data, plan, plugins, variant, {
      param: request.param,
      values: request.values,
      trainSize: request.trainSize ?? trainSizes.at(-1)!,
      seed,
      folds: request.folds,
    });
  }
  return {
    schemaVersion: 1,
    name: opts.name,
    createdBy: 'growset',
    config: {
      dataset: data.name,
      task: data.task,
      classes: data.classes,
      originals: data.ids.length,
      testSize: test.length,
      testSplits: holdouts.length,
      trainSizes,
      seeds,
      studySeed: opts.studySeed,
      targetAccuracy,
      validationFraction: opts.validationFraction,
      scaling: plan.scaling,
      variants,
      workers: remote === undefined ? threads : (report?.workers ?? 0),
      ...(report?.queue ? { queue: report.queue } : {}),
    },
    versions: await collectVersions(),
    backend,
    testIds: test.map((i) => data.ids[i]!),
    testLabels: test.map((i) => data.labels[i]!),
    ...(holdouts.length > 1
      ? {
          testSplitIds: holdouts.map((h) => h.test.map((i) => data.ids[i]!)),
          testSplitLabels: holdouts.map((h) => h.test.map((i) => data.labels[i]!)),
        }
      : {}),
    trials,
    summaries,
    comparisons,
    power,
    verdicts: verdicts(summaries, { baseline: baseline.name, targetAccuracy, comparisons, power }),
    ...(validationCurve ? { validationCurve } : {}),
    ...(opts.context ? { context: opts.context } : {}),
    wallTimeMs: Math.round(performance.now() - started),
  };
}

function checkCurveRequest<R extends { variant?: string | undefined; seed?: number | undefined }>(
  request: R,
  variants: readonly VariantSpec[],
  baseline: VariantSpec,
  seeds: readonly number[],
): { request: R; variant: VariantSpec; seed: number } {
  const variant = request.variant ? variants.find((v) => v.name === request.variant) : baseline;
  if (!variant) {
    throw new OptionsError({
      optionsType: 'StudyOptions',
      field: 'validationCurve.variant',
      expected: `one of the variants (${variants.map((v) => v.name).join(', ')})`,
      received: request.variant,
    });
  }
  const seed = request.seed ?? seeds[0]!;
  if (!seeds.includes(seed)) {
    throw new OptionsError({
      optionsType: 'StudyOptions',
      field: 'validationCurve.seed',
      expected: `one of the study's seeds (${seeds.join(', ')})`,
      received: seed,
    });
  }
  return { request, variant, seed };
}

function resolveSizes(requested: readonly number[] | undefined, poolSize: number, classes: number): number[] {
  const sizes = requested
    ? requested.map((s) => (s <= 1 ? Math.round(s * poolSize) : Math.round(s)))
    : logSpacedSizes(Math.min(poolSize, Math.max(5 * classes, 20)), poolSize, 6);
  const bad = sizes.find((s) => s < 1 || s > poolSize);
  if (bad !== undefined) {
    throw new GrowsetError(
      `Training size ${bad} is out of range: ${poolSize} originals remain outside the test set (sizes are fractions <= 1 or counts)`,
      { code: 'ERR_OPTIONS' },
    );
  }
  return [...new Set(sizes)].sort((a, b) => a - b);
}

function compareTrials(variants: readonly VariantSpec[]) {
  const order = new Map(variants.map((v, i) => [v.name, i]));
  return (a: TrialRecord, b: TrialRecord) =>
    (order.get(a.variant) ?? 0) - (order.get(b.variant) ?? 0) || a.trainSize - b.trainSize || a.seed - b.seed;
}

/** A rough relative cost of a trial, for scheduling only: samples fitted times models fitted. */
function estimatedCost(task: TrialTask): number {
  const model = task.variant.model;
  const augment = task.variant.augment;
  const copies = augment?.kind === 'image' && !augment.perEpoch ? augment.copies + 1 : augment ? 2 : 1;
  const kind = String(model.model);
  const members =
    kind === 'bagging' || kind === 'adaboost'
      ? Number(model.n ?? 10)
      : kind === 'stacking'
        ? 4 * (Array.isArray(model.estimators) ? model.estimators.length : 3)
        : kind === 'tuned'
          ? 1 + Number(model.candidates ?? 8) * Number(model.folds ?? 3)
          : kind === 'knn' || kind === 'majority'
            ? 0.2
            : 1;
  return task.trainSize * copies * members;
}
