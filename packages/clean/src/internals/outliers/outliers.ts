import { hardLabel, parseOptions, type TabularSample } from '@growset/core';
import { bump, type CleaningReport, type CleaningStage, fitOnAllStage } from '@growset/tables';
import { z } from 'zod';
import { mean, quantileSorted, sortNumbers, std } from '../stats/describe.ts';

const optionsSchema = z.strictObject({
  method: z.enum(['iqr', 'zscore']).default('iqr'),
  k: z.number().positive().default(1.5),
  z: z.number().positive().default(3),
  columns: z.array(z.string().min(1)).min(1).optional(),
  perClass: z.boolean().default(false),
  minValues: z.int().min(2).default(8),
  action: z.enum(['filter', 'flag']).default('filter'),
});

/** Options of {@link fitOutliers} and {@link removeOutliers}. */
export interface OutlierOptions {
  /** `iqr`: outside [Q1 - k IQR, Q3 + k IQR] (Tukey's fences); `zscore`: more than `z` standard deviations from the mean. @default 'iqr' */
  method?: 'iqr' | 'zscore';
  /** Fence multiplier for `iqr`. @default 1.5 */
  k?: number;
  /** Threshold for `zscore`. @default 3 */
  z?: number;
  /** Numeric columns to check. @default every column whose present values are all numbers */
  columns?: string[];
  /** Compute bounds per class (falling back to overall bounds for small classes). @default false */
  perClass?: boolean;
  /** Fewest values needed to compute bounds for a column (or a class). @default 8 */
  minValues?: number;
  /** `filter` drops outlying rows (reason `outlier`); `flag` keeps them with `meta.outliers`. @default 'filter' */
  action?: 'filter' | 'flag';
}

/** Accepted range of a column. */
export interface Bounds {
  low: number;
  high: number;
}

/** Bounds per column, overall and per class. */
export interface OutlierBounds {
  method: 'iqr' | 'zscore';
  columns: { [column: string]: Bounds };
  perClass: { [label: string]: { [column: string]: Bounds } };
}

/** What an outlier stage found. */
export interface OutliersReport extends CleaningReport {
  kind: 'outliers';
  method: 'iqr' | 'zscore';
  action: 'filter' | 'flag';
  rows: number;
  /** Rows with at least one outlying value. */
  outlierRows: number;
  /** Outlying values per column. */
  byColumn: { [column: string]: number };
  bounds: OutlierBounds;
}

/** Bounds learned on one set of samples and applied to others. */
export interface OutlierDetector {
  readonly bounds: OutlierBounds;
  /** Columns of the sample outside their bounds, with the value and the bounds. */
  check(
    sample: TabularSample,
    options?: { useLabels?: boolean },
  ): { column: string; value: number; bounds: Bounds }[];
  /** A stage dropping (or flagging) outlying rows. */
  stage(options?: {
    name?: string;
    useLabels?: boolean;
  }): CleaningStage<TabularSample, TabularSample, OutliersReport>;
}

/**
 * Learns per-column bounds from `samples` (Tukey's IQR fences or z-scores), overall or per class.
 * Missing and non-numeric values are ignored; a column with fewer than `minValues` numbers gets
 * no bounds.
 */
