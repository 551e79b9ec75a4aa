import { type Cell, derive, type TabularPayload, type TabularSample } from '@growset/core';
import type { SyntheticRow } from './methods/common.ts';
import type { MethodName } from './options.ts';
import type { EncodedTable } from './table/encode.ts';

/** Version of the lineage parameters written by this package. */
export const LINEAGE_VERSION = 1;

/**
 * Turns synthetic rows into samples with lineage: `derive()` from all parents, the method as the
 * operation, the row's parameters. Ids are `<first parent id>~<method><n>`, unique within the
 * input and output.
 */
export function synthesize(
  samples: readonly TabularSample[],
  table: EncodedTable,
  rows: readonly SyntheticRow[],
  method: MethodName,
  roundIntegers: boolean,
): TabularSample[] {
  const { schema } = table;
  // An id `<parent>~<method><n>` can only clash with an input id that contains `~`.
  const used = samples.some((s) => s.id.includes('~')) ? new Set(samples.map((s) => s.id)) : undefined;
  const counters = new Int32Array(samples.length);
  const numericIndex = new Map(schema.numeric.map((c, j) => [c, j]));
  const categoricalIndex = new Map(schema.categorical.map((c, j) => [c, j]));
  const plan = schema.columns.map((column) => {
    const j = numericIndex.get(column);
    if (j !== undefined)
      return { column, kind: 'numeric' as const, index: j, round: roundIntegers && table.integer[j]! };
    const q = categoricalIndex.get(column);
    if (q !== undefined) return { column, kind: 'categorical' as const, index: q, round: false };
    return {
      column,
      kind: column === schema.labelColumn ? ('label' as const) : ('other' as const),
      index: -1,
      round: false,
    };
  });

  const build = valuesBuilder(plan, table);

  return rows.map((row) => {
    const first = row.parents[0]!;
    const base = samples[first]!;
    let id: string;
    do {
      counters[first]! += 1;
      id = `${base.id}~${method}${counters[first]}`;
    } while (used?.has(id));
    used?.add(id);

    const className = table.classes[row.cls]!;
    const values =
      row.numeric === null && row.codes === null
        ? { ...base.payload.values }
        : build(row, first, base.payload.values, className, row.parents.length === 1);
    return derive<TabularPayload>(
      row.parents.map((p) => samples[p]!),
      {
        id,
        op: method,
        version: LINEAGE_VERSION,
        params: row.params,
        payload: { kind: 'tabular', values },
        label: row.label ?? className,
      },
    );
  });
}

type Plan = {
  column: string;
  kind: 'numeric' | 'categorical' | 'label' | 'other';
  index: number;
  round: boolean;
}[];

/**
 * A function building a synthetic row's values as one object literal, in the plan's column
 * order (every row gets the same shape at once instead of growing one property at a time):
 * numeric cells from the row's values or its first parent's (rounded for integer-only columns
 * with `roundIntegers`), categories from the codes, the label column from the row's label, other
 * columns copied from a single parent. Names are JSON-quoted; `__proto__` is a computed key.
 */
function valuesBuilder(
  plan: Plan,
  table: EncodedTable,
): (
  row: SyntheticRow,
  first: number,
  parent: { readonly [column: string]: Cell },
  className: string,
  single: boolean,
) => { [column: string]: Cell } {
  const dn = table.schema.numeric.length;
  const dc = table.schema.categorical.length;
  const props = plan.map(({ column, kind, index, round }) => {
    const key = JSON.stringify(column);
    const prop = column === '__proto__' ? `[${key}]` : key;
    switch (kind) {
      case 'numeric': {
        const v = `(row.numeric ? row.numeric[${index}] : tn[first * ${dn} + ${index}])`;
        return `${prop}: ${round ? `Math.round(${v})` : v}`;
      }
      case 'categorical':
        return `${prop}: cats[${index}][row.codes ? row.codes[${index}] : tc[first * ${dc} + ${index}]]`;
      case 'label':
        return `${prop}: typeof row.label === 'string' ? row.label : className`;
      default:
        return `${prop}: single ? (parent[${key}] ?? null) : null`;
    }
  });
  const factory = new Function(
    'tn',
    'tc',
    'cats',
    `return (row, first, parent, className, single) => ({ ${props.join(', ')} });`,
  ) as (
    tn: Float64Array,
    tc: Int32Array,
    cats: readonly (readonly Cell[])[],
  ) => ReturnType<typeof valuesBuilder>;
  return factory(table.numeric, table.codes, table.categories);
}
