import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  findMethod,
  type MethodAlias,
  type MethodName,
  methodNames,
  parseStrategyText,
  type ResampleOptions,
  runAugmentTableJob,
} from '@growset/augment-tabular';
import { readCsvHeader } from '@growset/tables';
import {
  type CommandDefinition,
  defineCommand,
  intOption,
  listOption,
  numberOption,
  type ParsedCommandArgs,
  stringOption,
  UsageError,
} from '../command.ts';

type FlagType =
  | 'int'
  | 'number'
  | 'auto-number'
  | 'string'
  | 'list'
  | 'flag'
  | 'classes'
  | 'amounts'
  | 'relevance';

/** Method option flags: the flag, the option it sets, how it is read, and its help line. */
const METHOD_FLAGS: {
  [flag: string]: { key: string; type: FlagType; value?: string; description: string; default?: string };
} = {
  k: {
    key: 'k',
    type: 'int',
    value: 'N',
    description: 'neighbours (SMOTE family, cleaning methods, NearMiss...)',
    default: 'per method',
  },
  m: {
    key: 'm',
    type: 'int',
    value: 'N',
    description: 'neighbours deciding danger (borderline-smote)',
    default: '10',
  },
  kind: {
    key: 'kind',
    type: 'string',
    value: 'KIND',
    description: 'borderline-1 or borderline-2',
    default: 'borderline-1',
  },
  scale: {
    key: 'scale',
    type: 'number',
    value: 'X',
    description: 'noise std as a fraction of column std (gaussian-noise)',
    default: '0.1',
  },
  swap: {
    key: 'swapProbability',
    type: 'number',
    value: 'P',
    description: 'category swap probability (gaussian-noise)',
    default: '0',
  },
  shrinkage: {
    key: 'shrinkage',
    type: 'number',
    value: 'X',
    description: 'smoothed bootstrap (random-over-sample)',
    default: '0',
  },
  alpha: {
    key: 'alpha',
    type: 'number',
    value: 'A',
    description: 'Beta(alpha, alpha) of mixup',
    default: '0.2',
  },
  'within-class': {
    key: 'withinClass',
    type: 'flag',
    description: 'mix only rows of the same class (mixup)',
  },
  unstratified: {
    key: 'stratify',
    type: 'flag',
    description: 'bootstrap from the whole table, not per class',
  },
  'no-standardize': { key: 'standardize', type: 'flag', description: 'measure distances on raw values' },
  'round-integers': {
    key: 'roundIntegers',
    type: 'flag',
    description: 'round synthetic values of integer-only columns',
  },
  'small-class': {
    key: 'onSmallClass',
    type: 'string',
    value: 'HOW',
    description: 'shrink (use fewer neighbours) or error',
    default: 'shrink',
  },
  classes: {
    key: 'classes',
    type: 'classes',
    value: 'WHICH',
    description:
      'classes a cleaning method may remove rows from: not-minority, majority, not-majority, all or A,B',
    default: 'not-minority',
  },
  'kind-sel': {
    key: 'kindSel',
    type: 'string',
    value: 'K',
    description: 'all or mode: how ENN neighbours must agree',
    default: 'all',
  },
  'max-iter': {
    key: 'maxIter',
    type: 'int',
    value: 'N',
    description: 'rounds at most (repeated-enn, cluster-centroids)',
    default: 'per method',
  },
  'allow-minority': {
    key: 'allowMinority',
    type: 'flag',
    description: 'all-knn: go on when a class falls below the minority',
  },
  threshold: {
    key: 'threshold',
    type: 'number',
    value: 'X',
    description: 'class share cleaned around the minority (ncr); relevance of rare targets (smoter, smogn)',
    default: '0.5',
  },
  seeds: {
    key: 'seeds',
    type: 'int',
    value: 'N',
    description: 'random rows each class starts from (cnn, oss)',
    default: '1',
  },
  version: {
    key: 'version',
    type: 'int',
    value: 'V',
    description: 'NearMiss version 1, 2 or 3',
    default: '1',
  },
  'k-version3': {
    key: 'kVersion3',
    type: 'int',
    value: 'N',
    description: 'candidates around each minority row (nearmiss-3)',
    default: '3',
  },
  folds: {
    key: 'folds',
    type: 'int',
    value: 'N',
    description: 'cross-validation folds (instance-hardness-threshold)',
    default: '5',
  },
  voting: {
    key: 'voting',
    type: 'string',
    value: 'V',
    description: 'soft (centroids) or hard (nearest rows) (cluster-centroids)',
    default: 'soft',
  },
  'out-step': {
    key: 'outStep',
    type: 'number',
    value: 'X',
    description: 'largest extrapolation step from safe support vectors (svm-smote)',
    default: '0.5',
  },
  'svm-c': {
    key: 'svmC',
    type: 'number',
    value: 'C',
    description: "the SVM's penalty (svm-smote)",
    default: '1',
  },
  clusters: {
    key: 'clusters',
    type: 'int',
    value: 'N',
    description: 'k-means clusters (kmeans-smote)',
    default: '8',
  },
  'balance-threshold': {
    key: 'balanceThreshold',
    type: 'auto-number',
    value: 'X',
    description: 'share of the class a cluster needs (kmeans-smote)',
    default: 'auto',
  },
  'density-exponent': {
    key: 'densityExponent',
    type: 'auto-number',
    value: 'X',
    description: 'exponent of cluster sparsity (kmeans-smote)',
    default: 'auto',
  },
  'enn-k': {
    key: 'ennK',
    type: 'int',
    value: 'N',
    description: 'neighbours of the ENN pass (smote-enn)',
    default: '3',
  },
  perturbation: {
    key: 'perturbation',
    type: 'number',
    value: 'X',
    description: 'noise std as a fraction of column std (smogn)',
    default: '0.02',
  },
  relevance: {
    key: 'relevance',
    type: 'relevance',
    value: 'R',
    description: 'target relevance (smoter, smogn): density, or control points y:r,y:r',
    default: 'density',
  },
  amounts: {
    key: 'amounts',
    type: 'amounts',
    value: 'A',
    description: 'balance, or OVER,UNDER factors for rare and normal target bins (smoter, smogn)',
    default: 'balance',
  },
  separator: {
    key: 'separator',
    type: 'string',
    value: 'C',
    description: 'separates labels in the label (mlsmote)',
    default: '|',
  },
};

