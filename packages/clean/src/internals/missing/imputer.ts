import { type Cell, hardLabel, OptionsError, parseOptions, type TabularSample } from '@growset/core';
import { bump, type CleaningReport, type CleaningStage, fitOnAllStage, isMissing } from '@growset/tables';
import { z } from 'zod';
import { mean, median, mode } from '../stats/describe.ts';

export type ImputeStrategy = 'mean' | 'median' | 'mode' | 'constant';

const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const strategySchema = z.enum(['mean', 'median', 'mode', 'constant']);
const columnSchema = z.union([
  strategySchema,
  z.strictObject({ strategy: strategySchema, fill: cellSchema.optional() }),
]);

const optionsSchema = z.strictObject({
  numeric: strategySchema.default('mean'),
  categorical: z.enum(['mode', 'constant']).default('mode'),
  fill: cellSchema.optional(),
  columns: z.record(z.string(), columnSchema).optional(),
  only: z.array(z.string().min(1)).min(1).optional(),
  perClass: z.boolean().default(false),
});

/** How one column is imputed. */
export interface ColumnImputation {
  strategy: ImputeStrategy;
  /** The value for `constant`. */
  fill?: Cell;
}

/** Options of {@link fitImputer} and {@link impute}. */
export interface ImputeOptions {
  /** Strategy for columns whose present values are all numbers. @default 'mean' */
  numeric?: ImputeStrategy;
  /** Strategy for other columns. @default 'mode' */
  categorical?: 'mode' | 'constant';
  /** The value used by `constant` (for any column without its own). @default none: required with `constant` */
  fill?: Cell;
  /** Per-column strategies, overriding `numeric` and `categorical`. @default none */
  columns?: { [column: string]: ImputeStrategy | ColumnImputation };
  /** Impute only these columns. @default every column */
  only?: string[];
  /**
   * Compute fill values per class (the sample's label), falling back to the overall value when a
   * class has no values. Applying them needs labels: pass `useLabels: false` on data whose labels
   * a model must not see (a test split). @default false
   */
  perClass?: boolean;
}

/** The fitted fill value of a column. */
export interface ColumnFill {
  strategy: ImputeStrategy;
  numeric: boolean;
  /** Overall fill value; `null` when the fit data had none (every value missing). */
  fill: Cell;
  /** Fill value per class (with `perClass`). */
  perClass?: { [label: string]: Cell };
}

/** Options of {@link Imputer.apply} and {@link Imputer.stage}. */
export interface ApplyImputerOptions {
  /** Use per-class fill values (for a per-class imputer). Turn off for a test split. @default true */
  useLabels?: boolean;
  /** Stage name (for `stage()`). @default 'impute' */
  name?: string;
}

/** What an imputation stage filled. */
export interface ImputeReport extends CleaningReport {
  kind: 'impute';
  rows: number;
  /** Rows with at least one filled cell. */
  imputedRows: number;
  /** Filled cells per column. */
  imputed: { [column: string]: number };
  /** Missing cells left missing because the fit data had no value for them. */
  unfilled: { [column: string]: number };
  /** The fitted fill values. */
  fills: { [column: string]: ColumnFill };
  useLabels: boolean;
}

/**
 * Fill values learned from one set of samples (a training split) and applied to any other: the
 * fit/transform separation that keeps a test split's values out of its own imputation.
 */
export interface Imputer {
  readonly fills: { readonly [column: string]: ColumnFill };
  /** A copy of the sample with missing cells filled (listed in `meta.imputed`). */
  apply(sample: TabularSample, options?: ApplyImputerOptions): TabularSample;
  /** A stage applying the imputer to every sample, with a report of what it filled. */
  stage(options?: ApplyImputerOptions): CleaningStage<TabularSample, TabularSample, ImputeReport>;
}

/**
 * Learns fill values from `samples` (mean, median, mode or a constant per column, optionally per
 * class), sklearn `SimpleImputer`-style. Only present values count. Throws an {@link OptionsError}
 * when a numeric strategy is asked for a column that holds text, or `constant` has no `fill`.
 */
