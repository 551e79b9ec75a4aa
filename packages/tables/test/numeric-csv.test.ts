import { Rng } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { parseDecimal, readNumericCsv } from '../src/index.ts';

const read = (text: string, label = 'y', delimiter = ',') =>
  readNumericCsv(Buffer.from(text, 'utf8'), { delimiter, label });

/** A number's text in one of the ways files write numbers (some as String writes them, some not). */
function numberText(rng: Rng): string {
  const v = (rng.float() - 0.5) * 10 ** rng.int(-8, 16);
  switch (rng.int(0, 9)) {
    case 0:
      return v.toFixed(rng.int(0, 8));
    case 1:
      return String(Math.round(v));
    case 2:
      return `+${Math.abs(Math.round(v * 100) / 100)}`;
    case 3:
      return String(v).replace(/^(-?)0\./, '$1.');
    case 4:
      return v.toExponential(rng.int(0, 6));
    case 5:
      return `${Math.round(v * 1000) / 1000}0`;
    case 6:
      return ['0', '-0', '0.0', '0.000001', '0.0000001', '1.', '007', '100', '-0.5'][rng.int(0, 8)]!;
    default:
      return String(Math.round(v * 1e6) / 1e6);
  }
}

describe('readNumericCsv', () => {
  it('reads every cell as parseDecimal does and marks the rows written exactly as String() writes them', () => {
    const rng = Rng.create('numeric-csv');
    const lines = ['a,y,b,c'];
    const cells: string[][] = [];
    for (let i = 0; i < 4000; i++) {
      const row = [numberText(rng), rng.bool(0.3) ? 'pos' : 'neg', numberText(rng), numberText(rng)];
      cells.push(row);
      lines.push(row.join(','));
    }
    const table = read(`${lines.join(rng.bool(0.5) ? '\n' : '\r\n')}\n`)!;
    expect(table.n).toBe(4000);
    expect(table.columns).toEqual(['a', 'b', 'c']);
    expect(table.labels).toEqual([cells[0]![1], cells[0]![1] === 'pos' ? 'neg' : 'pos']);
    let canonical = 0;
    cells.forEach((row, i) => {
      const numbers = [row[0]!, row[2]!, row[3]!];
      numbers.forEach((text, j) => {
        expect([text, table.values[j]![i]]).toEqual([text, parseDecimal(text)]);
      });
      expect(table.labels[table.labelOf[i]!]).toBe(row[1]);
      const text = Buffer.from(table.bytes.subarray(table.start[i], table.end[i])).toString('latin1');
      expect(text).toBe(row.join(','));
      const written = [table.values[0]![i], row[1], table.values[1]![i], table.values[2]![i]]
        .map(String)
        .join(',');
      expect([text, table.canonical[i]]).toEqual([text, written === text ? 1 : 0]);
      canonical += table.canonical[i]!;
    });
    // Both kinds are present, so both branches were checked.
    expect(canonical).toBeGreaterThan(300);
    expect(canonical).toBeLessThan(3700);
  });

  it('marks a number as written like String() exactly when it is, one cell at a time', () => {
    const rng = Rng.create('numeric-csv-cells');
    const texts = Array.from({ length: 20_000 }, () => numberText(rng));
    const table = read(`x,y\n${texts.map((t) => `${t},a`).join('\n')}\n`)!;
    texts.forEach((text, i) => {
      const value = table.values[0]![i]!;
      expect([text, value, table.canonical[i]]).toEqual([text, Number(text), String(value) === text ? 1 : 0]);
    });
  });

  it('reads a byte order mark, CRLF, a last line without a line break and another delimiter', () => {
    const table = read('\ufeffx;y;z\r\n1.5;a;2\r\n-3;b;4e2', 'y', ';')!;
    expect(table.header).toEqual(['x', 'y', 'z']);
    expect(table.labelIndex).toBe(1);
    expect([...table.values[0]!]).toEqual([1.5, -3]);
    expect([...table.values[1]!]).toEqual([2, 400]);
    expect([...table.canonical]).toEqual([1, 0]);
  });

  it('declines every file the row reader has to account for row by row', () => {
    const declined = {
      quote: 'x,y\n"1",a\n',
      'space around a cell': 'x,y\n 1,a\n',
      'empty cell': 'x,y\n,a\n',
      'NA cell': 'x,y\nNA,a\n',
      'text in a feature': 'x,y\nabc,a\n',
      'not finite': 'x,y\n1e400,a\n',
      'ragged row (short)': 'x,z,y\n1,a\n',
      'ragged row (long)': 'x,y\n1,a,2\n',
      'blank line': 'x,y\n1,a\n\n2,b\n',
      'lone CR': 'x,y\n1,a\r2,b\n',
      'NA label': 'x,y\n1,NA\n',
      'empty label': 'x,y\n1,\n',
      'non-ASCII label': 'x,y\n1,é\n',
      'duplicate header': 'x,x,y\n1,2,a\n',
      'empty header name': ',y\n1,a\n',
      'no label column': 'x,z\n1,2\n',
      'header only': 'x,y\n',
      'decimal comma': 'x;y\n1,5;a\n',
    };
    for (const [what, text] of Object.entries(declined)) {
      expect([what, read(text, 'y', what === 'decimal comma' ? ';' : ',')]).toEqual([what, undefined]);
    }
  });
});
