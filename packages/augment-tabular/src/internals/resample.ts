import { DataError, isTabular, type Rng, type TabularSample } from '@growset/core';
import type { MethodContext, MethodResult } from './methods/common.ts';
import {
  type MethodName,
  type ParsedOptions,
  parseResampleOptions,
  type ResampleOptions,
  type SamplingStrategy,
} from './options.ts';
import { entryOf } from './registry.ts';
import { type Direction, targetCounts } from './strategy.ts';
import { synthesize } from './synthesize.ts';
import { checkRow, problemSource } from './table/check.ts';
import { type EncodedTable, encodeTable } from './table/encode.ts';
import { featureColumns } from './table/schema.ts';

/** What a resampling did, per class. */
export interface ResampleReport {
  method: MethodName;
  strategy: SamplingStrategy;
  /**
   * The groups counted: class names, sorted; for regression methods the bins of rare and normal
   * targets (`rare [12.5, 40.1]`); for multilabel methods the single labels.
   */
  classes: string[];
  /** Rows per group before and after. */
  before: { [className: string]: number };
  after: { [className: string]: number };
  /** Synthetic rows added. */
  created: number;
  /** Original rows left out (under-sampling, rows the bootstrap did not draw). */
  removed: number;
  columns: {
    numeric: string[];
    categorical: string[];
    /** Columns not used as features (empty in rows mixing several parents). */
    ignored: string[];
    /** A column that repeats the label, if one was found. */
    label?: string;
  };
  /** Neighbours used per class by neighbour methods (lower than `k` for small classes). */
  neighbors?: { [className: string]: number };
  /** Fallbacks taken: small classes, no sample in danger... */
  warnings: string[];
}

export interface ResampleResult {
  /** Kept originals in input order, then the synthetic rows (class by class). */
  samples: TabularSample[];
  /** Originals left out, in input order. */
  removed: TabularSample[];
  report: ResampleReport;
}

/** Methods that compute with numeric values (so those must be present and numeric). */
export function needsValues(options: ParsedOptions): boolean {
  return entryOf(options.method).needsValues?.(options) ?? true;
}

function direction(method: MethodName): Direction {
  const kind = entryOf(method).kind;
  if (kind === 'clean') return 'under';
  if (kind === 'over-clean') return 'over';
  return kind === 'regression' || kind === 'multilabel' ? 'any' : kind;
}

/**
 * Resamples a table, like imbalanced-learn's `fit_resample(X, y)`: returns the originals that
 * are kept plus synthetic rows, each with lineage (parents, method, parameters). The class of a
 * sample is its (hard) label. All randomness comes from `rng`, forked per method and class: the
 * same generator key gives the same rows.
 *
 * Apply it to a training split only: resampling before the split leaks synthetic copies of test
 * rows into training (imbalanced-learn's documentation shows the inflated scores).
 *
 * Throws an {@link OptionsError} for bad options (also those that depend on the data, such as a
 * strategy naming a class that has no samples) and a {@link DataError} naming the sample, row and
 * column for bad input (a missing label, a missing or non-numeric value in a numeric column).
 */
export function resample(
  samples: readonly TabularSample[],
  options: ResampleOptions,
  rng: Rng,
): ResampleResult {
  const parsed = parseResampleOptions(options);
  return resampleParsed(samples, parsed, rng);
}

