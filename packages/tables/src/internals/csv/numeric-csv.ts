import { isUtf8 } from 'node:buffer';
import { DEFAULT_NA_VALUES } from '../cells.ts';

/** A plain all-numeric CSV file held as typed columns: what {@link readNumericCsv} returns. */
export interface NumericCsv {
  /** Every header name, in order (the label column included). */
  readonly header: readonly string[];
  /** Position of the label column in `header`. */
  readonly labelIndex: number;
  /** The feature columns: `header` without the label, in order. */
  readonly columns: readonly string[];
  /** Data rows. */
  readonly n: number;
  /** One column of values per entry of `columns`. */
  readonly values: readonly Float64Array[];
  /** Distinct label texts, in first-seen order. */
  readonly labels: readonly string[];
  /** Each row's label, as an index into `labels`. */
  readonly labelOf: Int32Array;
  /** Byte offsets of each row's record in `bytes`: `[start, end)`, the line ending excluded. */
  readonly start: Float64Array;
  readonly end: Float64Array;
  /**
   * 1 when every number of the row is written exactly as `String(value)` writes it (`-0.25`,
   * `3750`; not `+1`, `1.50`, `.5` or `1e3`): the record's text is then the row as a CSV
   * writer formats it, and can be copied instead of formatted again.
   */
  readonly canonical: Uint8Array;
  /** The file's bytes. */
  readonly bytes: Uint8Array;
}

const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);
const NA = new Set(DEFAULT_NA_VALUES);
/** readCsv's default `maxRecordBytes`: a longer record is quarantined there. */
const MAX_RECORD_BYTES = 1 << 20;
const LF = 10;
const CR = 13;

/**
 * The fast path of the CSV reader for the tables most numeric work reads: a header, then rows
 * whose cells are all plain numbers except an ASCII label. It reads the bytes straight into one
 * `Float64Array` per column, with no string or object per cell or row, and gives exactly the
 * numbers `readCsv` then `parseDecimal` give for such a file.
 *
 * It returns `undefined` as soon as the file is anything else: a quote, a space around a cell,
 * an empty or `NA` cell, text in a feature column, a ragged row, a blank line, a lone CR, a
 * decimal comma, a renamed header, a label that is not printable ASCII; then the caller reads
 * the file with `readCsv`, which accounts for every such row (quarantine, missing values,
 * detected types). `delimiter` is the file's field separator (one character).
 */
