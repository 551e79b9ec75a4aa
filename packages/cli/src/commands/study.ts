import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage, GrowsetError, type JsonObject, MemoryQuarantine, OptionsError } from '@growset/core';
import { queueTrialRunner, redactRedisUrl } from '@growset/queue';
import { runStudyJob } from '@growset/report';
import {
  DIGITS_RECIPE,
  parseSearchSpace,
  SCALINGS,
  type ScalingOption,
  STANDARD_VARIANTS,
  type StudyData,
  standardVariants,
} from '@growset/study';
import { loadLabelledDataset } from '@growset/tables';
import {
  defineCommand,
  intOption,
  listOption,
  numberOption,
  type ParsedCommandArgs,
  stringOption,
  UsageError,
} from '../command.ts';
import { queueOption } from '../queue-option.ts';

const MODELS = ['mlp', 'cnn', 'logistic', 'knn', 'majority'] as const;

export const studyCommand = defineCommand({
  name: 'study',
  summary: 'learning curves on your data: more data vs regularization, augmentation, tuning, ensembles',
  usage:
    '<imagefolder | file.csv> [--label COL] [--model mlp|cnn|logistic|knn|majority] [--variants baseline,l2,dropout,augment,...] [--recipe r.json] [--sizes 100,200,400] [--seeds 3] [--test-fraction F] [--test-splits K] --out <dir> [--json]',
  details: `
Holds out a stratified test set of originals, then fits every variant on nested training
subsets of each size, for each seed, in parallel worker threads. Each treatment is compared
with the baseline on the same subsets and test items: the difference with a 95% interval over
seeds and test items, read as helps, hurts or no detectable difference, and the smallest
difference the study can detect (--seeds and --test-splits shrink it). Augmentation and resampling
happen only inside a trial's training originals. Writes results.json (every trial), results.csv,
summary.csv, report.html and trials.jsonl (a killed study resumes from it; --fresh starts over).

Variants: ${STANDARD_VARIANTS.join(', ')}. The first is the baseline the others are compared
with. On images, augment uses --recipe (an @growset/augment-image recipe; default: small affine
warps and elastic distortions, as for handwritten digits). On tables, augment is SMOTE (SMOTE-NC
with categorical columns); smote balances classes; noise and mixup add one row per row;
threshold keeps the base model and moves its decision threshold (two classes only), tuned for
balanced accuracy on each trial's validation originals: resample or move the threshold?`,
  positionals: { min: 1, max: 1 },
  options: {
    out: { type: 'string', value: 'DIR', description: 'output folder (required)' },
    label: { type: 'string', value: 'COL', description: 'label column (CSV input)' },
    model: {
      type: 'string',
      value: 'NAME',
      description: `base model (${MODELS.join(', ')})`,
      default: 'mlp',
    },
    hidden: { type: 'string', value: 'N,N', description: 'hidden layer sizes of the mlp', default: '128,64' },
    epochs: {
      type: 'string',
      value: 'N',
      description:
        'maximum epochs; auto: 200 epochs and at least 2,000 steps, stopped at convergence or by early stopping on held-out originals',
      default: 'auto',
    },
    scale: {
      type: 'string',
      value: 'HOW',
      description:
        'scaling of numeric table features: auto (min-max for pixel-like intensities, else standardize), standardize, minmax, none',
      default: 'auto',
    },
    search: {
      type: 'string',
      value: 'FILE',
      description:
        'search space of the tuned variant (JSON: option -> list or range, e.g. {"learningRate": {"logUniform": [1e-4, 1e-2]}, "units": [32, 64]})',
    },
    batch: { type: 'string', value: 'N', description: 'batch size', default: '32' },
    'learning-rate': { type: 'string', value: 'F', description: 'learning rate', default: '0.003' },
    variants: {
      type: 'string',
      value: 'A,B',
      description: 'variants to compare',
      default: 'baseline,l2,dropout,augment',
    },
    recipe: { type: 'string', value: 'FILE', description: 'image augmentation recipe (JSON)' },
    copies: {
      type: 'string',
      value: 'N',
      description: 'augmented copies per training original',
      default: '2',
    },
    sizes: {
      type: 'string',
      value: 'N,N',
      description: 'training sizes (counts, or fractions <= 1)',
      default: '6 log-spaced sizes',
    },
    seeds: { type: 'string', value: 'N', description: 'seeds per size', default: '3' },
    'test-fraction': {
      type: 'string',
      value: 'F',
      description: 'held-out test fraction (or a count > 1)',
      default: '0.2',
    },
    'test-splits': {
      type: 'string',
      value: 'K',
      description: 'disjoint outer test sets, the whole study run on each and pooled (more power)',
      default: '1',
    },
    target: { type: 'string', value: 'F', description: 'accuracy to project the needed data for' },
    workers: { type: 'string', value: 'N', description: 'worker threads', default: 'one per core' },
    seed: { type: 'string', value: 'N', description: 'study seed (test split, every trial)', default: '0' },
    fresh: { type: 'boolean', description: 'ignore trials.jsonl from an earlier run' },
    queue: {
      type: 'string',
      value: 'URL',
      description: 'run trials on `growset worker`s through Redis (redis://[:pass@]HOST:PORT[/DB])',
    },
    screenshot: { type: 'boolean', description: 'also save report.png (needs a Chromium)' },
  },
  async run(args, io) {
    const input = resolve(io.cwd, args.positionals[0]!);
    const outOption = stringOption(args, 'out');
    if (outOption === undefined)
      throw new UsageError('Missing `--out <dir>`: where to write results and the report');
    const out = resolve(io.cwd, outOption);
    if (!existsSync(input)) throw new UsageError(`Input not found: ${input}`);
    const isFolder = statSync(input).isDirectory();
    const label = stringOption(args, 'label');
    if (!isFolder && label === undefined) throw new UsageError('A CSV input needs `--label <column>`');

    const model = stringOption(args, 'model') ?? 'mlp';
    if (!(MODELS as readonly string[]).includes(model)) {
      throw new UsageError(`Expected \`--model\` to be one of ${MODELS.join(', ')}, got \`${model}\``);
    }
    const base = baseModel(args, model);
    const variantNames = listOption(args, 'variants') ?? ['baseline', 'l2', 'dropout', 'augment'];
    const recipeFile = stringOption(args, 'recipe');
    let recipe: JsonObject | undefined;
    if (recipeFile !== undefined) {
      try {
        recipe = JSON.parse(await readFile(resolve(io.cwd, recipeFile), 'utf8')) as JsonObject;
      } catch (error) {
        throw new UsageError(`Cannot read --recipe ${recipeFile}: ${errorMessage(error)}`, { cause: error });
      }
    }
    const sizes = listOption(args, 'sizes')?.map((s) => {
      const n = Number(s);
      if (!Number.isFinite(n) || n <= 0)
        throw new UsageError(`Expected \`--sizes\` to list positive numbers, got \`${s}\``);
      return n;
    });
    const seeds = intOption(args, 'seeds', { min: 1, max: 100 }) ?? 3;
    const testSize = numberOption(args, 'test-fraction', { min: 0, exclusiveMin: true }) ?? 0.2;
    const testSplits = intOption(args, 'test-splits', { min: 1, max: 50 }) ?? 1;
    const target = numberOption(args, 'target', { min: 0, max: 1, exclusiveMin: true });
    const workers = intOption(args, 'workers', { min: 0, max: 256 });
    const studySeed = intOption(args, 'seed', { min: 0, max: 2 ** 31 - 1 }) ?? 0;
    const copies = intOption(args, 'copies', { min: 1, max: 100 }) ?? 2;
    const scaling = stringOption(args, 'scale') ?? 'auto';
    if (!(SCALINGS as readonly string[]).includes(scaling))
      throw new UsageError(`Expected \`--scale\` to be one of ${SCALINGS.join(', ')}, got \`${scaling}\``);
    const searchFile = stringOption(args, 'search');
    let search: JsonObject | undefined;
    if (searchFile !== undefined) {
      try {
        search = parseSearchSpace(JSON.parse(await readFile(resolve(io.cwd, searchFile), 'utf8')));
      } catch (error) {
        throw new UsageError(`--search ${searchFile}: ${errorMessage(error)}`, { cause: error });
      }
    }
    const queue = queueOption(args);

    const quarantine = new MemoryQuarantine();
    const { data, excluded, read } = isFolder
      ? await loadImageFolder(input, io.signal, quarantine)
      : await loadCsv(input, label!, io.signal, quarantine);
    if (excluded.length > 0)
      io.logger.warn(
        `${excluded.length} sample(s) left out of the study (first: ${excluded[0]!.id}: ${excluded[0]!.reason})`,
      );
    const hasCategorical = data.table?.columns.some((c) => c.kind === 'categorical') ?? false;
    let variants: ReturnType<typeof standardVariants>;
    try {
      variants = standardVariants(variantNames, {
        task: data.task,
        base,
        recipe: recipe ?? DIGITS_RECIPE,
        copies,
        categorical: hasCategorical,
        ...(search ? { search } : {}),
      });
    } catch (error) {
      throw new UsageError(`--variants: ${errorMessage(error)}`, { cause: error });
    }
    const job = await runStudyJob(
      data,
      {
        name: data.name,
        out,
        testSize,
        testSplits,
        ...(sizes ? { trainSizes: sizes } : {}),
        seeds,
        studySeed,
        variants,
        scaling: scaling as ScalingOption,
        ...(workers === undefined ? {} : { workers }),
        ...(target === undefined ? {} : { targetAccuracy: target }),
        fresh: args.values.fresh === true,
        screenshot: args.values.screenshot === true,
        context: {
          input: { path: input, read, excluded: excluded.length, quarantined: quarantine.records.length },
          ...(quarantine.records.length > 0 ? { quarantine: countReasons(quarantine.records) } : {}),
        },
      },
      {
        signal: io.signal,
        logger: io.logger,
        onProgress: io.onProgress,
        ...(queue === undefined ? {} : { runner: queueTrialRunner({ url: queue, logger: io.logger }) }),
      },
    );
    return {
      summary: {
        ...job.summary,
        out,
        ...(queue === undefined ? {} : { queue: redactRedisUrl(queue) }),
      },
      text: job.text,
    };
  },
});

