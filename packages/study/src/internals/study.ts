import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  GrowsetError,
  type JsonObject,
  type Logger,
  type ProgressListener,
  parseOptions,
  Rng,
  silentLogger,
} from '@growset/core';
import { z } from 'zod';
import type { StudyData } from './dataset.ts';
import { TrialJournal } from './journal.ts';
import type { StudyPlugins } from './plugins.ts';
import { runTrialPool, type TrialRunner } from './pool.ts';
import { logSpacedSizes, nestedStratifiedOrder, stratifiedHoldout } from './split.ts';
import { summarize, verdicts } from './summarize.ts';
import { type StudyPlan, type TrialTask, trialKey } from './trial.ts';
import type { StudyResults, TrialRecord, VariantSpec } from './types.ts';
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
  workers: z.int().min(0).max(256).optional(),
  onTrialError: z.enum(['raise', 'record']).default('record'),
  targetAccuracy: z.number().gt(0).lt(1).optional(),
  out: z.string().optional(),
  fresh: z.boolean().default(false),
  plugins: z
    .strictObject({ estimator: z.string(), imageAugmenter: z.string(), tabularAugmenter: z.string() })
    .partial()
    .optional(),
  bootstrapRounds: z.int().min(0).max(10_000).default(200),
  context: jsonObject.optional(),
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
  /** Anything for the report: cleaning and quarantine summaries, gallery files, crawl stats. */
  context?: JsonObject;
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
  }
  const variants = opts.variants as VariantSpec[];
  const baseline = variants.find((v) => v.baseline) ?? variants[0]!;
  const seeds = typeof opts.seeds === 'number' ? Array.from({ length: opts.seeds }, (_, i) => i) : opts.seeds;
  const rng = Rng.create(opts.studySeed);

  const { test, pool } = stratifiedHoldout(data.labels, opts.testSize, rng.fork('holdout'));
  const trainSizes = resolveSizes(opts.trainSizes, pool.length, data.classes.length);
  const orders: { [seed: string]: number[] } = {};
  for (const seed of seeds)
    orders[String(seed)] = nestedStratifiedOrder(data.labels, pool, rng.fork(`order:${seed}`));
  const plan: StudyPlan = {
    studySeed: opts.studySeed,
    testIndices: test,
    orders,
    validationFraction: opts.validationFraction,
  };
  const plugins: StudyPlugins = { ...(opts.plugins ?? {}) };

  const tasks: TrialTask[] = [];
  for (const n of trainSizes) {
    for (const variant of variants) for (const seed of seeds) tasks.push({ variant, trainSize: n, seed });
  }
  // Longest first (LPT scheduling): the pool ends with short trials on every worker.
  tasks.sort((a, b) => estimatedCost(b) - estimatedCost(a));
  const workers = Math.min(opts.workers ?? availableParallelism(), tasks.length);
  const configForHash = {
    data: { name: data.name, ids: data.ids.length, classes: data.classes },
    test,
    trainSizes,
    seeds,
    studySeed: opts.studySeed,
    validationFraction: opts.validationFraction,
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
    message: `${workers} worker(s)`,
  });
  logger.info(
    `Study \`${opts.name}\`: ${data.ids.length} originals (${test.length} test), sizes ${trainSizes.join(', ')}, ${seeds.length} seed(s), ${variants.length} variant(s): ${pending.length} trial(s) to run on ${workers === 0 ? 'this thread' : `${workers} worker thread(s)`}`,
  );

  let firstError: TrialRecord | undefined;
  const controller = new AbortController();
  const signal = run.signal ? AbortSignal.any([run.signal, controller.signal]) : controller.signal;
  try {
    await (run.runner ?? runTrialPool)(
      pending,
      { data, plan, plugins, variants },
      {
        workers,
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
    );
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
  const summaries = summarize(trials, {
    variants,
    trainSizes,
    targetAccuracy,
    rng: rng.fork('summaries'),
    bootstrapRounds: opts.bootstrapRounds,
  });
  const backend = trials.find((t) => t.backend)?.backend ?? 'unknown';
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
      trainSizes,
      seeds,
      studySeed: opts.studySeed,
      targetAccuracy,
      validationFraction: opts.validationFraction,
      variants,
      workers,
    },
    versions: await collectVersions(),
    backend,
    testIds: test.map((i) => data.ids[i]!),
    trials,
    summaries,
    verdicts: verdicts(summaries, { baseline: baseline.name, targetAccuracy }),
    ...(opts.context ? { context: opts.context } : {}),
    wallTimeMs: Math.round(performance.now() - started),
  };
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