export function readNumericCsv(
  bytes: Uint8Array,
  options: { delimiter: string; label: string },
): NumericCsv | undefined {
  if (options.delimiter.length !== 1) return undefined;
  const delimiter = options.delimiter.charCodeAt(0);
  if (delimiter >= 128 || delimiter === 34 || isNumberByte(delimiter) || delimiter === LF || delimiter === CR)
    return undefined;
  const size = bytes.length;
  let pos = size >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // Header: valid UTF-8 without quotes, names already as the reader normalizes them.
  let lineEnd = pos;
  while (lineEnd < size && bytes[lineEnd] !== LF && bytes[lineEnd] !== CR) lineEnd++;
  const headerBytes = bytes.subarray(pos, lineEnd);
  if (!isUtf8(headerBytes) || headerBytes.indexOf(34) !== -1) return undefined;
  const header = Buffer.from(headerBytes.buffer, headerBytes.byteOffset, headerBytes.length)
    .toString('utf8')
    .split(options.delimiter);
  const seen = new Set<string>();
  for (const name of header) {
    if (name === '' || name.trim() !== name || seen.has(name)) return undefined;
    seen.add(name);
  }
  const labelIndex = header.indexOf(options.label);
  if (labelIndex < 0 || header.length < 2) return undefined;
  pos = lineEnd;
  if (pos < size && bytes[pos] === CR) {
    pos++;
    if (pos >= size || bytes[pos] !== LF) return undefined;
  }
  if (pos < size) pos++;

  // Rows: count the line feeds for the sizes (an upper bound when the file ends without one).
  let capacity = 1;
  for (let i = bytes.indexOf(LF, pos); i !== -1; i = bytes.indexOf(LF, i + 1)) capacity++;
  const width = header.length;
  const dims = width - 1;
  const values = Array.from({ length: dims }, () => new Float64Array(capacity));
  const labelOf = new Int32Array(capacity);
  const start = new Float64Array(capacity);
  const end = new Float64Array(capacity);
  const canonical = new Uint8Array(capacity);
  const labels: string[] = [];
  const labelStart: number[] = [];
  const labelLength: number[] = [];
  let n = 0;
  while (pos < size) {
    start[n] = pos;
    let plain = 1;
    let column = 0;
    for (let h = 0; h < width; h++) {
      const from = pos;
      if (h === labelIndex) {
        // Printable ASCII without a quote or the delimiter: read as is by readCsv.
        while (pos < size) {
          const c = bytes[pos]!;
          if (c === delimiter || c === LF || c === CR) break;
          if (c <= 32 || c >= 127 || c === 34) return undefined;
          pos++;
        }
        const length = pos - from;
        if (length === 0) return undefined;
        let found = -1;
        for (let l = 0; l < labels.length && found < 0; l++) {
          if (labelLength[l] !== length) continue;
          const at = labelStart[l]!;
          let same = true;
          for (let b = 0; b < length; b++) {
            if (bytes[at + b] !== bytes[from + b]) {
              same = false;
              break;
            }
          }
          if (same) found = l;
        }
        if (found < 0) {
          const text = latin1(bytes, from, pos);
          if (NA.has(text) || labels.length >= 1024) return undefined;
          found = labels.length;
          labels.push(text);
          labelStart.push(from);
          labelLength.push(length);
        }
        labelOf[n] = found;
      } else {
        // A number: parseDecimal's fast path (up to 15 digits read as one integer, divided by
        // a power of ten: both exact, so the division rounds as Number does), Number otherwise.
        let negative = false;
        let signed = false;
        let c = pos < size ? bytes[pos]! : LF;
        if (c === 45 || c === 43) {
          negative = c === 45;
          signed = true;
          pos++;
        }
        let mantissa = 0;
        let digits = 0;
        let decimals = -1;
        let simple = true;
        let leadingZero = false;
        let fractionZeros = 0;
        let lastDigit = -1;
        for (; pos < size; pos++) {
          c = bytes[pos]!;
          if (c >= 48 && c <= 57) {
            if (digits === 0 && decimals < 0 && c === 48) leadingZero = true;
            if (decimals >= 0) {
              decimals += 1;
              if (mantissa === 0 && c === 48) fractionZeros += 1;
            }
            mantissa = mantissa * 10 + (c - 48);
            digits += 1;
            lastDigit = c - 48;
          } else if (c === 46 && decimals < 0) decimals = 0;
          else if (c === delimiter || c === LF || c === CR) break;
          else if (isNumberByte(c)) simple = false;
          else return undefined;
        }
        if (digits === 0) return undefined;
        let value: number;
        if (simple && digits > 0 && digits <= 15) {
          const magnitude = decimals > 0 ? mantissa / POW10[decimals]! : mantissa;
          value = negative ? -magnitude : magnitude;
          // Written as String(value) writes it: no `+`, no leading or trailing zero, no lone
          // point, not -0, and not small enough for an exponent (1e-7).
          const integerDigits = decimals < 0 ? digits : digits - decimals;
          if (
            (signed && !negative) ||
            decimals === 0 ||
            integerDigits === 0 ||
            (leadingZero && integerDigits > 1) ||
            (decimals > 0 && lastDigit === 0) ||
            (negative && mantissa === 0) ||
            (integerDigits === 1 && leadingZero && fractionZeros > 5)
          )
            plain = 0;
        } else {
          const text = latin1(bytes, from, pos);
          value = Number(text);
          if (!Number.isFinite(value)) return undefined;
          if (String(value) !== text) plain = 0;
        }
        values[column]![n] = value;
        column++;
      }
      if (h < width - 1) {
        if (pos >= size || bytes[pos] !== delimiter) return undefined;
        pos++;
      }
    }
    // The record ends here: LF, CRLF or the end of the file; anything else is ragged.
    if (pos - start[n]! > MAX_RECORD_BYTES) return undefined;
    end[n] = pos;
    canonical[n] = plain;
    n++;
    if (pos < size) {
      if (bytes[pos] === CR) {
        pos++;
        if (pos >= size || bytes[pos] !== LF) return undefined;
      }
      if (bytes[pos] !== LF) return undefined;
      pos++;
    }
  }
  if (n === 0) return undefined;
  return {
    header,
    labelIndex,
    columns: header.filter((_, h) => h !== labelIndex),
    n,
    values: values.map((v) => v.subarray(0, n)),
    labels,
    labelOf: labelOf.subarray(0, n),
    start: start.subarray(0, n),
    end: end.subarray(0, n),
    canonical: canonical.subarray(0, n),
    bytes,
  };
}

/** Bytes a number's text may hold besides digits: `+ - . e E`. */
function isNumberByte(c: number): boolean {
  return c === 43 || c === 45 || c === 46 || c === 101 || c === 69 || (c >= 48 && c <= 57);
}

function latin1(bytes: Uint8Array, from: number, to: number): string {
  let text = '';
  for (let i = from; i < to; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}