function baseModel(args: ParsedCommandArgs, model: string): JsonObject {
  if (model === 'knn') return { model: 'knn', k: 5 };
  if (model === 'majority') return { model: 'majority' };
  const epochs =
    args.values.epochs === 'auto' ? undefined : intOption(args, 'epochs', { min: 1, max: 10_000 });
  const batchSize = intOption(args, 'batch', { min: 1, max: 65_536 }) ?? 32;
  const learningRate = numberOption(args, 'learning-rate', { min: 0, exclusiveMin: true }) ?? 0.003;
  const training = {
    ...(epochs === undefined ? {} : { epochs }),
    batchSize,
    learningRate,
    earlyStopping: { patience: 5 },
  };
  if (model === 'mlp') {
    const hidden = (listOption(args, 'hidden') ?? ['128', '64']).map((h) => {
      const n = Number(h);
      if (!Number.isInteger(n) || n < 1)
        throw new UsageError(`Expected \`--hidden\` to list positive integers, got \`${h}\``);
      return n;
    });
    return { model: 'mlp', hidden, ...training };
  }
  if (model === 'cnn') return { model: 'cnn', conv: [8, 16], dense: [], ...training };
  return { model: 'logistic', ...training };
}

async function loadImageFolder(
  dir: string,
  signal: AbortSignal,
  quarantine: MemoryQuarantine,
): Promise<{ data: StudyData; excluded: { id: string; reason: string }[]; read: number }> {
  return loadLabelledDataset(dir, { signal, quarantine });
}

async function loadCsv(
  file: string,
  label: string,
  signal: AbortSignal,
  quarantine: MemoryQuarantine,
): Promise<{ data: StudyData; excluded: { id: string; reason: string }[]; read: number }> {
  try {
    return await loadLabelledDataset(file, { label, signal, quarantine });
  } catch (error) {
    // A file without a usable header, or without the label column, is bad usage of the command.
    if (error instanceof OptionsError || (error instanceof GrowsetError && error.code === 'ERR_CSV'))
      throw new UsageError(
        error instanceof OptionsError
          ? `--label: column \`${label}\` is not in ${file} (${error.expected.replace(/^a column of \S+ \(columns: (.*)\)$/, 'columns: $1')})`
          : errorMessage(error),
        { cause: error },
      );
    throw error;
  }
}

function countReasons(records: readonly { stage: string; reason: string }[]): JsonObject[] {
  const counts = new Map<string, { stage: string; reason: string; count: number }>();
  for (const r of records) {
    const key = `${r.stage}\u0000${r.reason}`;
    const entry = counts.get(key) ?? { stage: r.stage, reason: r.reason, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()];
}
