import { type Cell, isTabular, parseOptions, type Sample } from '@growset/core';
import { z } from 'zod';
import { isMissing } from '../cells.ts';
import { parseIsoDate, parseNumber } from './coerce.ts';
import { schemaToTypeScript, type TypeScriptOptions } from './typescript.ts';

const optionsSchema = z.strictObject({
  maxEnumValues: z.int().min(1).max(1000).default(12),
  typeThreshold: z.number().gt(0.5).max(1).default(0.9),
  sampleSize: z.int().min(1).default(1000),
  exceptions: z.int().min(0).max(100).default(5),
});

/** Options of {@link inferSchema}. */
export interface InferSchemaOptions {
  /** A text column with at most this many distinct values (and repeats) becomes an enum. @default 12 */
  maxEnumValues?: number;
  /** Share of present values that must read as a type for the column to get it; the rest are listed as exceptions, which the schema rejects. @default 0.9 */
  typeThreshold?: number;
  /** Rows looked at (the first ones). @default 1000 */
  sampleSize?: number;
  /** Offending values kept per column. @default 5 */
  exceptions?: number;
}

export type InferredType = 'number' | 'int' | 'boolean' | 'date' | 'enum' | 'string' | 'unknown';

/** What was learned about one column. */
export interface InferredColumn {
  name: string;
  type: InferredType;
  /** Some rows lack a value: the field is `.nullable()`. */
  nullable: boolean;
  present: number;
  missing: number;
  /** Options of an enum column, most frequent first. */
  values?: string[];
  /** Range of a number column in the sample. */
  min?: number;
  max?: number;
  /** Values that do not fit the chosen type (the schema rejects them): typos, placeholders. */
  exceptions: Cell[];
}

/** A proposed row schema. */
export interface InferredSchema {
  /** Rows looked at. */
  rows: number;
  columns: InferredColumn[];
  /** The schema, ready for {@link validate}. */
  schema: z.ZodObject;
  /** The schema as a TypeScript module to review and keep. */
  toTypeScript(options?: TypeScriptOptions): string;
}

/** A row for {@link inferSchema}: a tabular sample or a plain object of cells. */
export type RowLike = Sample<unknown> | { readonly [column: string]: Cell };

/**
 * Proposes a zod schema from a sample of rows: each column becomes a number, integer, boolean,
 * ISO date, enum (few distinct texts) or string, `.nullable()` if any value is missing. A column
 * where most values are numbers but a few are not (`"n/a?"`, `"12,5"`) stays a number and lists
 * the odd values as exceptions, so {@link validate} quarantines them. Single occurrences of a value
 * in an enum column of 20+ rows are treated the same way. Review the result: it is a quick start.
 */
export function inferSchema(rows: Iterable<RowLike>, options: InferSchemaOptions = {}): InferredSchema {
  const opts = parseOptions(optionsSchema, options, 'InferSchemaOptions');
  const stats = new Map<string, ColumnStats>();
  let count = 0;
  for (const row of rows) {
    if (count >= opts.sampleSize) break;
    const values = rowValues(row);
    if (values === undefined) continue;
    count += 1;
    for (const name of Object.keys(values)) {
      if (!stats.has(name)) stats.set(name, newStats(count - 1));
    }
    for (const [name, column] of stats) observe(column, values[name], opts.maxEnumValues);
  }
  const columns = [...stats].map(([name, column]) => decide(name, column, count, opts));
  const shape: { [name: string]: z.ZodType } = {};
  for (const column of columns) shape[column.name] = fieldSchema(column);
  const schema = z.object(shape);
  return {
    rows: count,
    columns,
    schema,
    toTypeScript: (tsOptions) => schemaToTypeScript(columns, { rows: count, ...tsOptions }),
  };
}

interface ColumnStats {
  missing: number;
  present: number;
  numbers: number;
  integers: number;
  booleans: number;
  dates: number;
  min: number;
  max: number;
  /** Distinct texts and their counts, until there are too many. */
  texts: Map<string, number> | undefined;
  samples: Cell[];
}

function newStats(missingSoFar: number): ColumnStats {
  return {
    missing: missingSoFar,
    present: 0,
    numbers: 0,
    integers: 0,
    booleans: 0,
    dates: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    texts: new Map(),
    samples: [],
  };
}

