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
  const dn = schema.numeric.length;
  const dc = schema.categorical.length;
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
    let values: { [column: string]: Cell };
    if (row.numeric === null && row.codes === null) {
      values = { ...base.payload.values };
    } else {
      values = {};
      const single = row.parents.length === 1;
      for (const { column, kind, index, round } of plan) {
        switch (kind) {
          case 'numeric': {
            const v = row.numeric ? row.numeric[index]! : table.numeric[first * dn + index]!;
            values[column] = round ? Math.round(v) : v;
            break;
          }
          case 'categorical':
            values[column] =
              table.categories[index]![row.codes ? row.codes[index]! : table.codes[first * dc + index]!]!;
            break;
          case 'label':
            values[column] = typeof row.label === 'string' ? row.label : className;
            break;
          default:
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
