import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  type Cell,
  type LineageStep,
  OptionsError,
  parseOptions,
  type Source,
  type TabularSample,
} from '@growset/core';
import { parseDecimal, readCsv, readCsvHead, readNumericCsv } from '@growset/tables';
import { z } from 'zod';

/** Originals have no lineage: one shared frozen array, as readCsv does. */
const NO_LINEAGE: readonly LineageStep[] = Object.freeze([]);
const EMPTY_ROW: { readonly [column: string]: Cell } = Object.freeze({});

const optionsSchema = z.strictObject({
  label: z.string().min(1),
  id: z.string().min(1).optional(),
  numeric: z.array(z.string().min(1)).optional(),
  categorical: z.array(z.string().min(1)).optional(),
  delimiter: z.string().min(1).max(8).default('auto'),
  decimal: z.enum(['.', ',', 'auto']).default('auto'),
  name: z.string().min(1).default('read-csv'),
});

export interface ReadCsvTableOptions {
  /** Column holding the class label; it becomes `sample.label` and leaves `payload.values`. */
  label: string;
  /** Column holding unique row ids (leaves `payload.values`). @default none: ids are `row-<n>` */
  id?: string;
  /** Columns parsed as numbers whatever they look like. @default inferred */
  numeric?: string[];
  /** Columns kept as text. @default inferred */
  categorical?: string[];
  /** Field separator, or `auto` (detects `,` `;` tab `|`, as `growset clean-csv` does). @default 'auto' */
  delimiter?: string;
  /** Decimal mark, or `auto` (`,` in a `;`-separated file of `3,5`-style numbers). @default 'auto' */
  decimal?: '.' | ',' | 'auto';
  /** Stage name. @default 'read-csv' */
  name?: string;
}

/**
 * A source reading a CSV table into tabular samples with numeric columns typed: the rows come
 * from @growset/tables' `readCsv` (the one CSV reader: dialect detection, every line ending, bad
 * quoting, ragged rows, missing labels and duplicate ids quarantined with file, line and row;
 * `NA`-style cells are `null`). A column is numeric when declared, or when more than half of its
 * non-missing cells are numbers; its other cells are then bad input (quarantined as
 * `non-numeric value` with the column). The file is read whole (types need every row); a label,
 * id or declared column missing from the header is an {@link OptionsError}.
 */
