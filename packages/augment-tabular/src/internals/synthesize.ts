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
  const used = new Set(samples.map((s) => s.id));
  const counters = new Map<string, number>();
  const { schema } = table;
  const numericIndex = new Map(schema.numeric.map((c, j) => [c, j]));
  const categoricalIndex = new Map(schema.categorical.map((c, j) => [c, j]));
  return rows.map((row) => {
    const base = samples[row.parents[0]!]!;
    let id: string;
    let n = counters.get(base.id) ?? 0;
    do {
      n += 1;
      id = `${base.id}~${method}${n}`;
    } while (used.has(id));
    counters.set(base.id, n);
    used.add(id);

    const className = table.classes[row.cls]!;
    let values: { [column: string]: Cell };
    if (row.numeric === null && row.codes === null) {
      values = { ...base.payload.values };
    } else {
      values = {};
      const single = row.parents.length === 1;
      for (const column of schema.columns) {
        const j = numericIndex.get(column);
        const q = categoricalIndex.get(column);
        if (j !== undefined) {
          const v = row.numeric
            ? row.numeric[j]!
            : table.numeric[row.parents[0]! * schema.numeric.length + j]!;
          values[column] = roundIntegers && table.integer[j] ? Math.round(v) : v;
        } else if (q !== undefined) {
          const code = row.codes
            ? row.codes[q]!
            : table.codes[row.parents[0]! * schema.categorical.length + q]!;
          values[column] = table.categories[q]![code]!;
        } else if (column === schema.labelColumn) {
          values[column] = className;
        } else {
          values[column] = single ? (base.payload.values[column] ?? null) : null;
        }
      }
    }
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
