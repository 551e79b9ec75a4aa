import { isUtf8 } from 'node:buffer';
import { endsWithCr, findLineEnd, type LineSpan, splitLines, startsWithLf } from './lines.ts';
import { CsvParser } from './parser.ts';

/** Options of the record reader (already validated). */
export interface EngineOptions {
  delimiter: string;
  quote: string | null;
  escape: string | null;
  comment: string | null;
  encoding: 'utf8' | 'utf16le' | 'latin1' | 'ascii';
  bom: boolean;
  maxRecordBytes: number;
}

/** A parsed record with the physical lines it spans (1-based). */
export interface RecordEvent {
  kind: 'record';
  fields: string[];
  line: number;
  endLine: number;
}

/** Input that could not become a record: why, and which lines it covered. */
export interface ErrorEvent {
  kind: 'error';
  /** Short category: `unterminated quote`, `bad quoting`, `bad encoding`, `record too large`, `csv error`. */
  reason: string;
  detail: string;
  line: number;
  endLine: number;
  /** 0-based field index, when the problem is in one field. */
  field?: number;
  /** The text of the rejected line(s), truncated. */
  raw: string;
}

export type CsvEvent = RecordEvent | ErrorEvent;

/** Receives what the reader finds, in input order (records are not wrapped: this is the hot path). */
export interface CsvSink {
  record(fields: string[], line: number, endLine: number): void;
  error(event: ErrorEvent): void;
}

/** A sink collecting events into an array (for callers that want them all). */
export function eventCollector(): CsvSink & { events: CsvEvent[] } {
  const events: CsvEvent[] = [];
  return {
    events,
    record: (fields, line, endLine) => events.push({ kind: 'record', fields, line, endLine }),
    error: (event) => events.push(event),
  };
}

/** Counts of lines that are not records. */
export interface EngineStats {
  blankLines: number;
  commentLines: number;
  /** Physical lines read (known at the end). */
  lines: number;
}

const RAW_LIMIT = 4096;

const QUOTE_CODES: { [code: string]: string } = {
  CSV_INVALID_CLOSING_QUOTE: 'bad quoting',
  INVALID_OPENING_QUOTE: 'bad quoting',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'bad quoting',
  CSV_QUOTE_NOT_CLOSED: 'unterminated quote',
};

/**
 * A streaming CSV record reader (on {@link CsvParser}) that never stops at bad input. Every record comes out
 * with the physical lines it spans; every defect comes out as an {@link ErrorEvent} covering the
 * lines it spoiled, and reading resumes on the next line:
 *
 * - A parse error (bad quoting) ends its parser; a new parser resumes after the bad line(s).
 * - An unterminated quote would swallow the rest of the file: once a record grows past
 *   `maxRecordBytes` (or the file ends inside quotes), only the line where the record started is
 *   rejected and parsing resumes on the line after it.
 * - Invalid UTF-8 (a U+FFFD that is not in the bytes) and NUL bytes reject the record.
 *
 * Memory holds the bytes of the current record (at most `maxRecordBytes` plus one chunk).
 */
export class CsvRecordReader {
  readonly stats: EngineStats = { blankLines: 0, commentLines: 0, lines: 0 };
  readonly #options: EngineOptions;
  #encoding: EngineOptions['encoding'];
  #unit: 1 | 2;
  #api!: CsvParser;
  /** Absolute byte where the current parser's input starts, and the line before its first line. */
  #baseByte = 0;
  #baseLine = 0;
  #seenEmpty = 0;
  #seenComment = 0;
  /** First byte and line after the last record (or rejected span). */
  #recStart = 0;
  #nextLine = 1;
  /** Bytes kept since `#windowStart` (covering at least `#recStart` onward). */
  #chunks: Buffer[] = [];
  #windowStart = 0;
  #read = 0;
  /** Skipping the rest of a rejected line whose end has not arrived yet. */
  #skipping = false;
  #dropLeadingLf = false;
  readonly #sink: CsvSink;
  /** Byte ranges of chunks that are not plainly valid UTF-8 without NUL bytes. */
  #suspect: { start: number; end: number }[] = [];
  #utf8Tail: Buffer = Buffer.alloc(0);
  /** A rejected line being skipped: reported once its end is read. */
  #pending: { event: ErrorEvent; bytes: Buffer[]; truncated?: boolean } | undefined;
  #commentBytes: Buffer | undefined;

  constructor(options: EngineOptions, sink: CsvSink) {
    this.#sink = sink;
    this.#options = options;
    this.#encoding = options.encoding;
    this.#unit = options.encoding === 'utf16le' ? 2 : 1;
    this.#newParser(0, 0, options.bom);
  }

