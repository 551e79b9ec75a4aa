/**
 * BASELINE for the benchmark only: this file as it was at commit 6a4bd46, before the speed work
 * (csv-parse record reader / csv-stringify writer). Not used by the package.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import {
  type Cell,
  GrowsetError,
  type Identified,
  type LineageStep,
  OptionsError,
  parseOptions,
  type Source,
  type StageContext,
  type TabularSample,
} from '@growset/core';
import { z } from 'zod';
import { defaultColumns, normalizeHeader } from '../../src/internals/csv/header.ts';
import { DEFAULT_NA_VALUES } from '../../src/internals/rows/cells.ts';
import { coerceCell, type FieldPlan } from '../../src/internals/schema/coerce.ts';
import {
  RowValidator,
  type ValidateOptions,
  type ValidateReport,
} from '../../src/internals/schema/validate.ts';
import { bump, type CleaningReport } from '../../src/internals/summary/reporting.ts';
import {
  CsvRecordReader,
  type CsvSink,
  type EngineOptions,
  type ErrorEvent,
  eventCollector,
} from './engine.ts';

const optionsSchema = z.strictObject({
  header: z.boolean().default(true),
  columns: z.array(z.string().min(1)).min(1).optional(),
  delimiter: z.string().min(1).max(8).default(','),
  quote: z.union([z.string().length(1), z.literal(false)]).default('"'),
  escape: z.string().length(1).optional(),
  comment: z.string().min(1).max(8).optional(),
  encoding: z.enum(['utf8', 'utf16le', 'latin1', 'ascii']).default('utf8'),
  bom: z.boolean().default(true),
  label: z.string().min(1).optional(),
  id: z.string().min(1).optional(),
  idPrefix: z.string().optional(),
  naValues: z.array(z.string()).optional(),
  trim: z.boolean().default(true),
  missingLabel: z.enum(['quarantine', 'keep']).default('quarantine'),
  maxRecordBytes: z
    .int()
    .min(64)
    .default(1 << 20),
  chunkBytes: z
    .int()
    .min(16)
    .max(64 << 20)
    .default(64 << 10),
  file: z.string().min(1).optional(),
  schema: z
    .custom<z.ZodType>((v) => typeof v === 'object' && v !== null && '_zod' in v, {
      message: 'a zod object schema',
    })
    .optional(),
  validate: z.custom<Omit<ValidateOptions, 'name'>>((v) => typeof v === 'object' && v !== null).optional(),
  name: z.string().min(1).default('read-csv'),
});

/** Options of {@link readCsv}. */
export interface ReadCsvOptions {
  /** The first record holds the column names. @default true */
  header?: boolean;
  /** Column names: replace the header's (with `header: true`) or name the columns of a headerless file. @default the header, or `column1..N` */
  columns?: string[];
  /** Field separator (1 to 8 characters), e.g. `;` or `\t`. @default ',' */
  delimiter?: string;
  /** Quote character, or `false` for none. @default '"' */
  quote?: string | false;
  /** Escape character inside quotes. @default the quote character (RFC 4180 `""`) */
  escape?: string;
  /** Lines starting with this text are comments, counted and skipped. @default none */
  comment?: string;
  /** Text encoding of the bytes. A UTF-8 or UTF-16LE byte order mark overrides it. @default 'utf8' */
  encoding?: 'utf8' | 'utf16le' | 'latin1' | 'ascii';
  /** Strip a byte order mark at the start. @default true */
  bom?: boolean;
  /** Column holding the class label; it becomes `sample.label` and leaves `values`. @default none */
  label?: string;
  /** Column holding a unique row id; it becomes `sample.id` and leaves `values`. @default `<file name>#<row>` */
  id?: string;
  /** Prefix of generated ids. @default `<file name>#` */
  idPrefix?: string;
  /** Cell texts (after trimming) read as missing (`null`). @default DEFAULT_NA_VALUES (pandas' list) */
  naValues?: string[];
  /** Trim spaces around every cell. @default true */
  trim?: boolean;
  /** A row whose label cell is missing: quarantine it, or keep it unlabeled. @default 'quarantine' */
  missingLabel?: 'quarantine' | 'keep';
  /** A record longer than this (an unterminated quote, a runaway line) is rejected. @default 1048576 */
  maxRecordBytes?: number;
  /** Bytes read at a time from a file. @default 65536 */
  chunkBytes?: number;
  /** Name of the input in ids and quarantine records (for a stream input). @default the path, or `stream` */
  file?: string;
  /**
   * Validate each row against this zod object schema while reading, exactly as a
   * {@link validate} stage would (same coercion, reasons and report, under `validation`), but
   * without a stage of its own: the fast path for big files. @default none
   */
  schema?: z.ZodType;
  /** Options of the validation done with `schema` (`coerce`, `label`, `examples`). @default {} */
  validate?: Omit<ValidateOptions, 'name'>;
  /** Stage name. @default 'read-csv' */
  name?: string;
}

