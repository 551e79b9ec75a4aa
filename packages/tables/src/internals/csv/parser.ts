import { isUtf8 } from 'node:buffer';

/** Options of {@link CsvParser} (already validated). */
export interface ParserOptions {
  delimiter: string;
  quote: string | null;
  escape: string | null;
  comment: string | null;
  encoding: 'utf8' | 'utf16le' | 'latin1' | 'ascii';
  /** Look for a byte order mark at the start (UTF-8 or UTF-16LE; it sets the encoding). */
  bom: boolean;
}

/** A parse error, shaped like csv-parse's (`code`, `lines` relative to where the parser started). */
export type ParseError = Error & { code: string; lines: number };

const LF = 10;
const CR = 13;
const EMPTY = Buffer.alloc(0);

/**
 * An RFC 4180 record parser for {@link CsvRecordReader}, with the call shape of csv-parse's
 * internal `api` (`parse(buf, end, push)`, `info`, `state.quoting`, `options.encoding`), so the
 * reader's recovery logic is the same whichever parser runs. It exists for speed: a line without
 * a quote character is cut with the native `String#split` (csv-parse walks every byte in
 * JavaScript), and it decodes each chunk once instead of each field.
 *
 * Semantics: `\r\n`, `\n` and a lone `\r` each end a record (csv-parse only takes the first kind it
 * sees); inside quotes they are kept and each counts one line. Empty lines and lines starting with
 * `comment` are counted, not emitted. A quote inside an unquoted field, or anything but a
 * delimiter or a line end after a closing quote, is an error (`INVALID_OPENING_QUOTE`,
 * `CSV_INVALID_CLOSING_QUOTE`); input ending inside quotes is `CSV_QUOTE_NOT_CLOSED`. After an
 * error the parser is spent: the reader starts a new one after the bad line.
 *
 * `info.lines` is the last line of the record just pushed, `info.bytes` the byte after its line
 * end, both counted from where this parser started (bytes include a skipped byte order mark).
 */
export class CsvParser {
  readonly info = { lines: 1, bytes: 0, empty_lines: 0, comment_lines: 0 };
  readonly state = { quoting: false };
  readonly options: { encoding: BufferEncoding };
  readonly #o: ParserOptions;
  /** Bytes of the record in progress (from its first byte), kept between calls. */
  #rest: Buffer = EMPTY;
  /** Byte offset of `#rest`, and the line it starts on. */
  #restByte = 0;
  #line = 1;
  #bomPending: boolean;
  #failed = false;

  constructor(options: ParserOptions) {
    this.#o = options;
    this.options = { encoding: options.encoding };
    this.#bomPending = options.bom;
  }

