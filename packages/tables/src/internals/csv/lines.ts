/** One physical line inside a byte buffer. Offsets are relative to the buffer. */
export interface LineSpan {
  /** First byte of the line. */
  start: number;
  /** Byte after the line's last content byte (its terminator starts here). */
  end: number;
  /** First byte of the next line, or `undefined` when the line's terminator is not in the buffer yet. */
  next: number | undefined;
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * Splits bytes into lines the way the parser counts them: `\r\n`, a lone `\r` and a lone `\n` each
 * end one line. `unit` is the code unit size (2 for UTF-16LE, where a terminator is `0d 00` or
 * `0a 00`). A trailing partial line is returned with `next: undefined`; nothing is returned for the
 * empty remainder after a final terminator.
 */
export function splitLines(buf: Uint8Array, unit: 1 | 2): LineSpan[] {
  const lines: LineSpan[] = [];
  let start = 0;
  let i = 0;
  const n = buf.length - (unit - 1);
  while (i < n) {
    const b = buf[i];
    const isBreak = (b === CR || b === LF) && (unit === 1 || buf[i + 1] === 0);
    if (!isBreak) {
      i += unit;
      continue;
    }
    let next = i + unit;
    if (b === CR && next < n && buf[next] === LF && (unit === 1 || buf[next + 1] === 0)) next += unit;
    lines.push({ start, end: i, next });
    start = next;
    i = next;
  }
  if (start < buf.length) lines.push({ start, end: buf.length, next: undefined });
  return lines;
}

/**
 * Offset just after the first line terminator at or after `from`, or `undefined` when there is none
 * (a `\r` as the very last unit counts; the caller drops a following `\n` itself).
 */
export function findLineEnd(buf: Uint8Array, from: number, unit: 1 | 2): number | undefined {
  const n = buf.length - (unit - 1);
  for (let i = from; i < n; i += unit) {
    const b = buf[i];
    if ((b === CR || b === LF) && (unit === 1 || buf[i + 1] === 0)) {
      let next = i + unit;
      if (b === CR && next < n && buf[next] === LF && (unit === 1 || buf[next + 1] === 0)) next += unit;
      return next;
    }
  }
  return undefined;
}

/** Whether the bytes end with a carriage return (so a `\n` starting the next chunk belongs to it). */
export function endsWithCr(buf: Uint8Array, unit: 1 | 2): boolean {
  const at = buf.length - unit;
  return at >= 0 && buf[at] === CR && (unit === 1 || buf[at + 1] === 0);
}

/** Whether the bytes start with a line feed. */
export function startsWithLf(buf: Uint8Array, unit: 1 | 2): boolean {
  return buf.length >= unit && buf[0] === LF && (unit === 1 || buf[1] === 0);
}