export function readCsvTable(path: string, options: ReadCsvTableOptions): Source<TabularSample> {
  const opts = parseOptions(optionsSchema, options, 'ReadCsvTableOptions');
  const dialect = { delimiter: opts.delimiter, decimal: opts.decimal };
  return {
    name: opts.name,
    async *run(ctx) {
      const head = await readCsvHead(path, dialect).catch(() => undefined);
      const header = head?.columns;
      // An empty or unreadable file has no header: readCsv quarantines and warns, nothing is yielded.
      if (header !== undefined) checkHeader([...header], opts, basename(path));
      // A plain all-numeric file (nothing to quarantine, every column numeric) is read straight
      // into typed columns; any other file goes through readCsv, which accounts for every row.
      const bytes =
        head !== undefined &&
        opts.id === undefined &&
        opts.categorical === undefined &&
        head.dialect.decimal === '.'
          ? await readFile(path)
          : undefined;
      const plain =
        bytes === undefined
          ? undefined
          : readNumericCsv(bytes, { delimiter: head!.dialect.delimiter, label: opts.label });
      if (plain !== undefined) {
        // Read whole, as readCsv would report it at its end: every byte of the file.
        ctx.progress({ total: plain.n, bytes: bytes!.length, totalBytes: bytes!.length });
        const build = rowBuilder(plain.columns, plain.values);
        for (let i = 0; i < plain.n; i++) {
          yield {
            id: `row-${i + 1}`,
            label: plain.labels[plain.labelOf[i]!]!,
            payload: { kind: 'tabular', values: build(EMPTY_ROW, i) },
            source: { file: path, line: i + 2, row: i + 1 },
            lineage: NO_LINEAGE,
          };
        }
        return;
      }
      const rows: TabularSample[] = [];
      const reader = readCsv(path, {
        ...dialect,
        ...(header === undefined ? {} : { label: opts.label }),
        ...(opts.id === undefined ? {} : { id: opts.id }),
        idPrefix: 'row-',
        name: opts.name,
      });
      for await (const sample of reader.run(ctx)) rows.push(sample);
      if (header === undefined || rows.length === 0) return;
      ctx.progress({ total: rows.length });
      // Typed columns: each candidate column is parsed once into a Float64Array (NaN: not a
      // number); it is numeric when declared or when numbers outnumber other present cells.
      const n = rows.length;
      const columns = reader.report().columns;
      const parsedOf: (Float64Array | undefined)[] = [];
      const numeric: { name: string; parsed: Float64Array }[] = [];
      for (const name of columns) {
        parsedOf.push(undefined);
        if (opts.categorical?.includes(name)) continue;
        const parsed = new Float64Array(n);
        let numbers = 0;
        let others = 0;
        for (let i = 0; i < n; i++) {
          const text = rows[i]!.payload.values[name];
          if (typeof text !== 'string') {
            parsed[i] = Number.NaN;
            continue;
          }
          const value = parseDecimal(text);
          if (Number.isFinite(value)) numbers += 1;
          else others += 1;
          parsed[i] = Number.isFinite(value) ? value : Number.NaN;
        }
        if (opts.numeric?.includes(name) || numbers > others) {
          numeric.push({ name, parsed });
          parsedOf[parsedOf.length - 1] = parsed;
        }
      }
      // Each row's values are rebuilt in one object literal from the typed columns (numbers
      // straight from the Float64Array, NaN as null), so every row has the same shape from the
      // start instead of changing each field from text to number in place.
      const build = rowBuilder(columns, parsedOf);
      for (let i = 0; i < n; i++) {
        const sample = rows[i]!;
        const values = sample.payload.values;
        let bad: string | undefined;
        for (const { name, parsed } of numeric) {
          if (Number.isNaN(parsed[i]!) && values[name] !== null && values[name] !== undefined) {
            bad = name;
            break;
          }
        }
        if (bad !== undefined) {
          ctx.quarantine(sample, 'non-numeric value', {
            detail: `numeric column \`${bad}\` holds ${JSON.stringify(values[bad])} in row ${sample.source?.row}`,
            source: { ...sample.source, column: bad },
          });
          continue;
        }
        (sample.payload as { values: { [column: string]: Cell } }).values = build(values, i);
        yield sample;
      }
    },
  };
}

function checkHeader(header: readonly string[], opts: z.output<typeof optionsSchema>, file: string): void {
  const columns = header.map((c) => JSON.stringify(c)).join(', ');
  const require = (field: string, column: string | undefined) => {
    if (column !== undefined && !header.includes(column)) {
      throw new OptionsError({
        optionsType: 'ReadCsvTableOptions',
        field,
        expected: `a column of ${file} (${columns})`,
        received: column,
      });
    }
  };
  require('label', opts.label);
  require('id', opts.id);
  opts.numeric?.forEach((c, i) => {
    require(`numeric[${i}]`, c);
  });
  opts.categorical?.forEach((c, i) => {
    require(`categorical[${i}]`, c);
  });
}

/**
 * A function building a row's values as one object literal: a numeric column's cell from its
 * Float64Array (NaN: `null`), another column's from the row as read. Names are JSON-quoted;
 * `__proto__` is a computed key so it stays an own property.
 */
function rowBuilder(
  columns: readonly string[],
  parsed: readonly (Float64Array | undefined)[],
): (row: { readonly [column: string]: Cell }, i: number) => { [column: string]: Cell } {
  const props = columns.map((name, j) => {
    const key = JSON.stringify(name);
    const prop = name === '__proto__' ? `[${key}]` : key;
    return `${prop}: ${parsed[j] === undefined ? `o[${key}] ?? null` : `n(p${j}[i])`}`;
  });
  const hoisted = parsed.flatMap((column, j) => (column === undefined ? [] : [`const p${j} = p[${j}];`]));
  const factory = new Function(
    'p',
    `${hoisted.join(' ')} const n = (v) => (v === v ? v : null); return (o, i) => ({ ${props.join(', ')} });`,
  ) as (
    p: readonly (Float64Array | undefined)[],
  ) => (row: { readonly [column: string]: Cell }, i: number) => { [column: string]: Cell };
  return factory(parsed);
}
