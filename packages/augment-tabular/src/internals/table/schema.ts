import { type Cell, hardLabel, OptionsError, type TabularSample } from '@growset/core';

/** How the columns of a table are used. */
export interface TableSchema {
  /** Every column seen, in first-seen order (the order synthetic rows use). */
  readonly columns: readonly string[];
  /** Numeric feature columns. */
  readonly numeric: readonly string[];
  /** Categorical feature columns. */
  readonly categorical: readonly string[];
  /** A column that only repeats the label: not a feature; synthetic rows get their label there. */
  readonly labelColumn: string | undefined;
}

export interface SchemaOptions {
  columns?: readonly string[] | undefined;
  numeric?: readonly string[] | undefined;
  categorical?: readonly string[] | undefined;
}

/**
 * Decides which columns of in-memory samples are features and whether each is used as numeric or
 * categorical (the role a resampler gives it; the types of a CSV file's cells are inferred once,
 * when it is read, by @growset/tables). A declared role wins; otherwise a column is numeric when
 * more than half of its non-missing values are numbers (the rest are then reported as
 * non-numeric values rather than silently turning the column into text), categorical otherwise.
 */
export function featureColumns(
  samples: readonly TabularSample[],
  options: SchemaOptions,
  optionsType = 'ResampleOptions',
): TableSchema {
  const seen = new Set<string>();
  const columns: string[] = [];
  for (const sample of samples) {
    for (const column in sample.payload.values) {
      if (!seen.has(column)) {
        seen.add(column);
        columns.push(column);
      }
    }
  }
  // An empty table has no columns to check names against.
  const known = (field: string, list: readonly string[] | undefined) => {
    if (samples.length === 0) return;
    list?.forEach((column, i) => {
      if (!seen.has(column)) {
        throw new OptionsError({
          optionsType,
          field: `${field}[${i}]`,
          expected: `one of the table's columns (${describeColumns(columns)})`,
          received: column,
        });
      }
    });
  };
  known('columns', options.columns);
  known('numeric', options.numeric);
  known('categorical', options.categorical);
  const declaredNumeric = new Set(options.numeric ?? []);
  const declaredCategorical = new Set(options.categorical ?? []);
  for (const column of declaredNumeric) {
    if (declaredCategorical.has(column)) {
      throw new OptionsError({
        optionsType,
        field: 'categorical',
        expected: 'columns not also listed in `numeric`',
        received: column,
      });
    }
  }

  const labelColumn = options.columns ? undefined : findLabelColumn(samples, columns);
  const features = options.columns ? [...options.columns] : columns.filter((c) => c !== labelColumn);
  const numeric: string[] = [];
  const categorical: string[] = [];
  for (const column of features) {
    if (declaredNumeric.has(column)) numeric.push(column);
    else if (declaredCategorical.has(column)) categorical.push(column);
    else if (looksNumeric(samples, column)) numeric.push(column);
    else categorical.push(column);
  }
  return { columns, numeric, categorical, labelColumn };
}

/** A value usable as a number: a finite number, or text that reads as one. */
export function numericValue(cell: Cell | undefined): number | undefined {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : undefined;
  if (typeof cell === 'string') {
    const text = cell.trim();
    if (text === '') return undefined;
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
  }
  return undefined;
}

/** Whether a cell counts as missing: `null`, absent, `NaN`, or blank text. */
export function isMissing(cell: Cell | undefined): boolean {
  return (
    cell === null ||
    cell === undefined ||
    (typeof cell === 'number' && Number.isNaN(cell)) ||
    (typeof cell === 'string' && cell.trim() === '')
  );
}

function looksNumeric(samples: readonly TabularSample[], column: string): boolean {
  let numbers = 0;
  let others = 0;
  for (const sample of samples) {
    const cell = sample.payload.values[column];
    if (typeof cell === 'number') {
      if (!Number.isNaN(cell)) numbers += 1;
      continue;
    }
    if (isMissing(cell)) continue;
    if (numericValue(cell) !== undefined) numbers += 1;
    else others += 1;
  }
  return numbers > others;
}

function findLabelColumn(samples: readonly TabularSample[], columns: readonly string[]): string | undefined {
  if (samples.length === 0) return undefined;
  return columns.find((column) =>
    samples.every((sample) => {
      const label = hardLabel(sample.label);
      const cell = sample.payload.values[column];
      return label !== undefined && cell !== null && cell !== undefined && String(cell) === label;
    }),
  );
}

function describeColumns(columns: readonly string[]): string {
  const shown = columns.slice(0, 12).map((c) => JSON.stringify(c));
  return columns.length > 12 ? `${shown.join(', ')}, ... ${columns.length - 12} more` : shown.join(', ');
}