/** What a CSV source saw, beyond the samples it emitted. */
export interface CsvReport extends CleaningReport {
  kind: 'csv';
  file: string;
  columns: string[];
  /** Header names that were changed (empty or repeated). */
  renamedColumns: { [original: string]: string };
  label: string | null;
  /** Data records read (good and bad), header excluded. */
  rows: number;
  /** Physical lines read. */
  lines: number;
  blankLines: number;
  commentLines: number;
  /** Missing cells per column among the rows read (before validation). */
  missing: { [column: string]: number };
  /** The report of the validation done with the `schema` option, or `null`. */
  validation: ValidateReport | null;
}

/** Input of {@link readCsv}: a file path, a Node.js readable stream or any async iterable of bytes. */
export type CsvInput = string | NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>;

type Options = z.output<typeof optionsSchema>;

/** Originals have no lineage; one shared frozen array saves an allocation per row. */
const NO_LINEAGE: readonly LineageStep[] = Object.freeze([]);

/**
 * A streaming CSV source on csv-parse. Each data row becomes a tabular sample (cells are strings,
 * missing cells `null`) with its file, line and row number as `source`; the `label` column
 * becomes the sample's label.
 *
 * Nothing bad stops the run or disappears: a ragged row, bad or unterminated quoting, invalid
 * UTF-8, a runaway record or a missing label is quarantined with its line number and the raw
 * text, and reading resumes on the next line. Blank and comment lines are counted in the report.
 * Memory stays flat whatever the file size.
 */
export function readCsv(
  input: CsvInput,
  options: ReadCsvOptions = {},
): Source<TabularSample> & {
  report(): CsvReport;
} {
  const opts = parseOptions(optionsSchema, options, 'ReadCsvOptions');
  checkInput(input);
  const file = opts.file ?? (typeof input === 'string' ? input : 'stream');
  const validator =
    opts.schema === undefined
      ? undefined
      : new RowValidator(opts.schema, { ...(opts.validate ?? {}), name: opts.name });
  let report = emptyReport(opts, file);
  return {
    name: opts.name,
    report: () => report,
    async *run(ctx) {
      report = emptyReport(opts, file);
      validator?.reset();
      report.validation = validator?.report ?? null;
      const rows = new CsvRows(opts, file, ctx, report, validator);
      const reader = new CsvRecordReader(engineOptions(opts), rows);
      const stream =
        typeof input === 'string' ? createReadStream(input, { highWaterMark: opts.chunkBytes }) : input;
      try {
        for await (const chunk of stream as AsyncIterable<Uint8Array | string>) {
          reader.write(toBuffer(chunk, opts.encoding));
          for (const sample of rows.take()) yield sample;
        }
        reader.end();
        for (const sample of rows.take()) yield sample;
      } finally {
        if (typeof (stream as { destroy?: unknown }).destroy === 'function') {
          (stream as { destroy(): void }).destroy();
        }
      }
      validator?.finish();
      report.lines = reader.stats.lines;
      report.blankLines += reader.stats.blankLines;
      report.commentLines = reader.stats.commentLines;
    },
  };
}

/**
 * Reads only the header of a CSV file (stopping at the first record) and returns its normalized
 * column names, without the `label` and `id` columns. Throws if the file has no header record.
 */