  /**
   * Parses `buf` (appended to what is left of the previous call): each complete record goes to
   * `push`. The record in progress waits for more bytes unless `end`. Returns the first error.
   */
  parse(
    buf: Buffer | undefined,
    end: boolean,
    push: (record: string[]) => void,
    _close?: () => void,
  ): ParseError | undefined {
    if (this.#failed) return undefined;
    let data =
      buf === undefined || buf.length === 0
        ? this.#rest
        : this.#rest.length === 0
          ? buf
          : Buffer.concat([this.#rest, buf]);
    if (this.#bomPending) {
      if (data.length < 3 && !end && isBomPrefix(data)) {
        this.#rest = data;
        return undefined;
      }
      this.#bomPending = false;
      let skip = 0;
      if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
        skip = 3;
        this.options.encoding = 'utf8';
      } else if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) {
        skip = 2;
        this.options.encoding = 'utf16le';
      }
      data = data.subarray(skip);
      this.#restByte += skip;
      this.info.bytes = this.#restByte;
    }
    const encoding = this.options.encoding;
    let cut = data.length;
    if (encoding === 'utf16le') cut &= ~1;
    else if (encoding === 'utf8' && !end) cut = completeUtf8Length(data);
    // At the end everything left is final (a stray odd byte of UTF-16 is dropped by decoding).
    const final = end;
    const head = data.subarray(0, cut);
    // How string offsets map back to bytes: identity (ASCII, Latin-1), x2 (UTF-16) or measured.
    // Invalid UTF-8 is parsed as Latin-1 (1 byte per char; CSV syntax is ASCII, which UTF-8 never
    // uses inside a multi-byte character) and each field decoded afterwards, so offsets stay exact.
    let mode: 'bytes' | 'utf16' | 'measured' | 'recode' = 'bytes';
    let text: string;
    if (encoding === 'utf8') {
      text = head.toString('utf8');
      if (text.length !== cut) {
        if (isUtf8(head)) mode = 'measured';
        else {
          mode = 'recode';
          text = head.toString('latin1');
        }
      }
    } else {
      text = head.toString(encoding);
      if (encoding === 'utf16le') mode = 'utf16';
    }
    const result = this.#scan(text, final, mode, push);
    if (result.error !== undefined) {
      this.#failed = true;
      this.#rest = EMPTY;
      return result.error;
    }
    const consumed = result.consumedBytes;
    this.#restByte += consumed;
    this.#rest = consumed === 0 ? data : data.subarray(consumed);
    if (end) this.#rest = EMPTY;
    return undefined;
  }

  #scan(
    s: string,
    final: boolean,
    mode: 'bytes' | 'utf16' | 'measured' | 'recode',
    push: (record: string[]) => void,
  ): { consumedBytes: number; error?: ParseError } {
    const o = this.#o;
    const recode = mode === 'recode';
    const delimiter = recode ? toLatin1(o.delimiter) : o.delimiter;
    const quote = o.quote === null ? null : recode ? toLatin1(o.quote) : o.quote;
    const escapeChar = o.escape === null ? null : recode ? toLatin1(o.escape) : o.escape;
    const comment = o.comment === null ? null : recode ? toLatin1(o.comment) : o.comment;
    const len = s.length;
    const info = this.info;
    // Byte offset of string offset `i` (monotonic calls only).
    let lastI = 0;
    let lastByte = 0;
    const byteAt = (i: number): number => {
      if (mode === 'bytes' || mode === 'recode') return i;
      if (mode === 'utf16') return i * 2;
      lastByte += Buffer.byteLength(s.substring(lastI, i), 'utf8');
      lastI = i;
      return lastByte;
    };
    const base = this.#restByte;
    let pos = 0;
    let line = this.#line;
    let nextLf = -1;
    let nextCr = -1;
    let nextQuote = -1;
    this.state.quoting = false;
    while (pos < len) {
      if (nextLf < pos) nextLf = indexOr(s, '\n', pos, len);
      if (nextCr < pos) nextCr = indexOr(s, '\r', pos, len);
      const e = Math.min(nextLf, nextCr);
      let termLen = 0;
      if (e < len) {
        if (s.charCodeAt(e) === CR) {
          if (e + 1 < len) termLen = s.charCodeAt(e + 1) === LF ? 2 : 1;
          else if (final) termLen = 1;
          else break; // a `\r` at the end: its `\n` may be in the next chunk
        } else termLen = 1;
      } else if (!final) break;
      if (e === pos) {
        info.empty_lines += 1;
        line += 1;
        pos = e + termLen;
        continue;
      }
      if (comment !== null && s.startsWith(comment, pos)) {
        info.comment_lines += 1;
        line += 1;
        pos = e + termLen;
        continue;
      }
      if (quote !== null && nextQuote < pos) nextQuote = indexOr(s, quote, pos, len);
      if (quote === null || nextQuote >= e) {
        const fields = s.substring(pos, e).split(delimiter);
        if (recode) recodeFields(fields);
        pos = e + termLen;
        info.lines = line;
        info.bytes = base + byteAt(pos);
        line += 1;
        push(fields);
        continue;
      }
      const r = slowRecord(s, pos, line, final, delimiter, quote, escapeChar);
      if (r.kind === 'more') {
        this.state.quoting = r.quoting;
        break;
      }
      if (r.kind === 'error') return { consumedBytes: byteAt(pos), error: r.error };
      if (recode) recodeFields(r.fields);
      pos = r.next;
      info.lines = r.endLine;
      info.bytes = base + byteAt(pos);
      line = r.endLine + 1;
      push(r.fields);
    }
    this.#line = line;
    return { consumedBytes: byteAt(pos) };
  }
}

type Slow =
  | { kind: 'record'; fields: string[]; next: number; endLine: number }
  | { kind: 'more'; quoting: boolean }
  | { kind: 'error'; error: ParseError };