export function fitImputer(samples: Iterable<TabularSample>, options: ImputeOptions = {}): Imputer {
  const opts = parseOptions(optionsSchema, options, 'ImputeOptions');
  const present = new Map<string, Cell[]>();
  const byClass = new Map<string, Map<string, Cell[]>>();
  const seen: string[] = [];
  const only = opts.only ? new Set(opts.only) : undefined;
  for (const sample of samples) {
    const label = hardLabel(sample.label);
    for (const [column, value] of Object.entries(sample.payload.values)) {
      if (only && !only.has(column)) continue;
      if (!present.has(column)) {
        present.set(column, []);
        seen.push(column);
      }
      if (isMissing(value)) continue;
      present.get(column)!.push(value);
      if (opts.perClass && label !== undefined) {
        let columns = byClass.get(label);
        if (!columns) {
          columns = new Map();
          byClass.set(label, columns);
        }
        const list = columns.get(column);
        if (list) list.push(value);
        else columns.set(column, [value]);
      }
    }
  }
  for (const column of opts.only ?? []) {
    if (!present.has(column)) {
      present.set(column, []);
      seen.push(column);
    }
  }
  const fills: { [column: string]: ColumnFill } = {};
  for (const column of seen) {
    const values = present.get(column)!;
    const numeric = values.every((v) => typeof v === 'number');
    const override = opts.columns?.[column];
    const chosen: ColumnImputation =
      override === undefined
        ? { strategy: numeric ? opts.numeric : opts.categorical }
        : typeof override === 'string'
          ? { strategy: override }
          : override;
    const fillValue = chosen.fill ?? opts.fill;
    if (chosen.strategy === 'constant' && fillValue === undefined) {
      throw new OptionsError({
        optionsType: 'ImputeOptions',
        field: override === undefined ? 'fill' : `columns.${column}.fill`,
        expected: 'a fill value for the `constant` strategy',
        received: undefined,
      });
    }
    if ((chosen.strategy === 'mean' || chosen.strategy === 'median') && !numeric) {
      if (override === undefined) {
        throw new OptionsError({
          optionsType: 'ImputeOptions',
          field: 'numeric',
          expected: `a strategy that works on text too for column \`${column}\` (its values include text)`,
          received: chosen.strategy,
        });
      }
      throw new OptionsError({
        optionsType: 'ImputeOptions',
        field: `columns.${column}`,
        expected: `\`mode\` or \`constant\` (column \`${column}\` holds text, ${chosen.strategy} needs numbers)`,
        received: override,
      });
    }
    const compute = (list: Cell[]): Cell => fillFor(chosen.strategy, list, fillValue ?? null);
    const fill: ColumnFill = { strategy: chosen.strategy, numeric, fill: compute(values) };
    if (opts.perClass) {
      fill.perClass = {};
      for (const [label, columns] of [...byClass].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const list = columns.get(column);
        if (list && list.length > 0) fill.perClass[label] = compute(list);
      }
    }
    fills[column] = fill;
  }
  return makeImputer(fills);
}

function fillFor(strategy: ImputeStrategy, values: Cell[], constant: Cell): Cell {
  switch (strategy) {
    case 'mean':
      return mean(values as number[]) ?? null;
    case 'median':
      return median(values as number[]) ?? null;
    case 'mode':
      return mode(values) ?? null;
    case 'constant':
      return constant;
  }
}

function makeImputer(fills: { [column: string]: ColumnFill }): Imputer {
  const columns = Object.keys(fills);
  const fillCell = (sample: TabularSample, useLabels: boolean) => {
    const label = useLabels ? hardLabel(sample.label) : undefined;
    const values = sample.payload.values;
    let out: { [column: string]: Cell } | undefined;
    const imputed: string[] = [];
    const unfilled: string[] = [];
    for (const column of columns) {
      if (!isMissing(values[column])) continue;
      const fill = fills[column]!;
      const value = (label === undefined ? undefined : fill.perClass?.[label]) ?? fill.fill;
      if (value === null) {
        unfilled.push(column);
        continue;
      }
      out ??= { ...values };
      out[column] = value;
      imputed.push(column);
    }
    const result: TabularSample =
      out === undefined
        ? sample
        : {
            ...sample,
            payload: { kind: 'tabular', values: out },
            meta: { ...(sample.meta ?? {}), imputed },
          };
    return { sample: result, imputed, unfilled };
  };
  return {
    fills,
    apply(sample, options = {}) {
      return fillCell(sample, options.useLabels ?? true).sample;
    },
    stage(options = {}) {
      const name = options.name ?? 'impute';
      const useLabels = options.useLabels ?? true;
      let report = emptyReport(name, fills, useLabels);
      return {
        name,
        report: () => report,
        async *run(input) {
          report = emptyReport(name, fills, useLabels);
          for await (const sample of input) {
            const result = fillCell(sample, useLabels);
            report.rows += 1;
            if (result.imputed.length > 0) report.imputedRows += 1;
            for (const column of result.imputed) bump(report.imputed, column);
            for (const column of result.unfilled) bump(report.unfilled, column);
            yield result.sample;
          }
        },
      };
    },
  };
}

/**
 * A stage that fits an imputer on everything it receives, then fills it: convenient when there is
 * no train/test split yet. It holds all samples in memory until its input ends. With a split,
 * use {@link fitImputer} on the training samples and `imputer.stage()` on each split.
 */
export function impute(
  options: ImputeOptions & { name?: string } = {},
): CleaningStage<TabularSample, TabularSample, ImputeReport> {
  const { name = 'impute', ...rest } = options;
  parseOptions(optionsSchema, rest, 'ImputeOptions');
  return fitOnAllStage(name, emptyReport(name, {}, true), (all: TabularSample[]) =>
    fitImputer(all, rest).stage({ name }),
  );
}

function emptyReport(
  stage: string,
  fills: { [column: string]: ColumnFill },
  useLabels: boolean,
): ImputeReport {
  return { kind: 'impute', stage, rows: 0, imputedRows: 0, imputed: {}, unfilled: {}, fills, useLabels };
}
