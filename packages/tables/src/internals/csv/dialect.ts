/** Field separators tried when the delimiter is detected, in order of preference on a tie. */
export const DELIMITER_CANDIDATES: readonly string[] = [',', ';', '\t', '|'];

/** How a CSV file is written: what was used to read it, and which parts were detected. */
export interface CsvDialect {
  delimiter: string;
  /** Decimal mark of numbers: `,` (European spreadsheets) turns `3,5` into `3.5`. */
  decimal: '.' | ',';
  /** Encoding the bytes were read with (a byte order mark overrides the option). */
  encoding: 'utf8' | 'utf16le' | 'latin1' | 'ascii';
  /** Whether the byte order mark was found. */
  bom: boolean;
  /** Which of these were detected from the file rather than given. */
  detected: { delimiter: boolean; decimal: boolean };
}

/** A number with a decimal comma: `3,5`, `-0,25`, `,5`, `1,5e3` (no thousands separators). */
export const DECIMAL_COMMA = /^[+-]?\d*,\d+(?:[eE][+-]?\d+)?$/;
const DECIMAL_POINT = /^[+-]?\d*\.\d+(?:[eE][+-]?\d+)?$/;

/** Records looked at to detect the dialect. */
const SNIFF_RECORDS = 50;

/**
 * Detects the delimiter and decimal mark from the first records of a file (`text`: the head of
 * the file, decoded; a last record cut by the end of the head is left out unless `complete`).
 *
 * The delimiter is the candidate (`,` `;` tab `|`) found the same number of times, at least
 * once, on the most records (outside quotes); ties go to the earlier candidate, and a file
 * where none appears is read with `,`. The decimal mark is `,` when the delimiter is not `,` and
 * more data cells look like `3,5` than like `3.5`.
 */
export function sniffDialect(
  text: string,
  options: {
    quote: string | null;
    comment: string | null;
    header: boolean;
    complete: boolean;
    delimiter?: string;
    decimal?: '.' | ',';
  },
): { delimiter: string; decimal: '.' | ',' } {
  const records = headRecords(text, options.quote, options.comment, options.complete);
  const delimiter = options.delimiter ?? pickDelimiter(records, options.quote);
  const decimal = options.decimal ?? pickDecimal(records, delimiter, options.quote, options.header);
  return { delimiter, decimal };
}

/** The first records (quoted line breaks kept inside), without blank and comment lines. */
function headRecords(
  text: string,
  quote: string | null,
  comment: string | null,
  complete: boolean,
): string[] {
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  let i = 0;
  for (; i < text.length && records.length < SNIFF_RECORDS; i++) {
    const c = text[i];
    if (c === quote) quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) {
      push(text.slice(start, i));
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      start = i + 1;
    }
  }
  if (complete && records.length < SNIFF_RECORDS && start < text.length) push(text.slice(start));
  return records;

  function push(line: string): void {
    if (line.trim() === '') return;
    if (comment !== null && line.startsWith(comment)) return;
    records.push(line);
  }
}

/** Occurrences of `delimiter` outside quotes. */
function countOutsideQuotes(line: string, delimiter: string, quote: string | null): number {
  let count = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === quote) quoted = !quoted;
    else if (!quoted && line.startsWith(delimiter, i)) count += 1;
  }
  return count;
}

function pickDelimiter(records: readonly string[], quote: string | null): string {
  let best = ',';
  let bestScore = 0;
  for (const candidate of DELIMITER_CANDIDATES) {
    const counts = records.map((r) => countOutsideQuotes(r, candidate, quote));
    const frequency = new Map<number, number>();
    for (const c of counts) if (c > 0) frequency.set(c, (frequency.get(c) ?? 0) + 1);
    // Records agreeing on the most common non-zero count.
    const score = Math.max(0, ...frequency.values());
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function pickDecimal(
  records: readonly string[],
  delimiter: string,
  quote: string | null,
  header: boolean,
): '.' | ',' {
  if (delimiter === ',') return '.';
  let comma = 0;
  let point = 0;
  for (const record of header ? records.slice(1) : records) {
    for (const raw of record.split(delimiter)) {
      let cell = raw.trim();
      if (quote !== null && cell.length >= 2 && cell.startsWith(quote) && cell.endsWith(quote))
        cell = cell.slice(1, -1).trim();
      if (DECIMAL_COMMA.test(cell)) comma += 1;
      else if (DECIMAL_POINT.test(cell)) point += 1;
    }
  }
  return comma > point ? ',' : '.';
}