/** {@link resample} with options already validated (the stage validates at construction). */
export function resampleParsed(
  samples: readonly TabularSample[],
  options: ParsedOptions,
  rng: Rng,
): ResampleResult {
  const optionsType = `ResampleOptions (method \`${options.method}\`)`;
  samples.forEach((sample, i) => {
    if (!isTabular(sample.payload)) {
      throw new DataError('not tabular', `sample ${i} (\`${sample.id}\`) has no tabular payload`);
    }
  });
  const schema = featureColumns(samples, options, optionsType);
  const needs = needsValues(options);
  let firstProblem: { sample: TabularSample; problem: NonNullable<ReturnType<typeof checkRow>> } | undefined;
  let problems = 0;
  for (const sample of samples) {
    const problem = checkRow(sample, schema, needs);
    if (!problem) continue;
    problems += 1;
    firstProblem ??= { sample, problem };
  }
  if (firstProblem) {
    const { sample, problem } = firstProblem;
    const more = problems > 1 ? ` (${problems} rows have problems)` : '';
    const source = problemSource(sample, problem);
    throw new DataError(problem.reason, `${problem.detail}${more}`, source ? { source } : {});
  }

  const table = encodeTable(samples, schema);
  const { result, report } = resampleTable(table, options, rng);
  const roundIntegers = 'roundIntegers' in options && options.roundIntegers;
  const synthetic = synthesize(samples, table, result.synthetic, options.method, roundIntegers);
  const kept: TabularSample[] = [];
  const removed: TabularSample[] = [];
  samples.forEach((sample, i) => {
    (result.keep[i] ? kept : removed).push(sample);
  });
  return { samples: [...kept, ...synthetic], removed, report };
}

/**
 * Runs the method on an encoded table (rows already checked): the rows to keep, the synthetic
 * rows (not yet samples) and the report. {@link resampleParsed} turns the rows into samples; the
 * columnar path of `augment-table` writes them straight from the table.
 */
export function resampleTable(
  table: EncodedTable,
  options: ParsedOptions,
  rng: Rng,
): { result: MethodResult; report: ResampleReport } {
  const optionsType = `ResampleOptions (method \`${options.method}\`)`;
  const { schema } = table;
  const entry = entryOf(options.method);
  const strategy: SamplingStrategy =
    ('strategy' in options ? options.strategy : undefined) ?? entry.defaultStrategy ?? 'auto';
  const counts = table.members.map((m) => m.length);
  const targets =
    entry.kind === 'clean' || entry.kind === 'regression' || entry.kind === 'multilabel'
      ? counts
      : table.classes.length === 0 && !(typeof strategy === 'object' && 'counts' in strategy)
        ? []
        : targetCounts(table.classes, counts, strategy, direction(options.method), optionsType);
  const warnings: string[] = [];
  const ctx = { table, targets, rng: rng.fork(`resample:${options.method}`), options, warnings };
  const result: MethodResult =
    table.n === 0
      ? { keep: new Uint8Array(0), synthetic: [] }
      : entry.run(ctx as MethodContext<MethodName>, optionsType);

  let removed = 0;
  const after = new Int32Array(table.classes.length);
  for (let i = 0; i < table.n; i++) {
    if (result.keep[i]) after[table.classOf[i]!]! += 1;
    else removed += 1;
  }
  for (const row of result.synthetic) after[row.cls]! += 1;
  const featureSet = new Set([...schema.numeric, ...schema.categorical]);
  const report: ResampleReport = {
    method: options.method,
    strategy,
    ...(result.groups
      ? {
          classes: [...result.groups.names],
          before: Object.fromEntries(result.groups.names.map((g, i) => [g, result.groups!.before[i]!])),
          after: Object.fromEntries(result.groups.names.map((g, i) => [g, result.groups!.after[i]!])),
        }
      : {
          classes: [...table.classes],
          before: Object.fromEntries(table.classes.map((c, i) => [c, counts[i]!])),
          after: Object.fromEntries(table.classes.map((c, i) => [c, after[i]!])),
        }),
    created: result.synthetic.length,
    removed,
    columns: {
      numeric: [...schema.numeric],
      categorical: [...schema.categorical],
      ignored: schema.columns.filter((c) => !featureSet.has(c) && c !== schema.labelColumn),
      ...(schema.labelColumn === undefined ? {} : { label: schema.labelColumn }),
    },
    ...(result.neighbors ? { neighbors: result.neighbors } : {}),
    warnings,
  };
  return { result, report };
}
