import { z } from 'zod';
import { parseOptions } from '../options.ts';
import { type Cell, hardLabel, type Sample, type TabularPayload } from '../sample.ts';
import type { Stage } from '../stage.ts';
import { AtomicFileWriter } from './atomic.ts';

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
 * A pass-through stage writing tabular samples as CSV (RFC 4180 quoting: a field holding the
 * delimiter, a quote or a line break is quoted, quotes doubled).
 * `null` cells are written empty. The file appears atomically when the stream ends. A row with a
 * column outside the header is quarantined rather than silently losing a value.
 */
export function writeCsv(
  path: string,
  options: WriteCsvOptions = {},
): Stage<Sample<TabularPayload>, Sample<TabularPayload>> {
  const opts = parseOptions(csvOptionsSchema, options, 'WriteCsvOptions');
  const field = csvField(opts.delimiter);
  const line = (cells: readonly (Cell | undefined)[]): string => {
    let text = field(cells[0]);
    for (let i = 1; i < cells.length; i++) text += opts.delimiter + field(cells[i]);
    // A lone empty cell would be a blank line, which readers skip.
    return cells.length === 1 && text === '' ? '""\n' : `${text}\n`;
  };
  return {
    name: 'write-csv',
    async *run(input, ctx) {
      const writer = await AtomicFileWriter.open(path);
      let committed = false;
      let columns: string[] | undefined = opts.columns;
      let known = new Set<string>();
      let extraColumns: string[] = [];
      let header: string[] | undefined;
      let withLabel = false;
      let labelAt = -1;
      let width = 0;
      const delimiter = opts.delimiter;
      // Rows are joined into one string per ~64K characters: one write, not one per row.
      let pending = '';
      try {
        for await (const sample of input) {
          const extra = opts.extra?.(sample) ?? {};
          const values = sample.payload.values;
          if (!header) {
            columns ??= Object.keys(values);
            known = new Set(columns);
            extraColumns = Object.keys(extra);
            withLabel = opts.labelColumn !== false && !columns.includes(opts.labelColumn);
            header = [
              ...(opts.idColumn ? [opts.idColumn] : []),
              ...columns,
              ...(withLabel ? [opts.labelColumn as string] : []),
              ...extraColumns,
            ];
            pending += line(header);
            labelAt = opts.labelColumn === false ? -1 : columns.indexOf(opts.labelColumn);
            width = header.length;
          }
          const unknown: string[] = [];
          for (const column in values) {
            if (!known.has(column)) unknown.push(column);
          }
          if (unknown.length > 0) {
            ctx.quarantine(sample, 'unexpected column', {
              detail: `column(s) ${unknown.map((c) => JSON.stringify(c)).join(', ')} not in the CSV header`,
            });
            continue;
          }
          // The row's text is built in place (no array of cells per row): this loop runs once per
          // cell of every row written.
          const label = withLabel || labelAt >= 0 ? (hardLabel(sample.label) ?? null) : null;
          const cols = columns!;
          let text = opts.idColumn ? field(sample.id) : '';
          let first = !opts.idColumn;
          for (let c = 0; c < cols.length; c++) {
            const column = cols[c]!;
            const v = c === labelAt && !(column in values) ? label : values[column];
            text = first ? field(v) : text + delimiter + field(v);
            first = false;
          }
          if (withLabel) text += delimiter + field(label);
          for (const column of extraColumns) text += delimiter + field(extra[column]);
          pending += width === 1 && text === '' ? '""\n' : `${text}\n`;
          if (pending.length >= 65_536) {
            await writer.write(pending);
            pending = '';
          }
          yield sample;
        }
        await writer.write(pending);
        await writer.commit();
        committed = true;
      } finally {
        if (!committed) await writer.abort();
      }
    },
  };
}

/**
 * How {@link writeCsv} writes one cell with this delimiter: `null` empty, numbers as
 * {@link formatNumber}, booleans `true`/`false`, text quoted (RFC 4180) when it holds the
 * delimiter, a quote or a line break.
 */
export function csvField(delimiter: string): (v: Cell | undefined) => string {
  const needsQuotes = new RegExp(`["\\r\\n${delimiter.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&')}]`);
  return (v) => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return formatNumber(v);
    if (typeof v === 'string') return needsQuotes.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
    return v ? 'true' : 'false';
  };
}

/**
 * A number as `String(v)` writes it, faster for the common case of a value with at most six
 * decimals and a magnitude under 1e9 (most data read from CSV files): the integer and
 * fraction parts are written as integers. Anything else (more decimals, huge or tiny magnitudes, NaN) takes `String(v)`, so
 * the text is always identical to `String(v)`.
 */
export function formatNumber(v: number): string {
  const scaled = Math.round(v * 1e6);
  // Below 1e9 the spacing of doubles is under 1e-6, so a value equal to a 6-decimal number has
  // exactly one such number, which is also the shortest text that reads back as it.
  if (scaled / 1e6 !== v || scaled >= 1e15 || scaled <= -1e15) return `${v}`;
  const negative = scaled < 0;
  const magnitude = negative ? -scaled : scaled;
  const whole = Math.floor(magnitude / 1e6);
  let fraction = magnitude - whole * 1e6;
  if (fraction === 0) return negative ? `-${whole}` : `${whole}`;
  let digits = 6;
  while (fraction % 10 === 0) {
    fraction /= 10;
    digits -= 1;
  }
  const text = `${fraction}`;
  return `${negative ? '-' : ''}${whole}.${'000000'.slice(0, digits - text.length)}${text}`;
}