export const augmentTableCommand = defineCommand({
  name: 'augment-table',
  summary: 'resample a CSV table: SMOTE family, noise, mixup, over/under-sampling, bootstrap',
  usage: '<file.csv> --label COL --method NAME --out FILE [--k 5] [--strategy auto] [--seed N] [--json]',
  details: `
Writes the original rows plus synthetic ones (a column marks them) and prints class counts
before and after. Rows an under-sampler removes are counted as filtered, with the reason.
--strategy: auto (balance), a ratio in (0, 1], x<factor> (x2 doubles every class), or
class=count,... Cleaning methods (tomek-links, enn, ...) take --classes instead.
Options that do not apply to the method are rejected, naming the option.
Apply it to training data only: resampling before a train/test split leaks test rows.

Methods (--method NAME):
${methodHelp()}`,
  positionals: { min: 1, max: 1 },
  options: {
    label: { type: 'string', value: 'COL', description: 'column holding the class label (required)' },
    method: { type: 'string', value: 'NAME', description: 'resampling method (required)' },
    out: { type: 'string', value: 'FILE', description: 'output CSV (required)' },
    seed: { type: 'string', value: 'N', description: 'seed of every random choice', default: '0' },
    strategy: { type: 'string', value: 'S', description: 'target class counts', default: 'auto' },
    ...methodFlagSpecs(),
    columns: { type: 'string', value: 'A,B', description: 'feature columns', default: 'all but the label' },
    numeric: { type: 'string', value: 'A,B', description: 'columns to read as numbers', default: 'inferred' },
    categorical: {
      type: 'string',
      value: 'A,B',
      description: 'columns to read as categories',
      default: 'inferred',
    },
    'id-column': { type: 'string', value: 'COL', description: 'column of unique row ids (written first)' },
    'synthetic-column': {
      type: 'string',
      value: 'NAME',
      description: 'column marking synthetic rows',
      default: 'synthetic',
    },
    lineage: {
      type: 'string',
      value: 'FILE',
      description: "also write a JSONL manifest with every row's lineage",
    },
    quarantine: { type: 'string', value: 'DIR', description: 'write rejected rows to DIR/quarantine.jsonl' },
    delimiter: {
      type: 'string',
      value: 'C',
      description: 'field delimiter, or auto (detects , ; tab |; the output uses the same)',
      default: 'auto',
    },
  },
  async run(args, io) {
    const input = resolve(io.cwd, args.positionals[0]!);
    if (!existsSync(input) || !statSync(input).isFile())
      throw new UsageError(`Input CSV not found: ${input}`);
    const label = required(args, 'label');
    const chosen = methodOption(required(args, 'method'));
    const out = resolve(io.cwd, required(args, 'out'));
    const seed = intOption(args, 'seed', { min: 0, max: 2 ** 31 - 1 }) ?? 0;
    const delimiter = stringOption(args, 'delimiter') ?? 'auto';
    if (delimiter !== 'auto' && delimiter.length !== 1)
      throw new UsageError(`Expected \`--delimiter\` to be one character or auto, got \`${delimiter}\``);
    const idColumn = stringOption(args, 'id-column');
    const syntheticColumn = stringOption(args, 'synthetic-column') ?? 'synthetic';

    const header = await readCsvHeader(input, { delimiter });
    const known = (flag: string, column: string) => {
      if (!header.includes(column)) {
        throw new UsageError(
          `\`--${flag}\` names column \`${column}\`, which ${input} does not have; its columns: ${header.join(', ')}`,
        );
      }
    };
    known('label', label);
    if (idColumn !== undefined) known('id-column', idColumn);
    for (const flag of ['columns', 'numeric', 'categorical'])
      for (const c of listOption(args, flag) ?? []) known(flag, c);
    if (header.includes(syntheticColumn)) {
      throw new UsageError(
        `${input} already has a column \`${syntheticColumn}\`; choose another with --synthetic-column`,
      );
    }

    const lineage = stringOption(args, 'lineage');
    const folder = stringOption(args, 'quarantine');
    const job = await runAugmentTableJob(
      {
        input,
        out,
        label,
        resample: resampleOptions(args, chosen),
        seed,
        delimiter,
        syntheticColumn,
        ...(idColumn === undefined ? {} : { idColumn }),
        ...(lineage === undefined ? {} : { lineage: resolve(io.cwd, lineage) }),
        ...(folder === undefined ? {} : { quarantine: resolve(io.cwd, folder) }),
      },
      { signal: io.signal, logger: io.logger, onProgress: io.onProgress },
    );
    return {
      summary: job.summary,
      text: job.text,
      ...(job.summary.error === undefined ? {} : { exitCode: 1 }),
    };
  },
});