/** Parses one record holding a quote character, from `pos` (a line start), char by char. */
function slowRecord(
  s: string,
  pos: number,
  startLine: number,
  final: boolean,
  delimiter: string,
  quote: string,
  escapeChar: string | null,
): Slow {
  const len = s.length;
  const qc = quote.charCodeAt(0);
  const ec = escapeChar === null ? -1 : escapeChar.charCodeAt(0);
  const dc = delimiter.charCodeAt(0);
  const dlen = delimiter.length;
  const isDelimiter = (i: number) => s.charCodeAt(i) === dc && (dlen === 1 || s.startsWith(delimiter, i));
  const fields: string[] = [];
  let line = startLine;
  let i = pos;
  for (;;) {
    // At the start of a field.
    if (i < len && s.charCodeAt(i) === qc) {
      i += 1;
      let value = '';
      let seg = i;
      for (;;) {
        if (i >= len) {
          if (final) {
            return {
              kind: 'error',
              error: parseError(
                'CSV_QUOTE_NOT_CLOSED',
                `Quote Not Closed: the parsing is finished with an opening quote at line ${line}`,
                line,
              ),
            };
          }
          return { kind: 'more', quoting: true };
        }
        const c = s.charCodeAt(i);
        if (c === ec && ec !== qc) {
          if (i + 1 >= len && !final) return { kind: 'more', quoting: true };
          const n = s.charCodeAt(i + 1);
          if (n === qc || n === ec) {
            value += s.substring(seg, i) + s[i + 1];
            i += 2;
            seg = i;
            continue;
          }
        }
        if (c === qc) {
          if (i + 1 >= len && !final) return { kind: 'more', quoting: true };
          if (ec === qc && s.charCodeAt(i + 1) === qc) {
            value += s.substring(seg, i + 1);
            i += 2;
            seg = i;
            continue;
          }
          value += s.substring(seg, i);
          i += 1;
          break;
        }
        if (c === LF) line += 1;
        else if (c === CR) {
          if (i + 1 < len) {
            if (s.charCodeAt(i + 1) !== LF) line += 1;
          } else if (!final) return { kind: 'more', quoting: true };
          else line += 1;
        }
        i += 1;
      }
      fields.push(value);
      // After the closing quote: a delimiter, a line end or the end.
      if (i >= len) {
        if (!final) return { kind: 'more', quoting: false };
        return { kind: 'record', fields, next: i, endLine: line };
      }
      if (isDelimiter(i)) {
        i += dlen;
        continue;
      }
      const c = s.charCodeAt(i);
      if (c === LF || c === CR) return lineEnd(s, i, fields, line, final);
      return {
        kind: 'error',
        error: parseError(
          'CSV_INVALID_CLOSING_QUOTE',
          `Invalid Closing Quote: got "${s[i]}" at line ${line} instead of delimiter, record delimiter, trimable character (if activated) or comment`,
          line,
        ),
      };
    }
    // An unquoted field: up to a delimiter or a line end; a quote inside is an error.
    const start = i;
    for (;;) {
      if (i >= len) {
        if (!final) return { kind: 'more', quoting: false };
        fields.push(s.substring(start, i));
        return { kind: 'record', fields, next: i, endLine: line };
      }
      const c = s.charCodeAt(i);
      if (c === LF || c === CR) {
        fields.push(s.substring(start, i));
        return lineEnd(s, i, fields, line, final);
      }
      if (c === dc && (dlen === 1 || s.startsWith(delimiter, i))) {
        fields.push(s.substring(start, i));
        i += dlen;
        break;
      }
      if (c === qc) {
        return {
          kind: 'error',
          error: parseError(
            'INVALID_OPENING_QUOTE',
            `Invalid Opening Quote: a quote is found on field ${fields.length} at line ${line}, value is ${JSON.stringify(s.substring(start, i))}`,
            line,
          ),
        };
      }
      i += 1;
    }
  }
}

function lineEnd(s: string, i: number, fields: string[], line: number, final: boolean): Slow {
  if (s.charCodeAt(i) === CR) {
    if (i + 1 >= s.length) {
      if (!final) return { kind: 'more', quoting: false };
      return { kind: 'record', fields, next: i + 1, endLine: line };
    }
    return { kind: 'record', fields, next: s.charCodeAt(i + 1) === LF ? i + 2 : i + 1, endLine: line };
  }
  return { kind: 'record', fields, next: i + 1, endLine: line };
}

function parseError(code: string, message: string, lines: number): ParseError {
  return Object.assign(new Error(message), { code, lines });
}

function indexOr(s: string, search: string, from: number, len: number): number {
  const i = s.indexOf(search, from);
  return i === -1 ? len : i;
}

function isBomPrefix(data: Buffer): boolean {
  if (data.length === 0) return true;
  if (data[0] === 0xef) return data.length < 2 || data[1] === 0xbb;
  return data[0] === 0xff && data.length < 2;
}

function toLatin1(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function recodeFields(fields: string[]): void {
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: any byte >= 0x80 needs decoding
    if (/[^\x00-\x7f]/.test(f)) fields[i] = Buffer.from(f, 'latin1').toString('utf8');
  }
}

/** Length of the bytes without a multi-byte UTF-8 sequence cut at their end. */
function completeUtf8Length(chunk: Buffer): number {
  for (let back = 1; back <= 3 && back <= chunk.length; back++) {
    const b = chunk[chunk.length - back]!;
    if ((b & 0xc0) === 0x80) continue;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (need > back) return chunk.length - back;
    }
    break;
  }
  return chunk.length;
}
