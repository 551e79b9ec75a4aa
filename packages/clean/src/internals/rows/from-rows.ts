import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  type Cell,
  errorMessage,
  GrowsetError,
  type Identified,
  parseOptions,
  type Source,
  type TabularSample,
} from '@growset/core';
import { bump, type CleaningReport, DEFAULT_NA_VALUES, showCell } from '@growset/tables';
import { z } from 'zod';

const optionsSchema = z.strictObject({
  label: z.string().min(1).optional(),
  id: z.string().min(1).optional(),
  idPrefix: z.string().default('row#'),
  columns: z.array(z.string().min(1)).min(1).optional(),
  naValues: z.array(z.string()).optional(),
  trim: z.boolean().default(true),
  missingLabel: z.enum(['quarantine', 'keep']).default('quarantine'),
  file: z.string().min(1).optional(),
  name: z.string().min(1).default('from-rows'),
});

/** Options of {@link fromRows}. */
export interface FromRowsOptions {
  /** Key holding the class label; it becomes `sample.label` and leaves `values`. @default none */
  label?: string;
  /** Key holding a unique row id. @default `<idPrefix><row number>` */
  id?: string;
  /** Prefix of generated ids. @default 'row#' (`<file name>#` for {@link readJsonRows}) */
  idPrefix?: string;
  /** Keep only these keys, in this order; a missing key is a missing value. @default every key seen in the row */
  columns?: string[];
  /** String values (after trimming) read as missing. @default DEFAULT_NA_VALUES */
  naValues?: string[];
  /** Trim spaces around string values. @default true */
  trim?: boolean;
  /** A row without a label: quarantine it, or keep it unlabeled. @default 'quarantine' */
  missingLabel?: 'quarantine' | 'keep';
  /** Where the rows came from, for quarantine records. @default none */
  file?: string;
  /** Stage name. @default 'from-rows' */
  name?: string;
}

/** What a row source saw. */
export interface RowsReport extends CleaningReport {
  kind: 'rows';
  file: string | null;
  columns: string[];
  label: string | null;
  rows: number;
  missing: { [column: string]: number };
}

/**
 * A source over JSON-like row objects (an array, iterable or async iterable), such as
 * `vega-datasets`' `penguins.json`. Each object becomes a tabular sample; `null`, `undefined`,
 * `NaN` and NA strings become missing cells. A row that is not an object, or holds a nested
 * object or array, is quarantined with its row number and key.
 */
export function fromRows(
  rows: Iterable<unknown> | AsyncIterable<unknown>,
  options: FromRowsOptions = {},
): Source<TabularSample> & { report(): RowsReport } {
  const opts = parseOptions(optionsSchema, options, 'FromRowsOptions');
  const na = new Set(opts.naValues ?? DEFAULT_NA_VALUES);
  let report = emptyReport(opts);
  return {
    name: opts.name,
    report: () => report,
    async *run(ctx) {
      report = emptyReport(opts);
      const columns = new Set<string>(opts.columns ?? []);
      const ids = new Set<string>();
      if (Array.isArray(rows)) ctx.progress({ total: rows.length });
      let row = 0;
      for await (const value of rows as AsyncIterable<unknown>) {
        row += 1;
        report.rows += 1;
        const source = { ...(opts.file === undefined ? {} : { file: opts.file }), row };
        const generated = `${opts.idPrefix}${row}`;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          ctx.quarantine({ id: generated, payload: safeText(value) } as Identified, 'not a row object', {
            detail: `expected an object of column values, got ${showCell(Array.isArray(value) ? 'an array' : typeof value)}`,
            source,
          });
          continue;
        }
        const record = value as { [key: string]: unknown };
        const keys = opts.columns ?? Object.keys(record);
        const values: { [column: string]: Cell } = {};
        let label: string | null = null;
        let id: string | null = null;
        let bad: { key: string; detail: string } | undefined;
        for (const key of keys) {
          const cell = toCell(record[key], na, opts.trim);
          if (cell === undefined) {
            bad ??= { key, detail: `\`${key}\` holds ${describeNonCell(record[key])}, not a table cell` };
            continue;
          }
          if (key === opts.label) label = cell === null ? null : String(cell);
          else if (key === opts.id) id = cell === null ? null : String(cell);
          else {
            values[key] = cell;
            if (!opts.columns) columns.add(key);
            if (cell === null) bump(report.missing, key);
          }
        }
        const sampleId = id ?? generated;
        if (bad) {
          ctx.quarantine({ id: sampleId, payload: safeText(value) } as Identified, 'unsupported value', {
            detail: bad.detail,
            source: { ...source, column: bad.key },
          });
          continue;
        }
        if (opts.id !== undefined) {
          if (id === null || ids.has(id)) {
            ctx.quarantine({ id: sampleId }, id === null ? 'missing id' : 'duplicate id', {
              detail: id === null ? `no \`${opts.id}\` value` : `id ${JSON.stringify(id)} was already used`,
              source: { ...source, column: opts.id },
            });
            continue;
          }
          ids.add(id);
        }
        if (opts.label !== undefined && label === null && opts.missingLabel === 'quarantine') {
          ctx.quarantine({ id: sampleId }, 'missing label', {
            detail: `no \`${opts.label}\` value`,
            source: { ...source, column: opts.label },
          });
          continue;
        }
        yield {
          id: sampleId,
          ...(label === null ? {} : { label }),
          payload: { kind: 'tabular', values },
          source,
          lineage: [],
        };
      }
      report.columns = [...columns];
    },
  };
}

/** Options of {@link readJsonRows}: those of {@link fromRows}. */
export type ReadJsonRowsOptions = Omit<FromRowsOptions, 'file'>;

/**
 * A source over a JSON file holding an array of row objects (like `vega-datasets/data/penguins.json`).
 * The whole file is parsed at once (use {@link readCsv} for large tables); a file that is not
 * valid JSON or not an array fails the run with the file name.
 */
export function readJsonRows(
  path: string,
  options: ReadJsonRowsOptions = {},
): Source<TabularSample> & { report(): RowsReport } {
  const inner = fromRows(
    (async function* () {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(path, 'utf8'));
      } catch (error) {
        throw new GrowsetError(`${path}: not a readable JSON file: ${errorMessage(error)}`, {
          code: 'ERR_JSON_ROWS',
          cause: error,
        });
      }
      if (!Array.isArray(parsed)) {
        throw new GrowsetError(`${path}: expected a JSON array of row objects, got ${typeof parsed}`, {
          code: 'ERR_JSON_ROWS',
        });
      }
      yield* parsed;
    })(),
    { idPrefix: `${basename(path)}#`, name: 'read-json-rows', ...options, file: path },
  );
  return inner;
}

function toCell(value: unknown, na: ReadonlySet<string>, trim: boolean): Cell | undefined {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'string': {
      const text = trim ? value.trim() : value;
      return na.has(text) ? null : text;
    }
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    default:
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      return undefined;
  }
}

function describeNonCell(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function safeText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function emptyReport(opts: z.output<typeof optionsSchema>): RowsReport {
  return {
    kind: 'rows',
    stage: opts.name,
    file: opts.file ?? null,
    columns: [],
    label: opts.label ?? null,
    rows: 0,
    missing: {},
  };
}