function required(args: ParsedCommandArgs, name: string): string {
  const value = stringOption(args, name);
  if (value === undefined || value.trim() === '') {
    throw new UsageError(
      `\`growset augment-table\` needs \`--${name}\`. See \`growset augment-table --help\``,
    );
  }
  return value;
}

/** A method by any of its names (`smote-nc`, `smoteNC`, `nearmiss-2`), with the options that name presets. */
function methodOption(text: string): MethodAlias {
  const found = findMethod(text);
  if (!found) {
    throw new UsageError(
      `Unknown method \`${text}\`; methods: ${methodNames()
        .map((m) => m.name)
        .join(', ')}`,
    );
  }
  return found;
}

/** The method list of `--help`, from the registry: every name with its one-line summary. */
function methodHelp(): string {
  const byMethod = new Map<MethodName, string[]>();
  for (const alias of methodNames())
    byMethod.set(alias.method, [...(byMethod.get(alias.method) ?? []), alias.name]);
  return [...byMethod.values()]
    .map((names) => {
      const summary = findMethod(names[0]!)!.summary;
      return `  ${names.join(', ')}\n      ${summary}`;
    })
    .join('\n');
}

function methodFlagSpecs(): CommandDefinition['options'] {
  return Object.fromEntries(
    Object.entries(METHOD_FLAGS).map(([flag, spec]) => [
      flag,
      {
        type: spec.type === 'flag' ? ('boolean' as const) : ('string' as const),
        description: spec.description,
        ...(spec.value === undefined ? {} : { value: spec.value }),
        ...(spec.default === undefined ? {} : { default: spec.default }),
      },
    ]),
  );
}