  #newParser(byte: number, lineBefore: number, bom: boolean): void {
    const o = this.#options;
    this.#api = new CsvParser({
      delimiter: o.delimiter,
      quote: o.quote,
      escape: o.escape,
      comment: o.comment,
      encoding: this.#encoding,
      bom,
    });
    this.#baseByte = byte;
    this.#baseLine = lineBefore;
    this.#seenEmpty = 0;
    this.#seenComment = 0;
    this.#commentBytes = o.comment === null ? undefined : Buffer.from(o.comment, this.#encoding);
  }

  /** The encoding the bytes are read with (a byte order mark found at the start sets it). */
  get encoding(): EngineOptions['encoding'] {
    return this.#encoding;
  }

  /** Parses a chunk, handing the records and errors it completes to the sink. */
  write(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#screen(chunk);
    this.#read += chunk.length;
    let input = chunk;
    if (this.#dropLeadingLf) {
      // The previous chunk ended a rejected line with `\r`: its `\n` is not a blank line.
      this.#dropLeadingLf = false;
      if (startsWithLf(chunk, this.#unit)) {
        this.#recStart += this.#unit;
        this.#newParser(this.#recStart, this.#nextLine - 1, false);
        input = chunk.subarray(this.#unit);
      }
    }
    if (this.#skipping) this.#continueSkip(false);
    else this.#run(input, false);
    this.#syncEncoding();
    while (!this.#skipping && this.#read - this.#recStart > this.#options.maxRecordBytes) {
      const next = this.#recover(this.#api.state.quoting ? 'runaway quote' : 'too large', undefined, false);
      if (next === undefined) break;
      this.#run(next, false);
    }
    this.#trim();
  }

  /** Finishes the input, handing the last records and errors to the sink. */
  end(): void {
    if (this.#utf8Tail.length > 0) {
      // The input ends inside a multi-byte character.
      this.#suspect.push({ start: this.#read - this.#utf8Tail.length, end: this.#read });
    }
    if (this.#skipping) this.#continueSkip(true);
    else this.#run(undefined, true);
    this.#countTrailingLines();
    this.#chunks = [];
  }

  /**
   * Marks the chunk as suspect unless it is plainly valid UTF-8 without NUL bytes (checked natively,
   * with a character cut at a chunk boundary completed from the next chunk). Only records
   * overlapping a suspect chunk get their fields checked.
   */
  #screen(chunk: Buffer): void {
    const head = this.#utf8Tail;
    if (this.#encoding !== 'utf8' || chunk.indexOf(0) !== -1) {
      this.#suspect.push({ start: this.#read - head.length, end: this.#read + chunk.length });
      this.#utf8Tail = Buffer.alloc(0);
      return;
    }
    const body = completeUtf8(chunk);
    const bytes = head.length > 0 ? Buffer.concat([head, body]) : body;
    if (!isUtf8(bytes))
      this.#suspect.push({ start: this.#read - head.length, end: this.#read + chunk.length });
    this.#utf8Tail = chunk.subarray(body.length);
  }

  /** The parser switches to UTF-16LE (or UTF-8) when it finds that byte order mark; follow it. */
  #syncEncoding(): void {
    const detected = this.#api.options.encoding;
    if (detected !== this.#encoding && (detected === 'utf16le' || detected === 'utf8')) {
      this.#encoding = detected;
      this.#unit = detected === 'utf16le' ? 2 : 1;
      if (this.#options.comment !== null) this.#commentBytes = Buffer.from(this.#options.comment, detected);
    }
  }

  #run(input: Buffer | undefined, end: boolean): void {
    let buf = input;
    for (;;) {
      const error = this.#api.parse(buf, end, this.#push, noop);
      if (error === undefined) return;
      const next = this.#recover(error.code ?? 'csv error', error, end);
      if (next === undefined) return;
      buf = next;
    }
  }

  readonly #push = (fields: string[]): void => {
    const info = this.#api.info;
    const blank = info.empty_lines - this.#seenEmpty;
    const comments = info.comment_lines - this.#seenComment;
    this.#seenEmpty = info.empty_lines;
    this.#seenComment = info.comment_lines;
    this.stats.blankLines += blank;
    this.stats.commentLines += comments;
    const line = this.#nextLine + blank + comments;
    const endLine = this.#baseLine + info.lines;
    const startByte = this.#recStart;
    const endByte = this.#baseByte + info.bytes;
    this.#nextLine = endLine + 1;
    this.#recStart = endByte;
    const bad = this.#suspect.length > 0 ? this.#badEncoding(fields, startByte, endByte) : undefined;
    if (bad !== undefined) {
      this.#sink.error({
        kind: 'error',
        reason: 'bad encoding',
        detail: bad.detail,
        line,
        endLine,
        field: bad.field,
        raw: truncate(fields.join(this.#options.delimiter)),
      });
      return;
    }
    this.#sink.record(fields, line, endLine);
  };

  #badEncoding(
    fields: readonly string[],
    startByte: number,
    endByte: number,
  ): { field: number; detail: string } | undefined {
    while (this.#suspect.length > 0 && this.#suspect[0]!.end <= startByte) this.#suspect.shift();
    if (!this.#suspect.some((r) => r.start < endByte && r.end > startByte)) return undefined;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (f.indexOf('\u0000') !== -1) {
        return {
          field: i,
          detail: `NUL byte in field ${i + 1}: binary data, or a UTF-16 file read as ${this.#encoding}`,
        };
      }
      if (this.#encoding === 'utf8' && f.indexOf('\ufffd') !== -1) {
        // U+FFFD may be a real character: only invalid bytes count.
        if (!isUtf8(this.#slice(startByte, endByte))) {
          return {
            field: i,
            detail: `invalid UTF-8 bytes in field ${i + 1}; if the file is not UTF-8, set \`encoding\` (e.g. 'latin1')`,
          };
        }
        return undefined;
      }
    }
    return undefined;
  }

  /**
   * Rejects the record that starts at `#recStart` and sets up a new parser after it. Returns the
   * bytes to feed that parser, or `undefined` when the rest of the bad line has not arrived yet
   * (or the input ended).
   */
  #recover(code: string, error: (Error & { lines?: number }) | undefined, end: boolean): Buffer | undefined {
    this.#syncEncoding();
    const buf = this.#slice(this.#recStart, this.#read);
    const lines = splitLines(buf, this.#unit);
    let i = 0;
    let line = this.#nextLine;
    while (i < lines.length && lines[i]!.next !== undefined) {
      const kind = this.#lineKind(buf, lines[i]!);
      if (kind === 'content') break;
      if (kind === 'blank') this.stats.blankLines += 1;
      else this.stats.commentLines += 1;
      i += 1;
      line += 1;
    }
    const start = lines[i];
    if (start === undefined) {
      // Only blank or comment lines so far: nothing to reject.
      this.#nextLine = line;
      return this.#resume(buf.length, line - 1, end, buf);
    }
    const errorLine = error?.lines === undefined ? line : this.#baseLine + error.lines;
    // A quote error found on a later line than the record's first means a quote opened on the
    // first line ran over line breaks (a stray quote, closed by chance by a later one): only
    // that first line is bad.
    const spilled = QUOTE_CODES[code] !== undefined && errorLine > line;
    const runaway =
      code === 'runaway quote' || code === 'too large' || code === 'CSV_QUOTE_NOT_CLOSED' || spilled;
    const endLine = runaway ? line : Math.max(line, Math.min(errorLine, line + lines.length - 1 - i));
    const last = lines[i + (endLine - line)]!;
    const rawEnd = Math.min(last.end, start.start + RAW_LIMIT);
    const raw = buf.subarray(start.start, rawEnd).toString(this.#encoding) + (rawEnd < last.end ? '...' : '');
    const event: ErrorEvent = {
      kind: 'error',
      ...(spilled
        ? {
            reason: 'unterminated quote',
            detail: `a quote opened on line ${line} runs over line breaks and ends badly on line ${errorLine} (${relines(error?.message ?? code, this.#baseLine)}); only line ${line} is rejected and reading resumes on the next line`,
          }
        : describe(code, error, this.#options.maxRecordBytes, this.#baseLine)),
      line,
      endLine,
      raw,
    };
    this.#nextLine = endLine + 1;
    if (last.next === undefined && !end) {
      // The rest of the bad line is still to come: skip to its end, then report it whole.
      this.#pending = {
        event,
        bytes: [buf.subarray(start.start, Math.min(buf.length, start.start + RAW_LIMIT))],
      };
      this.#recStart = this.#read;
      this.#skipping = true;
      return undefined;
    }
    this.#sink.error(event);
    if (last.next === undefined) {
      this.#recStart = this.#read;
      return undefined;
    }
    return this.#resume(last.next, endLine, end, buf);
  }

  /** Starts a new parser at `offset` of `buf` (which begins at `#recStart`); returns what to feed it. */
  #resume(offset: number, lineBefore: number, end: boolean, buf: Buffer): Buffer | undefined {
    if (!end && offset === buf.length && offset > 0 && endsWithCr(buf, this.#unit))
      this.#dropLeadingLf = true;
    this.#recStart += offset;
    this.#newParser(this.#recStart, lineBefore, false);
    if (offset < buf.length) return buf.subarray(offset);
    return end ? Buffer.alloc(0) : undefined;
  }

  #continueSkip(end: boolean): void {
    const buf = this.#slice(this.#recStart, this.#read);
    const next = findLineEnd(buf, 0, this.#unit);
    this.#keepRaw(buf.subarray(0, next ?? buf.length));
    if (next === undefined) {
      this.#recStart = this.#read;
      if (end) {
        this.#skipping = false;
        this.#flushPending();
      }
      return;
    }
    this.#skipping = false;
    this.#flushPending();
    const rest = this.#resume(next, this.#nextLine - 1, end, buf);
    if (rest !== undefined) this.#run(rest, end);
  }

  /** Adds bytes of a rejected line being skipped to its raw text (up to the limit). */
  #keepRaw(bytes: Buffer): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    const have = pending.bytes.reduce((n, b) => n + b.length, 0);
    if (have < RAW_LIMIT) pending.bytes.push(bytes.subarray(0, RAW_LIMIT - have));
    else pending.truncated = true;
    if (have + bytes.length > RAW_LIMIT) pending.truncated = true;
  }

  /** Reports a rejected line whose end has now been read. */
  #flushPending(): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    this.#pending = undefined;
    const text = Buffer.concat(pending.bytes)
      .toString(this.#encoding)
      .replace(/\r?\n$|\r$/, '');
    this.#sink.error({ ...pending.event, raw: pending.truncated ? `${text}...` : text });
  }

  #countTrailingLines(): void {
    const buf = this.#slice(this.#recStart, this.#read);
    const lines = splitLines(buf, this.#unit);
    let count = 0;
    for (const span of lines) {
      const kind = this.#lineKind(buf, span);
      if (kind === 'blank') this.stats.blankLines += 1;
      else if (kind === 'comment') this.stats.commentLines += 1;
      count += 1;
    }
    this.stats.lines = this.#nextLine - 1 + count;
  }

  #lineKind(buf: Buffer, span: LineSpan): 'blank' | 'comment' | 'content' {
    if (span.end === span.start) return 'blank';
    const comment = this.#commentBytes;
    if (comment !== undefined && span.end - span.start >= comment.length) {
      if (buf.subarray(span.start, span.start + comment.length).equals(comment)) return 'comment';
    }
    return 'content';
  }

  #slice(from: number, to: number): Buffer {
    if (to <= from) return Buffer.alloc(0);
    const parts: Buffer[] = [];
    let offset = this.#windowStart;
    for (const chunk of this.#chunks) {
      const chunkEnd = offset + chunk.length;
      if (chunkEnd > from && offset < to) {
        parts.push(chunk.subarray(Math.max(0, from - offset), Math.min(chunk.length, to - offset)));
      }
      offset = chunkEnd;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  #trim(): void {
    while (this.#chunks.length > 0) {
      const first = this.#chunks[0]!;
      if (this.#windowStart + first.length > this.#recStart) break;
      this.#windowStart += first.length;
      this.#chunks.shift();
    }
  }
}

function noop(): void {}

function truncate(text: string): string {
  return text.length > RAW_LIMIT ? `${text.slice(0, RAW_LIMIT)}...` : text;
}

function describe(
  code: string,
  error: Error | undefined,
  maxRecordBytes: number,
  baseLine: number,
): { reason: string; detail: string } {
  if (code === 'runaway quote') {
    return {
      reason: 'unterminated quote',
      detail: `a quoted field was still open after ${maxRecordBytes} bytes; only the line where the record starts is rejected and reading resumes on the next line`,
    };
  }
  if (code === 'too large') {
    return {
      reason: 'record too large',
      detail: `the record is longer than maxRecordBytes (${maxRecordBytes} bytes)`,
    };
  }
  const reason = QUOTE_CODES[code] ?? 'csv error';
  // The parser counts lines from where it started: make them lines of the file.
  const message = (error?.message ?? code).replace(
    /\bline (\d+)/g,
    (_, n: string) => `line ${baseLine + Number(n)}`,
  );
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    return {
      reason,
      detail: `${message}; only the line where the record starts is rejected and reading resumes on the next line`,
    };
  }
  return { reason, detail: message };
}

/** The parser counts lines from where it started: make them lines of the file. */
function relines(message: string, baseLine: number): string {
  return message.replace(/\bline (\d+)/g, (_, n: string) => `line ${baseLine + Number(n)}`);
}

/** The chunk without a multi-byte UTF-8 sequence cut at its end (completed by the next chunk). */
function completeUtf8(chunk: Buffer): Buffer {
  let cut = chunk.length;
  for (let back = 1; back <= 3 && back <= chunk.length; back++) {
    const b = chunk[chunk.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (need > back) cut = chunk.length - back;
    }
    break;
  }
  return cut === chunk.length ? chunk : chunk.subarray(0, cut);
}