export async function readCsvHeader(
  input: CsvInput,
  options: Omit<ReadCsvOptions, 'name'> = {},
): Promise<string[]> {
  const opts = parseOptions(optionsSchema, options, 'ReadCsvOptions');
  const collector = eventCollector();
  const reader = new CsvRecordReader(engineOptions(opts), collector);
  const stream =
    typeof input === 'string' ? createReadStream(input, { highWaterMark: opts.chunkBytes }) : input;
  const file = opts.file ?? (typeof input === 'string' ? input : 'stream');
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array | string>) {
      reader.write(toBuffer(chunk, opts.encoding));
      if (collector.events.length > 0) break;
    }
    if (collector.events.length === 0) reader.end();
  } finally {
    if (typeof (stream as { destroy?: unknown }).destroy === 'function') {
      (stream as { destroy(): void }).destroy();
    }
  }
  const first = collector.events[0];
  if (first === undefined)
    throw new GrowsetError(`${file}: the file is empty (no header)`, { code: 'ERR_CSV' });
  if (first.kind === 'error') {
    throw new GrowsetError(`${file} line ${first.line}: the header cannot be read (${first.reason})`, {
      code: 'ERR_CSV',
    });
  }
  const columns = opts.header
    ? (opts.columns ?? normalizeHeader(first.fields).columns)
    : (opts.columns ?? defaultColumns(first.fields.length));
  return columns.filter((c) => c !== opts.label && c !== opts.id);
}

/** Turns reader events into samples and quarantine records. */
class CsvRows implements CsvSink {
  #ready: TabularSample[] = [];
  readonly #opts: Options;
  readonly #file: string;
  readonly #ctx: StageContext;
  readonly #report: CsvReport;
  readonly #na: Set<string>;
  /** Longest NA text: longer cells skip the set lookup (hashing every cell is not free). */
  readonly #naMax: number;
  readonly #prefix: string;
  #header: string[] | undefined;
  #headerError: ErrorEvent | undefined;
  #labelIndex = -1;
  #idIndex = -1;
  #row = 0;
  readonly #ids: Set<string> | undefined;
  readonly #validator: RowValidator | undefined;
  /** Coercion per header position, with a schema. */
  #plans: (FieldPlan | undefined)[] | undefined;
  /** Schema columns the header lacks (validated as missing). */
  #missingColumns: (readonly [string, unknown])[] = [];

  constructor(opts: Options, file: string, ctx: StageContext, report: CsvReport, validator?: RowValidator) {
    this.#validator = validator;
    this.#opts = opts;
    this.#file = file;
    this.#ctx = ctx;
    this.#report = report;
    this.#na = new Set(opts.naValues ?? DEFAULT_NA_VALUES);
    this.#naMax = Math.max(0, ...[...this.#na].map((v) => v.length));
    this.#prefix = opts.idPrefix ?? `${basename(file)}#`;
    this.#ids = opts.id === undefined ? undefined : new Set();
    if (!opts.header) {
      if (opts.columns) this.#setHeader(opts.columns, 0);
    }
  }

  /** Samples completed since the last call. */
  take(): TabularSample[] {
    const ready = this.#ready;
    this.#ready = [];
    return ready;
  }

  record(fields: string[], line: number, endLine: number): void {
    if (this.#expectingHeader()) {
      const named = normalizeHeader(fields);
      this.#report.renamedColumns = named.renamed;
      this.#setHeader(this.#opts.columns ?? named.columns, line);
      return;
    }
    this.#row += 1;
    this.#report.rows += 1;
    if (this.#headerError) {
      this.#rejectForHeader(line, fields.join(this.#opts.delimiter));
      return;
    }
    if (this.#header === undefined) this.#setHeader(defaultColumns(fields.length), 0);
    const sample = this.#toSample(fields, line, endLine);
    if (sample) this.#ready.push(sample);
  }

  error(event: ErrorEvent): void {
    if (this.#expectingHeader()) {
      this.#headerError = event;
      this.#quarantine(`${this.#prefix}header`, 'bad header', event, event.detail);
      return;
    }
    this.#row += 1;
    this.#report.rows += 1;
    if (this.#headerError) {
      this.#rejectForHeader(event.line, event.raw);
      return;
    }
    const span = event.endLine > event.line ? ` (lines ${event.line}-${event.endLine})` : '';
    this.#quarantine(this.#rowId(), event.reason, event, `${event.detail}${span}`, event.field);
  }

