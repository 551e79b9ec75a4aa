import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
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
import { DEFAULT_NA_VALUES } from '../cells.ts';
import { coerceCell, type FieldPlan } from '../schema/coerce.ts';
import { RowValidator, type ValidateOptions, type ValidateReport } from '../schema/validate.ts';
import { bump, type CleaningReport } from '../stage/contract.ts';
import { type CsvDialect, DECIMAL_COMMA, sniffDialect } from './dialect.ts';
import {
  CsvRecordReader,
  type CsvSink,
  type EngineOptions,
  type ErrorEvent,
  eventCollector,
} from './engine.ts';
import { defaultColumns, normalizeHeader } from './header.ts';

/** Bytes read ahead to detect the dialect (less when 50 line breaks come sooner). */
const SNIFF_BYTES = 64 << 10;

const optionsSchema = z.strictObject({
  header: z.boolean().default(true),
  columns: z.array(z.string().min(1)).min(1).optional(),
  delimiter: z.string().min(1).max(8).default('auto'),
  decimal: z.enum(['.', ',', 'auto']).default('auto'),
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
  /**
   * Field separator (1 to 8 characters), e.g. `;` or `\t`, or `'auto'`: detected from the first
   * 50 records among `,` `;` tab `|` (see {@link sniffDialect}; `,` when none is found).
   * @default 'auto'
   */
  delimiter?: string;
  /**
   * Decimal mark of numbers. With `,` a cell that is a number with a decimal comma (`3,5`,
   * `-0,25`, `1,5e3`) is read as `3.5`; thousands separators are not removed. `'auto'`: `,` when
   * the delimiter is not `,` and more cells of the first records look like `3,5` than `3.5`.
   * @default 'auto'
   */
  decimal?: '.' | ',' | 'auto';
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
  /** How the file was read (delimiter, decimal mark, encoding) and what of it was detected. */
  dialect: CsvDialect;
  /**
   * Problems with the file as a whole, each naming the file: empty, only a byte order mark, no
   * header, a header that cannot be read. (Rows are still all accounted for in the counts.)
   */
  warnings: string[];
}

/** Input of {@link readCsv}: a file path, a Node.js readable stream or any async iterable of bytes. */
export type CsvInput = string | NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>;

type Options = z.output<typeof optionsSchema>;

/** Originals have no lineage; one shared frozen array saves an allocation per row. */
const NO_LINEAGE: readonly LineageStep[] = Object.freeze([]);

/**
 * A streaming CSV source. Each data row becomes a tabular sample (cells are strings,
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
      // A file's size is known up front: progress displays show bytes read against it.
      const totalBytes =
        typeof input === 'string'
          ? await stat(input).then(
              (s) => (s.isFile() ? s.size : undefined),
              () => undefined,
            )
          : undefined;
      let bytesRead = 0;
      const advance = (bytes: number) => {
        bytesRead += bytes;
        ctx.progress({ bytes: bytesRead, ...(totalBytes === undefined ? {} : { totalBytes }) });
      };
      const input$ = openInput(input, opts);
      try {
        const head = await readHead(input$.chunks, opts);
        report.dialect = head.dialect;
        const rows = new CsvRows(opts, file, ctx, report, head.dialect, validator);
        const reader = new CsvRecordReader(engineOptions(opts, head.dialect), rows);
        for (const chunk of head.chunks) {
          reader.write(chunk);
          advance(chunk.length);
          for (const sample of rows.take()) yield sample;
        }
        if (!head.done) {
          for (;;) {
            const next = await input$.chunks.next();
            if (next.done) break;
            const chunk = toBuffer(next.value, opts.encoding);
            reader.write(chunk);
            advance(chunk.length);
            for (const sample of rows.take()) yield sample;
          }
        }
        reader.end();
        for (const sample of rows.take()) yield sample;
        validator?.finish();
        report.lines = reader.stats.lines;
        report.blankLines += reader.stats.blankLines;
        report.commentLines = reader.stats.commentLines;
        report.dialect.encoding = reader.encoding;
        for (const warning of rows.warnings(head.bytes, head.dialect.bom)) {
          report.warnings.push(warning);
          ctx.logger.warn(warning);
        }
      } finally {
        await input$.close();
      }
    },
  };
}

/** The input as an iterator of chunks, and how to let go of it early. */
function openInput(
  input: CsvInput,
  opts: Options,
): { chunks: AsyncIterator<Uint8Array | string>; close(): Promise<void> } {
  const stream =
    typeof input === 'string' ? createReadStream(input, { highWaterMark: opts.chunkBytes }) : input;
  const chunks = (stream as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  return {
    chunks,
    async close() {
      if (typeof (stream as { destroy?: unknown }).destroy === 'function') {
        (stream as { destroy(): void }).destroy();
      } else await chunks.return?.();
    },
  };
}

/**
 * Reads the first chunks (up to {@link SNIFF_BYTES}, or 50 line breaks) and detects the dialect
 * from them: the byte order mark, then the delimiter and decimal mark that are `'auto'`.
 */
async function readHead(
  chunks: AsyncIterator<Uint8Array | string>,
  opts: Options,
): Promise<{ chunks: Buffer[]; done: boolean; bytes: number; dialect: CsvDialect }> {
  const head: Buffer[] = [];
  let bytes = 0;
  let breaks = 0;
  let done = false;
  const sniff = opts.delimiter === 'auto' || opts.decimal === 'auto';
  while (bytes < (sniff ? SNIFF_BYTES : 4)) {
    const next = await chunks.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = toBuffer(next.value, opts.encoding);
    head.push(chunk);
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1 && breaks < 50; i = chunk.indexOf(10, i + 1)) breaks += 1;
    if (breaks >= 50) break;
  }
  const all = head.length === 1 ? head[0]! : Buffer.concat(head);
  let encoding = opts.encoding;
  let skip = 0;
  if (opts.bom && all.length >= 3 && all[0] === 0xef && all[1] === 0xbb && all[2] === 0xbf) {
    encoding = 'utf8';
    skip = 3;
  } else if (opts.bom && all.length >= 2 && all[0] === 0xff && all[1] === 0xfe) {
    encoding = 'utf16le';
    skip = 2;
  }
  const detected = sniff
    ? sniffDialect(all.subarray(skip).toString(encoding), {
        quote: opts.quote === false ? null : opts.quote,
        comment: opts.comment ?? null,
        header: opts.header,
        complete: done,
        ...(opts.delimiter === 'auto' ? {} : { delimiter: opts.delimiter }),
        ...(opts.decimal === 'auto' ? {} : { decimal: opts.decimal }),
      })
    : { delimiter: opts.delimiter, decimal: opts.decimal as '.' | ',' };
  return {
    chunks: head,
    done,
    bytes: done ? bytes : Number.POSITIVE_INFINITY,
    dialect: {
      delimiter: detected.delimiter,
      decimal: detected.decimal,
      encoding,
      bom: skip > 0,
      detected: { delimiter: opts.delimiter === 'auto', decimal: opts.decimal === 'auto' },
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
  return (await readCsvHead(input, options)).columns;
}

/**
 * Reads only the header of a CSV file, like {@link readCsvHeader}, and returns the dialect found
 * on the way (delimiter, decimal mark, encoding): what a command needs to write its output in the
 * input's dialect before the rows are read.
 */
export async function readCsvHead(
  input: CsvInput,
  options: Omit<ReadCsvOptions, 'name'> = {},
): Promise<{ columns: string[]; dialect: CsvDialect }> {
  const opts = parseOptions(optionsSchema, options, 'ReadCsvOptions');
  const collector = eventCollector();
  const file = opts.file ?? (typeof input === 'string' ? input : 'stream');
  const input$ = openInput(input, opts);
  let bom = false;
  let dialect: CsvDialect | undefined;
  try {
    const head = await readHead(input$.chunks, opts);
    dialect = head.dialect;
    bom = head.dialect.bom;
    const reader = new CsvRecordReader(engineOptions(opts, head.dialect), collector);
    for (const chunk of head.chunks) {
      reader.write(chunk);
      if (collector.events.length > 0) break;
    }
    while (collector.events.length === 0 && !head.done) {
      const next = await input$.chunks.next();
      if (next.done) break;
      reader.write(toBuffer(next.value, opts.encoding));
    }
    if (collector.events.length === 0) reader.end();
  } finally {
    await input$.close();
  }
  const first = collector.events[0];
  if (first === undefined) {
    throw new GrowsetError(
      `${file}: ${bom ? 'the file holds only a byte order mark' : 'the file is empty'} (no header)`,
      { code: 'ERR_CSV' },
    );
  }
  if (first.kind === 'error') {
    throw new GrowsetError(
      `${file} line ${first.line}: the header cannot be read (${first.reason}: ${first.detail})`,
      { code: 'ERR_CSV' },
    );
  }
  const columns = opts.header
    ? (opts.columns ?? normalizeHeader(first.fields).columns)
    : (opts.columns ?? defaultColumns(first.fields.length));
  return { columns: columns.filter((c) => c !== opts.label && c !== opts.id), dialect: dialect! };
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
  /** First characters (codes < 128) of the NA texts: a cell starting otherwise skips the lookup. */
  readonly #naFirst = new Uint8Array(128);
  #naOther = false;
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
  /** Cells of the row being read, by header position (reused). */
  #cells: unknown[] = [];
  /** Builds a row's values object from `#cells` (all rows share one object shape). */
  #makeValues: (cells: readonly unknown[]) => { [column: string]: unknown } = () => ({});
  /** Schema columns the header lacks (validated as missing). */
  #missingColumns: (readonly [string, unknown])[] = [];

  readonly #delimiter: string;
  readonly #decimalComma: boolean;

  constructor(
    opts: Options,
    file: string,
    ctx: StageContext,
    report: CsvReport,
    dialect: CsvDialect,
    validator?: RowValidator,
  ) {
    this.#delimiter = dialect.delimiter;
    this.#decimalComma = dialect.decimal === ',';
    this.#validator = validator;
    this.#opts = opts;
    this.#file = file;
    this.#ctx = ctx;
    this.#report = report;
    this.#na = new Set(opts.naValues ?? DEFAULT_NA_VALUES);
    this.#naMax = Math.max(0, ...[...this.#na].map((v) => v.length));
    for (const v of this.#na) {
      const code = v.charCodeAt(0);
      if (code < 128) this.#naFirst[code] = 1;
      else this.#naOther = true;
    }
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
      this.#rejectForHeader(line, fields.join(this.#delimiter));
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

  /** Problems with the file as a whole, once it has been read (`bytes`: its size, when known). */
  warnings(bytes: number, bom: boolean): string[] {
    const file = this.#file;
    const header = this.#headerError;
    if (header !== undefined) {
      return [
        `${file} line ${header.line}: the header cannot be read (${header.reason}: ${header.detail}); its ${this.#row} row(s) were quarantined`,
      ];
    }
    const nothing = this.#opts.header ? this.#header === undefined : this.#row === 0;
    if (!nothing) return [];
    if (bytes === 0) return [`${file}: the file is empty (no header, no rows)`];
    if (bom && bytes <= 3) return [`${file}: the file holds only a byte order mark (no header, no rows)`];
    return [
      `${file}: ${this.#opts.header ? 'no header found' : 'no records'} (only blank or comment lines), no rows`,
    ];
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
    this.#cells = new Array(columns.length).fill(null);
    this.#makeValues = rowMaker(columns, this.#labelIndex, this.#idIndex);
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
        { line, raw: fields.join(this.#delimiter) },
        `expected ${header.length} fields as in the header, got ${fields.length}${span}`,
      );
      return undefined;
    }
    // With a schema, cells go straight into the coerced row the schema checks (no second object).
    const plans = this.#plans;
    const cells = this.#cells;
    let label: string | null = null;
    let id: string | null = null;
    const trim = this.#opts.trim;
    const na = this.#na;
    const missing = this.#report.missing;
    const naMax = this.#naMax;
    const naFirst = this.#naFirst;
    const naOther = this.#naOther;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      const text =
        trim && field.length > 0 && (field.charCodeAt(0) <= 32 || field.charCodeAt(field.length - 1) <= 32)
          ? field.trim()
          : field;
      const first = text.charCodeAt(0);
      let cell =
        text.length <= naMax &&
        (text.length === 0 || (first < 128 ? naFirst[first] === 1 : naOther)) &&
        na.has(text)
          ? null
          : text;
      if (this.#decimalComma && cell !== null && cell.indexOf(',') !== -1 && DECIMAL_COMMA.test(cell))
        cell = cell.replace(',', '.');
      if (i === this.#labelIndex) label = cell;
      else if (i === this.#idIndex) id = cell;
      else {
        const plan = plans?.[i];
        cells[i] = plan === undefined ? cell : coerceCell(cell, plan);
        if (cell === null) bump(missing, header[i]!);
      }
    }
    const values = this.#makeValues(cells);
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

/**
 * A function building the values object of a row from its cells, as one object literal with the
 * header's names (`label` and `id` positions left out): every row gets the same hidden class at
 * once instead of growing one property at a time, which is several times faster for V8. Names
 * are JSON-quoted; `__proto__` is a computed key so it stays an own property.
 */
function rowMaker(
  columns: readonly string[],
  labelIndex: number,
  idIndex: number,
): (cells: readonly unknown[]) => { [column: string]: unknown } {
  const props = columns
    .map((name, i) => {
      if (i === labelIndex || i === idIndex) return undefined;
      const key = JSON.stringify(name);
      return `${name === '__proto__' ? `[${key}]` : key}: c[${i}]`;
    })
    .filter((p) => p !== undefined);
  return new Function('c', `return { ${props.join(', ')} };`) as (cells: readonly unknown[]) => {
    [column: string]: unknown;
  };
}

function engineOptions(opts: Options, dialect: CsvDialect): EngineOptions {
  return {
    delimiter: dialect.delimiter,
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
    dialect: {
      delimiter: opts.delimiter,
      decimal: opts.decimal === ',' ? ',' : '.',
      encoding: opts.encoding,
      bom: false,
      detected: { delimiter: opts.delimiter === 'auto', decimal: opts.decimal === 'auto' },
    },
    warnings: [],
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
