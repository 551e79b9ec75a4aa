import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { type Cell, OptionsError, parseOptions, type Source, type TabularSample } from '@growset/core';
import { parse } from 'csv-parse';
import { z } from 'zod';

const optionsSchema = z.strictObject({
  label: z.string().min(1),
  id: z.string().min(1).optional(),
  numeric: z.array(z.string().min(1)).optional(),
  categorical: z.array(z.string().min(1)).optional(),
  delimiter: z.string().length(1).default(','),
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
  /** @default ',' */
  delimiter?: string;
  /** Stage name. @default 'read-csv' */
  name?: string;
}

interface RawRecord {
  fields: string[];
  row: number;
  line: number;
}

/**
 * A source reading a CSV table (csv-parse, RFC 4180) into tabular samples: header row first,
 * empty cells become `null`, numeric columns become numbers. A column is numeric when declared,
 * or when more than half of its non-empty cells are numbers; its other cells are then bad input.
 * Rows that cannot be used go to quarantine with file, row, line and column: a ragged row, a
 * malformed quote, a missing label, a duplicate id, a non-numeric value in a numeric column.
 * The file is read whole (types need every row); a label or id column missing from the header is
 * an {@link OptionsError}.
 */
export function readCsvTable(path: string, options: ReadCsvTableOptions): Source<TabularSample> {
  const opts = parseOptions(optionsSchema, options, 'ReadCsvTableOptions');
  return {
    name: opts.name,
    async *run(ctx) {
      const file = path;
      const skipped: { line: number; message: string }[] = [];
      const records: RawRecord[] = [];
      const parser = createReadStream(path).pipe(
        parse({
          delimiter: opts.delimiter,
          bom: true,
          info: true,
          relax_column_count: true,
          skip_empty_lines: true,
          skip_records_with_error: true,
          on_skip: (error) => {
            skipped.push({
              line: typeof error?.lines === 'number' ? error.lines : 0,
              message: error?.message ?? 'unparsable record',
            });
            return undefined;
          },
        }),
      );
      let header: string[] | undefined;
      for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (!header) {
          header = item.record;
          checkHeader(header, opts, basename(file));
          continue;
        }
        records.push({ fields: item.record, row: records.length + 1, line: item.info.lines });
      }
      for (const { line, message } of skipped) {
        ctx.quarantine({ id: `${basename(file)}#L${line}` }, 'unparsable row', {
          detail: message,
          source: { file, line },
        });
      }
      if (!header) return;
      ctx.progress({ total: records.length });

      const labelAt = header.indexOf(opts.label);
      const idAt = opts.id === undefined ? -1 : header.indexOf(opts.id);
      const valueColumns = header
        .map((name, i) => ({ name, i }))
        .filter(({ i }) => i !== labelAt && i !== idAt);
      const numeric = new Set(
        valueColumns
          .filter(
            ({ name, i }) =>
              !opts.categorical?.includes(name) &&
              (opts.numeric?.includes(name) || mostlyNumeric(records, i)),
          )
          .map(({ name }) => name),
      );
      const ids = new Set<string>();
      for (const record of records) {
        const id = idAt >= 0 ? (record.fields[idAt] ?? '').trim() : `row-${record.row}`;
        const source = { file, row: record.row, line: record.line };
        const subject = { id: id === '' ? `row-${record.row}` : id };
        if (record.fields.length !== header.length) {
          ctx.quarantine(subject, 'ragged row', {
            detail: `row ${record.row} has ${record.fields.length} fields, the header has ${header.length}`,
            source,
          });
          continue;
        }
        if (idAt >= 0 && (id === '' || ids.has(id))) {
          ctx.quarantine(subject, id === '' ? 'missing id' : 'duplicate id', {
            detail:
              id === '' ? `column \`${opts.id}\` is empty` : `id \`${id}\` already used by an earlier row`,
            source: { ...source, column: opts.id! },
          });
          continue;
        }
        const label = record.fields[labelAt]!.trim();
        if (label === '') {
          ctx.quarantine(subject, 'missing label', {
            detail: `label column \`${opts.label}\` is empty in row ${record.row}`,
            source: { ...source, column: opts.label },
          });
          continue;
        }
        const values: { [column: string]: Cell } = {};
        let bad: { column: string; text: string } | undefined;
        for (const { name, i } of valueColumns) {
          const text = record.fields[i]!;
          if (text.trim() === '') {
            values[name] = null;
          } else if (numeric.has(name)) {
            const value = Number(text.trim());
            if (!Number.isFinite(value)) {
              bad = { column: name, text };
              break;
            }
            values[name] = value;
          } else {
            values[name] = text;
          }
        }
        if (bad) {
          ctx.quarantine(subject, 'non-numeric value', {
            detail: `numeric column \`${bad.column}\` holds ${JSON.stringify(bad.text)} in row ${record.row}`,
            source: { ...source, column: bad.column },
          });
          continue;
        }
        ids.add(subject.id);
        yield { id: subject.id, label, payload: { kind: 'tabular', values }, source, lineage: [] };
      }
    },
  };
}

/** The header row of a CSV file (for a command line to check column names before running). */
export async function readCsvHeader(path: string, delimiter = ','): Promise<string[]> {
  const parser = createReadStream(path).pipe(
    parse({ delimiter, bom: true, to_line: 1, relax_column_count: true }),
  );
  for await (const record of parser as AsyncIterable<string[]>) return record;
  return [];
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
  const seen = new Set<string>();
  for (const column of header) {
    if (seen.has(column)) {
      throw new OptionsError({
        optionsType: 'ReadCsvTableOptions',
        field: '',
        expected: `a header of ${file} with unique column names`,
        received: column,
      });
    }
    seen.add(column);
  }
}

function mostlyNumeric(records: readonly RawRecord[], column: number): boolean {
  let numbers = 0;
  let others = 0;
  for (const { fields } of records) {
    const text = fields[column]?.trim() ?? '';
    if (text === '') continue;
    if (Number.isFinite(Number(text))) numbers += 1;
    else others += 1;
  }
  return numbers > others;
}
