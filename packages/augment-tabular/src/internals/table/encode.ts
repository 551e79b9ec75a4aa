import { type Cell, hardLabel, type TabularSample } from '@growset/core';
import { numericValue, type TableSchema } from './schema.ts';

/** A table as typed arrays: what the methods compute on. */
export interface EncodedTable {
  readonly n: number;
  readonly schema: TableSchema;
  /** Class names, sorted (numbers in numeric order). */
  readonly classes: readonly string[];
  /** Class index of each row. */
  readonly classOf: Int32Array;
  /** Rows of each class, ascending. */
  readonly members: readonly Int32Array[];
  /** Numeric features, row-major (`n x numeric.length`), in the original units; `NaN` if missing. */
  readonly numeric: Float64Array;
  /** Distinct values of each categorical feature, in first-seen order (`null` included if seen). */
  readonly categories: readonly (readonly Cell[])[];
  /** Category index per row and categorical feature, row-major (`n x categorical.length`). */
  readonly codes: Int32Array;
  /** Per numeric feature: every value is an integer. */
  readonly integer: readonly boolean[];
}

/** Encodes rows that passed {@link checkRow}. */
export function encodeTable(samples: readonly TabularSample[], schema: TableSchema): EncodedTable {
  const n = samples.length;
  const dn = schema.numeric.length;
  const dc = schema.categorical.length;
  const labels = samples.map((s) => hardLabel(s.label) ?? '');
  const classes = [...new Set(labels)].sort(compareClassNames);
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const classOf = new Int32Array(n);
  for (let i = 0; i < n; i++) classOf[i] = classIndex.get(labels[i]!)!;
  const members = classMembers(classOf, classes.length);

  const numeric = new Float64Array(n * dn);
  const integer = new Array<boolean>(dn).fill(true);
  for (let i = 0; i < n; i++) {
    const values = samples[i]!.payload.values;
    for (let j = 0; j < dn; j++) {
      const v = numericValue(values[schema.numeric[j]!]);
      const x = v ?? Number.NaN;
      numeric[i * dn + j] = x;
      if (!Number.isInteger(x)) integer[j] = false;
    }
  }

  const codes = new Int32Array(n * dc);
  const categories: Cell[][] = [];
  for (let j = 0; j < dc; j++) {
    const column = schema.categorical[j]!;
    const index = new Map<string, number>();
    const values: Cell[] = [];
    for (let i = 0; i < n; i++) {
      const cell = samples[i]!.payload.values[column] ?? null;
      const key = cellKey(cell);
      let code = index.get(key);
      if (code === undefined) {
        code = values.length;
        index.set(key, code);
        values.push(cell);
      }
      codes[i * dc + j] = code;
    }
    categories.push(values);
  }
  return { n, schema, classes, classOf, members, numeric, categories, codes, integer };
}

/** The rows of each class, in row order, from each row's class index. */
export function classMembers(classOf: Int32Array, classes: number): Int32Array[] {
  const sizes = new Int32Array(classes);
  for (const c of classOf) sizes[c]! += 1;
  const members = Array.from(sizes, (size) => new Int32Array(size));
  const fill = new Int32Array(classes);
  for (let i = 0; i < classOf.length; i++) {
    const c = classOf[i]!;
    members[c]![fill[c]!] = i;
    fill[c]! += 1;
  }
  return members;
}

/** Class names in natural order: `2` before `10`, then text. */
export function compareClassNames(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function cellKey(cell: Cell): string {
  return cell === null ? 'null' : `${typeof cell}:${String(cell)}`;
}

/** Mean and population standard deviation of each numeric feature over `rows` (all rows by default). */
export function columnMoments(
  table: EncodedTable,
  rows?: Int32Array,
): { mean: Float64Array; std: Float64Array } {
  const dn = table.schema.numeric.length;
  const mean = new Float64Array(dn);
  const std = new Float64Array(dn);
  const count = rows ? rows.length : table.n;
  if (count === 0) return { mean, std };
  for (let r = 0; r < count; r++) {
    const i = rows ? rows[r]! : r;
    for (let j = 0; j < dn; j++) mean[j]! += table.numeric[i * dn + j]!;
  }
  for (let j = 0; j < dn; j++) mean[j]! /= count;
  for (let r = 0; r < count; r++) {
    const i = rows ? rows[r]! : r;
    for (let j = 0; j < dn; j++) {
      const t = table.numeric[i * dn + j]! - mean[j]!;
      std[j]! += t * t;
    }
  }
  for (let j = 0; j < dn; j++) std[j] = Math.sqrt(std[j]! / count);
  return { mean, std };
}

/**
 * Numeric features scaled for distances: `(x - mean) / std` over all rows when `standardize`, the
 * raw values otherwise. A constant column keeps scale 1 (it adds nothing to distances either way).
 */
export function distanceFeatures(table: EncodedTable, standardize: boolean): Float64Array {
  const dn = table.schema.numeric.length;
  if (!standardize) return table.numeric.slice();
  const { mean, std } = columnMoments(table);
  const out = new Float64Array(table.numeric.length);
  for (let i = 0; i < table.n; i++) {
    for (let j = 0; j < dn; j++) {
      const s = std[j]! > 0 ? std[j]! : 1;
      out[i * dn + j] = (table.numeric[i * dn + j]! - mean[j]!) / s;
    }
  }
  return out;
}

/** The rows `rows` of a row-major matrix `width` wide, as a new matrix. */
export function gatherRows(matrix: Float64Array, width: number, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) {
    const from = rows[r]! * width;
    out.set(matrix.subarray(from, from + width), r * width);
  }
  return out;
}