/**
 * Options for `resample` from the flags given: flags left out keep the method's defaults. A flag
 * that does not apply to the method reaches the method's schema, which names it in its error.
 */
function resampleOptions(args: ParsedCommandArgs, chosen: MethodAlias): ResampleOptions {
  const options: { [name: string]: unknown } = { method: chosen.method };
  const strategy = stringOption(args, 'strategy');
  if (strategy !== undefined) {
    const parsed = parseStrategyText(strategy);
    if (typeof parsed === 'object' && 'error' in parsed)
      throw new UsageError(`Expected \`--strategy\` to be ${parsed.error}`);
    options.strategy = parsed;
  }
  for (const [flag, spec] of Object.entries(METHOD_FLAGS)) {
    let value: unknown;
    switch (spec.type) {
      case 'int':
        value = intOption(args, flag, { min: 1 });
        break;
      case 'number':
        value = numberOption(args, flag, { min: 0 });
        break;
      case 'string':
        value = stringOption(args, flag);
        break;
      case 'auto-number':
        value = stringOption(args, flag) === 'auto' ? 'auto' : numberOption(args, flag, { min: 0 });
        break;
      case 'list':
        value = listOption(args, flag);
        break;
      case 'classes': {
        const text = stringOption(args, flag);
        if (text === undefined) break;
        const named = text.trim().toLowerCase().replace(/-/g, ' ');
        value = ['not minority', 'majority', 'not majority', 'all'].includes(named)
          ? named
          : listOption(args, flag);
        break;
      }
      case 'amounts': {
        const text = stringOption(args, flag);
        if (text === undefined || text === 'balance') {
          value = text;
          break;
        }
        const [over, under, ...rest] = text.split(',').map(Number);
        if (rest.length > 0 || !Number.isFinite(over) || !Number.isFinite(under))
          throw new UsageError(
            `Expected \`--amounts\` to be \`balance\` or OVER,UNDER (e.g. 2,0.5), got \`${text}\``,
          );
        value = { over, under };
        break;
      }
      case 'relevance': {
        const text = stringOption(args, flag);
        if (text === undefined || text === 'density') {
          value = text;
          break;
        }
        const points = text.split(',').map((pair) => pair.split(':').map(Number));
        if (points.some((p) => p.length !== 2 || p.some((v) => !Number.isFinite(v))))
          throw new UsageError(
            `Expected \`--relevance\` to be \`density\` or y:r pairs (e.g. 0:0,10:1), got \`${text}\``,
          );
        value = { points };
        break;
      }
      case 'flag':
        // The boolean flags all turn a default around (`--no-standardize` sets `standardize: false`).
        if (args.values[flag] === true) value = !(flag === 'unstratified' || flag === 'no-standardize');
        break;
    }
    if (value !== undefined) options[spec.key] = value;
  }
  for (const flag of ['columns', 'numeric', 'categorical']) {
    const value = listOption(args, flag);
    if (value !== undefined) options[flag] = value;
  }
  for (const [key, preset] of Object.entries(chosen.preset)) {
    if (options[key] !== undefined && options[key] !== preset) {
      throw new UsageError(
        `\`--method ${chosen.name}\` sets ${key}=${JSON.stringify(preset)}; it conflicts with the flag giving ${JSON.stringify(options[key])}`,
      );
    }
    options[key] = preset;
  }
  return options as unknown as ResampleOptions;
}
