/**
 * BASELINE for the benchmark only: this file as it was at commit 6a4bd46, before the speed work
 * (csv-parse record reader / csv-stringify writer). Not used by the package.
 */

import {
  AtomicFileWriter,
  type Cell,
  hardLabel,
  parseOptions,
  type Sample,
  type Stage,
  type TabularPayload,
} from '@growset/core';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';

const csvOptionsSchema = z.strictObject({
  columns: z.array(z.string().min(1)).min(1).optional(),
  labelColumn: z.union([z.string().min(1), z.literal(false)]).default('label'),
  idColumn: z.union([z.string().min(1), z.literal(false)]).default(false),
  extra: z
    .custom<(sample: Sample<TabularPayload>) => { [column: string]: Cell }>((v) => typeof v === 'function')
    .optional(),
  delimiter: z.string().length(1).default(','),
});

export interface WriteCsvOptions {
  /** Value columns, in order. @default the columns of the first row */
  columns?: string[];
  /** Column for the sample's label, or `false` to leave it out. @default 'label' */
  labelColumn?: string | false;
  /** Column for the sample id, or `false`. @default false */
  idColumn?: string | false;
  /** Extra columns computed per sample, appended after the others (e.g. a `synthetic` marker). */
  extra?: (sample: Sample<TabularPayload>) => { [column: string]: Cell };
  /** @default ',' */
  delimiter?: string;
}

/**
 * A pass-through stage writing tabular samples as CSV (RFC 4180 quoting through csv-stringify).
 * `null` cells are written empty. The file appears atomically when the stream ends. A row with a
 * column outside the header is quarantined rather than silently losing a value.
 */
export function writeCsv(
  path: string,
  options: WriteCsvOptions = {},
): Stage<Sample<TabularPayload>, Sample<TabularPayload>> {
  const opts = parseOptions(csvOptionsSchema, options, 'WriteCsvOptions');
  return {
    name: 'write-csv',
    async *run(input, ctx) {
      const writer = await AtomicFileWriter.open(path);
      let committed = false;
      let columns: string[] | undefined = opts.columns;
      let extraColumns: string[] = [];
      let header: string[] | undefined;
      try {
        for await (const sample of input) {
          const extra = opts.extra?.(sample) ?? {};
          if (!header) {
            columns ??= Object.keys(sample.payload.values);
            extraColumns = Object.keys(extra);
            header = [
              ...(opts.idColumn ? [opts.idColumn] : []),
              ...columns,
              ...(opts.labelColumn && !columns.includes(opts.labelColumn) ? [opts.labelColumn] : []),
              ...extraColumns,
            ];
            await writer.write(stringify([header], { delimiter: opts.delimiter }));
          }
          const known = new Set(columns);
          const unknown = Object.keys(sample.payload.values).filter((c) => !known.has(c));
          if (unknown.length > 0) {
            ctx.quarantine(sample, 'unexpected column', {
              detail: `column(s) ${unknown.map((c) => JSON.stringify(c)).join(', ')} not in the CSV header`,
            });
            continue;
          }
          const row: (Cell | undefined)[] = [];
          if (opts.idColumn) row.push(sample.id);
          for (const column of columns!) {
            row.push(
              column === opts.labelColumn && !(column in sample.payload.values)
                ? (hardLabel(sample.label) ?? null)
                : (sample.payload.values[column] ?? null),
            );
          }
          if (opts.labelColumn && !columns!.includes(opts.labelColumn))
            row.push(hardLabel(sample.label) ?? null);
          for (const column of extraColumns) row.push(extra[column] ?? null);
          await writer.write(
            stringify([row.map((v) => (v === null || v === undefined ? '' : v))], {
              delimiter: opts.delimiter,
              cast: { boolean: (v) => (v ? 'true' : 'false') },
            }),
          );
          yield sample;
        }
        if (!header) await writer.write('');
        await writer.commit();
        committed = true;
      } finally {
        if (!committed) await writer.abort();
      }
    },
  };
}