export function fitOutliers(samples: Iterable<TabularSample>, options: OutlierOptions = {}): OutlierDetector {
  const opts = parseOptions(optionsSchema, options, 'OutlierOptions');
  const overall = new Map<string, number[]>();
  const byClass = new Map<string, Map<string, number[]>>();
  const textColumns = new Set<string>();
  const wanted = opts.columns ? new Set(opts.columns) : undefined;
  for (const sample of samples) {
    const label = hardLabel(sample.label);
    for (const [column, value] of Object.entries(sample.payload.values)) {
      if (wanted && !wanted.has(column)) continue;
      if (value === null) continue;
      if (typeof value !== 'number') {
        textColumns.add(column);
        continue;
      }
      if (!Number.isFinite(value)) continue;
      push(overall, column, value);
      if (opts.perClass && label !== undefined) {
        let columns = byClass.get(label);
        if (!columns) {
          columns = new Map();
          byClass.set(label, columns);
        }
        push(columns, column, value);
      }
    }
  }
  const keep = (column: string) => wanted !== undefined || !textColumns.has(column);
  const boundsOf = (values: number[]): Bounds | undefined =>
    values.length < opts.minValues ? undefined : computeBounds(values, opts);
  const bounds: OutlierBounds = { method: opts.method, columns: {}, perClass: {} };
  for (const [column, values] of overall) {
    const b = keep(column) ? boundsOf(values) : undefined;
    if (b) bounds.columns[column] = b;
  }
  for (const [label, columns] of [...byClass].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const perColumn: { [column: string]: Bounds } = {};
    for (const [column, values] of columns) {
      const b = keep(column) ? boundsOf(values) : undefined;
      if (b) perColumn[column] = b;
    }
    bounds.perClass[label] = perColumn;
  }
  return makeDetector(bounds, opts);
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function computeBounds(values: number[], opts: z.output<typeof optionsSchema>): Bounds {
  if (opts.method === 'zscore') {
    const m = mean(values)!;
    const s = std(values)!;
    return { low: m - opts.z * s, high: m + opts.z * s };
  }
  const sorted = sortNumbers(values);
  const q1 = quantileSorted(sorted, 0.25)!;
  const q3 = quantileSorted(sorted, 0.75)!;
  const iqr = q3 - q1;
  return { low: q1 - opts.k * iqr, high: q3 + opts.k * iqr };
}

function makeDetector(bounds: OutlierBounds, opts: z.output<typeof optionsSchema>): OutlierDetector {
  const check: OutlierDetector['check'] = (sample, options = {}) => {
    const label = (options.useLabels ?? true) ? hardLabel(sample.label) : undefined;
    const own = label === undefined ? undefined : bounds.perClass[label];
    const found: { column: string; value: number; bounds: Bounds }[] = [];
    for (const [column, value] of Object.entries(sample.payload.values)) {
      if (typeof value !== 'number') continue;
      const b = own?.[column] ?? bounds.columns[column];
      if (b && (value < b.low || value > b.high)) found.push({ column, value, bounds: b });
    }
    return found;
  };
  return {
    bounds,
    check,
    stage(options = {}) {
      const name = options.name ?? 'outliers';
      let report = emptyReport(name, bounds, opts.action);
      return {
        name,
        report: () => report,
        async *run(input, ctx) {
          report = emptyReport(name, bounds, opts.action);
          for await (const sample of input) {
            report.rows += 1;
            const found = check(sample, options);
            if (found.length === 0) {
              yield sample;
              continue;
            }
            report.outlierRows += 1;
            for (const f of found) bump(report.byColumn, f.column);
            const detail = found
              .map(
                (f) =>
                  `${f.column}=${f.value} outside [${round(f.bounds.low)}, ${round(f.bounds.high)}] (${describeMethod(opts)})`,
              )
              .join('; ');
            if (opts.action === 'filter') {
              ctx.filter(sample, 'outlier', detail);
              continue;
            }
            yield { ...sample, meta: { ...(sample.meta ?? {}), outliers: found.map((f) => f.column) } };
          }
        },
      };
    },
  };
}

function describeMethod(opts: z.output<typeof optionsSchema>): string {
  return opts.method === 'iqr' ? `IQR, k=${opts.k}` : `z-score, z=${opts.z}`;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * A stage that learns outlier bounds from everything it receives, then drops (or flags) the
 * outlying rows. It holds all samples until its input ends. With a train/test split, fit on the
 * training samples with {@link fitOutliers} instead.
 */
export function removeOutliers(
  options: OutlierOptions & { name?: string } = {},
): CleaningStage<TabularSample, TabularSample, OutliersReport> {
  const { name = 'outliers', ...rest } = options;
  const opts = parseOptions(optionsSchema, rest, 'OutlierOptions');
  return fitOnAllStage(
    name,
    emptyReport(name, { method: opts.method, columns: {}, perClass: {} }, opts.action),
    (all: TabularSample[]) => fitOutliers(all, rest).stage({ name }),
  );
}

function emptyReport(stage: string, bounds: OutlierBounds, action: 'filter' | 'flag'): OutliersReport {
  return {
    kind: 'outliers',
    stage,
    method: bounds.method,
    action,
    rows: 0,
    outlierRows: 0,
    byColumn: {},
    bounds,
  };
}