const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no']);

function observe(column: ColumnStats, value: Cell | undefined, maxEnum: number): void {
  if (value === undefined || isMissing(value)) {
    column.missing += 1;
    return;
  }
  column.present += 1;
  let number: number | undefined;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'string' && !/^[+-]?0\d/.test(value)) number = parseNumber(value);
  if (number !== undefined) {
    column.numbers += 1;
    if (Number.isInteger(number)) column.integers += 1;
    if (number < column.min) column.min = number;
    if (number > column.max) column.max = number;
  }
  if (typeof value === 'boolean' || (typeof value === 'string' && BOOLEAN_WORDS.has(value.toLowerCase()))) {
    column.booleans += 1;
  }
  if (typeof value === 'string' && parseIsoDate(value) !== undefined) column.dates += 1;
  if (column.texts !== undefined) {
    const text = String(value);
    column.texts.set(text, (column.texts.get(text) ?? 0) + 1);
    if (column.texts.size > maxEnum * 4 + 20) column.texts = undefined;
  }
  if (column.samples.length < 200) column.samples.push(value);
}

function decide(
  name: string,
  column: ColumnStats,
  rows: number,
  opts: z.output<typeof optionsSchema>,
): InferredColumn {
  const missing = rows - column.present;
  const base = { name, nullable: missing > 0, present: column.present, missing };
  const share = (n: number) => (column.present === 0 ? 0 : n / column.present);
  const exceptions = (fits: (v: Cell) => boolean) =>
    unique(column.samples.filter((v) => !fits(v))).slice(0, opts.exceptions);
  if (column.present === 0) return { ...base, type: 'unknown', nullable: true, exceptions: [] };
  if (share(column.booleans) >= opts.typeThreshold) {
    return {
      ...base,
      type: 'boolean',
      exceptions: exceptions(
        (v) => typeof v === 'boolean' || (typeof v === 'string' && BOOLEAN_WORDS.has(v.toLowerCase())),
      ),
    };
  }
  if (share(column.numbers) >= opts.typeThreshold) {
    const isNumber = (v: Cell) =>
      typeof v === 'number' ||
      (typeof v === 'string' && !/^[+-]?0\d/.test(v) && parseNumber(v) !== undefined);
    return {
      ...base,
      type: column.integers === column.numbers ? 'int' : 'number',
      min: column.min,
      max: column.max,
      exceptions: exceptions(isNumber),
    };
  }
  if (share(column.dates) >= opts.typeThreshold) {
    return {
      ...base,
      type: 'date',
      exceptions: exceptions((v) => typeof v === 'string' && parseIsoDate(v) !== undefined),
    };
  }
  const texts = column.texts;
  if (texts !== undefined) {
    const ranked = [...texts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const rare = column.present >= 20 ? ranked.filter(([, n]) => n === 1).map(([v]) => v) : [];
    const kept = ranked.filter(([v]) => !rare.includes(v)).map(([v]) => v);
    if (kept.length > 0 && kept.length <= opts.maxEnumValues && kept.length < column.present) {
      return { ...base, type: 'enum', values: kept, exceptions: rare.slice(0, opts.exceptions) };
    }
  }
  return { ...base, type: 'string', exceptions: [] };
}

function fieldSchema(column: InferredColumn): z.ZodType {
  let field: z.ZodType;
  switch (column.type) {
    case 'number':
      field = z.number();
      break;
    case 'int':
      field = z.int();
      break;
    case 'boolean':
      field = z.boolean();
      break;
    case 'date':
      field = z.date();
      break;
    case 'enum':
      field = z.enum(column.values as [string, ...string[]]);
      break;
    default:
      field = z.string();
  }
  return column.nullable ? field.nullable() : field;
}

function rowValues(row: RowLike): { readonly [column: string]: Cell } | undefined {
  if (typeof row !== 'object' || row === null) return undefined;
  if ('payload' in row && 'lineage' in row) {
    const payload = (row as Sample<unknown>).payload;
    return isTabular(payload) ? payload.values : undefined;
  }
  return row as { readonly [column: string]: Cell };
}

function unique(values: readonly Cell[]): Cell[] {
  return [...new Set(values)];
}