  #expectingHeader(): boolean {
    return this.#opts.header && this.#header === undefined && this.#headerError === undefined;
  }

  #rejectForHeader(line: number, raw: string): void {
    const header = this.#headerError!;
    this.#quarantine(
      this.#rowId(),
      'bad header',
      { line, raw },
      `the header (line ${header.line}) could not be read (${header.reason}), so this row cannot be mapped to columns`,
    );
  }

  /** The cells of a row as read (for messages about a row that failed validation). */
  #rawValues(fields: readonly string[]): { [column: string]: Cell } {
    const values: { [column: string]: Cell } = {};
    this.#header!.forEach((column, i) => {
      if (i === this.#labelIndex || i === this.#idIndex) return;
      const text = this.#opts.trim ? fields[i]!.trim() : fields[i]!;
      values[column] = this.#na.has(text) ? null : text;
    });
    return values;
  }

  #setHeader(columns: string[], line: number): void {
    const o = this.#opts;
    this.#header = columns;
    const validator = this.#validator;
    if (validator !== undefined) {
      const coerces = validator.coerces;
      this.#plans = columns.map((column) => {
        if (column === o.label || column === o.id) return undefined;
        const plan = validator.planFor(column);
        if (plan === undefined) validator.noteUnknown(column);
        return coerces ? plan : undefined;
      });
      this.#missingColumns = validator.columns
        .filter((c) => !columns.includes(c))
        .map((c) => [c, coerces ? coerceCell(null, validator.planFor(c)!) : null] as const);
    }
    this.#report.columns = columns.filter((c) => c !== o.label && c !== o.id);
    for (const [option, column] of [
      ['label', o.label],
      ['id', o.id],
    ] as const) {
      if (column !== undefined && !columns.includes(column)) {
        throw new GrowsetError(
          `${this.#file}${line > 0 ? ` line ${line}` : ''}: the ${option} column \`${column}\` is not in the header (columns: ${columns.map((c) => `\`${c}\``).join(', ')})`,
          { code: 'ERR_CSV_COLUMN' },
        );
      }
    }
    this.#labelIndex = o.label === undefined ? -1 : columns.indexOf(o.label);
    this.#idIndex = o.id === undefined ? -1 : columns.indexOf(o.id);
  }

  #rowId(): string {
    return `${this.#prefix}${this.#row}`;
  }

  #toSample(fields: readonly string[], line: number, endLine: number): TabularSample | undefined {
    const header = this.#header!;
    if (fields.length !== header.length) {
      if (fields.length === 1 && header.length > 1 && fields[0]!.trim() === '') {
        // A line of spaces: as good as blank.
        this.#row -= 1;
        this.#report.rows -= 1;
        this.#report.blankLines += 1;
        return undefined;
      }
      const span = endLine > line ? ` (lines ${line}-${endLine})` : '';
      this.#quarantine(
        this.#rowId(),
        'ragged row',
        { line, raw: fields.join(this.#opts.delimiter) },
        `expected ${header.length} fields as in the header, got ${fields.length}${span}`,
      );
      return undefined;
    }
    // With a schema, cells go straight into the coerced row the schema checks (no second object).
    const plans = this.#plans;
    const values: { [column: string]: unknown } = {};
    let label: string | null = null;
    let id: string | null = null;
    const trim = this.#opts.trim;
    const na = this.#na;
    const missing = this.#report.missing;
    const naMax = this.#naMax;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      const text =
        trim && field.length > 0 && (field.charCodeAt(0) <= 32 || field.charCodeAt(field.length - 1) <= 32)
          ? field.trim()
          : field;
      const cell = text.length <= naMax && na.has(text) ? null : text;
      if (i === this.#labelIndex) label = cell;
      else if (i === this.#idIndex) id = cell;
      else {
        const plan = plans?.[i];
        values[header[i]!] = plan === undefined ? cell : coerceCell(cell, plan);
        if (cell === null) bump(missing, header[i]!);
      }
    }
    for (const [column, cell] of this.#missingColumns) values[column] = cell;
    const source = { file: this.#file, line, row: this.#row };
    const sampleId = id ?? this.#rowId();
    if (this.#ids) {
      if (id === null) {
        this.#quarantineRow(sampleId, 'missing id', source, `the id column \`${this.#opts.id}\` is empty`);
        return undefined;
      }
      if (this.#ids.has(id)) {
        this.#quarantineRow(sampleId, 'duplicate id', source, `id ${JSON.stringify(id)} was already used`);
        return undefined;
      }
      this.#ids.add(id);
    }
    if (this.#labelIndex >= 0 && label === null && this.#opts.missingLabel === 'quarantine') {
      this.#quarantineRow(
        sampleId,
        'missing label',
        source,
        `the label column \`${this.#opts.label}\` is empty`,
      );
      return undefined;
    }
    if (this.#validator === undefined) {
      const cells = values as { [column: string]: Cell };
      return label === null
        ? { id: sampleId, payload: { kind: 'tabular', values: cells }, source, lineage: NO_LINEAGE }
        : { id: sampleId, label, payload: { kind: 'tabular', values: cells }, source, lineage: NO_LINEAGE };
    }
    const verdict = this.#validator.checkPrepared(values, () => this.#rawValues(fields), label ?? undefined);
    if (!verdict.ok) {
      this.#ctx.quarantine(
        { id: sampleId, ...(label === null ? {} : { label }) } as Identified,
        verdict.reason,
        {
          detail: verdict.detail,
          source: { ...source, ...(verdict.column === undefined ? {} : { column: verdict.column }) },
        },
      );
      return undefined;
    }
    const checked = verdict.label;
    return checked === undefined
      ? { id: sampleId, payload: { kind: 'tabular', values: verdict.values }, source, lineage: NO_LINEAGE }
      : {
          id: sampleId,
          label: checked,
          payload: { kind: 'tabular', values: verdict.values },
          source,
          lineage: NO_LINEAGE,
        };
  }

  #quarantineRow(
    id: string,
    reason: string,
    source: { file: string; line: number; row: number },
    detail: string,
  ): void {
    const column = reason === 'missing label' ? this.#opts.label : this.#opts.id;
    this.#ctx.quarantine({ id } as Identified, reason, {
      detail,
      source: { ...source, ...(column === undefined ? {} : { column }) },
    });
  }

  #quarantine(
    id: string,
    reason: string,
    event: { line: number; raw: string },
    detail: string,
    field?: number,
  ): void {
    const column = field === undefined ? undefined : this.#header?.[field];
    const subject = { id, payload: event.raw } as Identified;
    this.#ctx.quarantine(subject, reason, {
      detail,
      source: {
        file: this.#file,
        line: event.line,
        ...(reason === 'bad header' && id.endsWith('header') ? {} : { row: this.#row }),
        ...(column === undefined ? {} : { column }),
      },
    });
  }
}

function engineOptions(opts: Options): EngineOptions {
  return {
    delimiter: opts.delimiter,
    quote: opts.quote === false ? null : opts.quote,
    escape: opts.quote === false ? null : (opts.escape ?? opts.quote),
    comment: opts.comment ?? null,
    encoding: opts.encoding,
    bom: opts.bom,
    maxRecordBytes: opts.maxRecordBytes,
  };
}

function emptyReport(opts: Options, file: string): CsvReport {
  return {
    kind: 'csv',
    stage: opts.name,
    file,
    columns: [],
    renamedColumns: {},
    label: opts.label ?? null,
    rows: 0,
    lines: 0,
    blankLines: 0,
    commentLines: 0,
    missing: {},
    validation: null,
  };
}

function toBuffer(chunk: Uint8Array | string, encoding: BufferEncoding): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding);
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function checkInput(input: unknown): void {
  const ok =
    (typeof input === 'string' && input.length > 0) ||
    (typeof input === 'object' && input !== null && Symbol.asyncIterator in input);
  if (!ok) {
    throw new OptionsError({
      optionsType: 'readCsv',
      field: 'input',
      expected: 'a file path or a readable stream of bytes',
      received: input,
    });
  }
}
