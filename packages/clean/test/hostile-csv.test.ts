import { join } from 'node:path';
import { fromIterable, MemoryQuarantine, pipeline, type TabularSample, writeCsv } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { type CsvReport, type ReadCsvOptions, readCsv, sniffDialect } from '../src/index.ts';
import { chunked, tempDir } from './helpers.ts';

/**
 * Hostile CSV inputs, one family per test: line endings, encodings, byte order marks, NUL bytes,
 * quoting, ragged rows, headers, huge fields, dialects. Each asserts that every record is
 * accounted for (in = out + filtered + quarantined, every line a row, a rejection, a blank or a
 * comment) and that each message names the file, the line and, where it applies, the column.
 */
async function read(
  bytes: Buffer,
  options: ReadCsvOptions = {},
  chunkSize = 7,
): Promise<{
  items: TabularSample[];
  quarantine: MemoryQuarantine;
  report: CsvReport;
  summary: { in: number; out: number; filtered: number; quarantined: number };
}> {
  const file = options.file ?? 'hostile.csv';
  const source = readCsv(chunked(bytes, chunkSize), { ...options, file });
  const quarantine = new MemoryQuarantine();
  const { items, summary } = await pipeline(source).collect({ quarantine });
  const report = source.report();
  const stage = summary.stages[0]!;
  // Accounting: every record read leaves as a row or a quarantine record (the unreadable header too).
  const headerRecords = quarantine.records.filter((r) => r.id.endsWith('#header')).length;
  expect(stage.in).toBe(report.rows + headerRecords);
  expect(stage.out + stage.filtered + stage.quarantined).toBe(stage.in);
  expect(quarantine.records).toHaveLength(stage.quarantined);
  for (const record of quarantine.records) {
    expect(record.source?.file).toBe(file);
    expect(record.source?.line).toBeGreaterThanOrEqual(1);
    expect(record.source?.line).toBeLessThanOrEqual(Math.max(1, report.lines));
  }
  // Every physical line is counted once: header, row, rejection (with the lines it spans), blank, comment.
  const lines = [...items.map((s) => s.source!.line!), ...quarantine.records.map((r) => r.source!.line!)];
  expect(new Set(lines).size).toBe(lines.length);
  return { items, quarantine, report, summary: stage };
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const european =
  'species;bill_length_mm;body_mass_g;note\nAdelie;39,1;3750;"a, b"\nGentoo;46,5;5200;x\nChinstrap;-0,5;3800;"1,5"\n';

const values = (items: TabularSample[]) => items.map((s) => s.payload.values);

describe('hostile CSV: line endings', () => {
  it('reads an old Mac file where every record ends in a lone CR', async () => {
    const { items, report } = await read(utf8('a,b\r1,2\r3,4\r'));
    expect(values(items)).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: '4' },
    ]);
    expect(report.lines).toBe(3);
  });

  it('reads a file without a final line break, and one with a CR as its very last byte', async () => {
    for (const csv of ['a,b\n1,2', 'a,b\r\n1,2\r']) {
      for (const size of [1, 3, 100]) {
        const { items } = await read(utf8(csv), {}, size);
        expect(values(items)).toEqual([{ a: '1', b: '2' }]);
      }
    }
  });
});

describe('hostile CSV: encodings and byte order marks', () => {
  it('reads UTF-16LE with a byte order mark, CRLF and semicolons, detecting all three', async () => {
    const text = 'city;pop\r\nZürich;421878\r\nOrléans;116238\r\n';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const { items, report, quarantine } = await read(bytes, {}, 5);
    expect(quarantine.records).toEqual([]);
    expect(values(items)).toEqual([
      { city: 'Zürich', pop: '421878' },
      { city: 'Orléans', pop: '116238' },
    ]);
    expect(report.dialect).toMatchObject({ delimiter: ';', encoding: 'utf16le', bom: true });
  });

  it('keeps the last record of a UTF-16 file cut in the middle of a character', async () => {
    const full = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n3,4', 'utf16le')]);
    const { items } = await read(full.subarray(0, full.length - 1), {}, 3);
    expect(values(items)).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: null },
    ]);
  });

  it('quarantines every row of UTF-16 without a byte order mark, saying NUL bytes point to UTF-16', async () => {
    const bytes = Buffer.from('a,b\n1,2\n3,4\n', 'utf16le');
    const { items, quarantine, report } = await read(bytes, { file: 'no-bom16.csv' });
    expect(items).toEqual([]);
    // Each `\n` byte is followed by the `\0` of its UTF-16 unit: 4 "records", all unreadable.
    expect(quarantine.records.map((r) => r.reason)).toEqual(Array(report.rows + 1).fill('bad header'));
    expect(report.rows).toBe(3);
    expect(quarantine.records[0]!.detail).toMatch(/NUL byte.*UTF-16/);
    expect(report.warnings).toEqual([
      expect.stringMatching(/^no-bom16\.csv line 1: the header cannot be read/),
    ]);
  });

  it('quarantines a row holding a NUL byte, naming its line and column', async () => {
    const { items, quarantine } = await read(utf8('name,n\nok,1\nbi\u0000nary,2\nfine,3\n'), {
      file: 'nul.csv',
    });
    expect(items).toHaveLength(2);
    expect(quarantine.records.map((r) => [r.reason, r.source?.line, r.source?.column])).toEqual([
      ['bad encoding', 3, 'name'],
    ]);
  });

  it('quarantines Latin-1 rows read as UTF-8 with a hint about the encoding, and reads them when told', async () => {
    const bytes = Buffer.from('city,country\nParis,France\nZürich,Schweiz\nOrléans,France\n', 'latin1');
    const asUtf8 = await read(bytes, { file: 'latin.csv' });
    expect(values(asUtf8.items)).toEqual([{ city: 'Paris', country: 'France' }]);
    expect(asUtf8.quarantine.records.map((r) => [r.reason, r.source?.line, r.source?.column])).toEqual([
      ['bad encoding', 3, 'city'],
      ['bad encoding', 4, 'city'],
    ]);
    expect(asUtf8.quarantine.records[0]!.detail).toMatch(/invalid UTF-8.*latin1/);
    const asLatin1 = await read(bytes, { encoding: 'latin1' });
    expect(asLatin1.items.map((s) => s.payload.values.city)).toEqual(['Paris', 'Zürich', 'Orléans']);
  });

  it('quarantines every row under a header that is not valid UTF-8, and warns naming the file', async () => {
    const bytes = Buffer.concat([utf8('na'), Buffer.from([0xef]), utf8('me,n\nx,1\ny,2\n')]);
    const { items, quarantine, report } = await read(bytes, { file: 'bad-header.csv' });
    expect(items).toEqual([]);
    expect(quarantine.records.map((r) => [r.reason, r.source?.line])).toEqual([
      ['bad header', 1],
      ['bad header', 2],
      ['bad header', 3],
    ]);
    expect(report.warnings).toEqual([
      expect.stringMatching(/^bad-header\.csv line 1: the header cannot be read \(bad encoding.*2 row/),
    ]);
  });
});

describe('hostile CSV: nothing to read', () => {
  const cases: [string, Buffer, RegExp][] = [
    ['empty.csv', Buffer.alloc(0), /^empty\.csv: the file is empty/],
    ['bom.csv', Buffer.from([0xef, 0xbb, 0xbf]), /^bom\.csv: the file holds only a byte order mark/],
    ['bom16.csv', Buffer.from([0xff, 0xfe]), /^bom16\.csv: the file holds only a byte order mark/],
    ['blank.csv', utf8('\n\r\n\r\n'), /^blank\.csv: no header found/],
  ];
  for (const [file, bytes, warning] of cases) {
    it(`reads zero rows from ${file} with a warning naming it`, async () => {
      const { items, report, summary } = await read(bytes, { file }, 1);
      expect(items).toEqual([]);
      expect(summary.in).toBe(0);
      expect(report.warnings).toEqual([expect.stringMatching(warning)]);
    });
  }

  it('warns about an empty headerless file too', async () => {
    const { report } = await read(Buffer.alloc(0), { file: 'none.csv', header: false, columns: ['a'] });
    expect(report.warnings).toEqual(['none.csv: the file is empty (no header, no rows)']);
  });

  it('reads a header alone as zero rows, without a warning', async () => {
    const { items, report } = await read(utf8('a;b;c\n'));
    expect(items).toEqual([]);
    expect(report.columns).toEqual(['a', 'b', 'c']);
    expect(report.warnings).toEqual([]);
  });
});

describe('hostile CSV: quoting, ragged rows, headers, huge fields', () => {
  it('rejects only the record whose quote is still open at the end of the file', async () => {
    const { items, quarantine } = await read(utf8('a,b\n1,2\n3,"open\n4,5'), { file: 'eof.csv' });
    expect(values(items)).toEqual([
      { a: '1', b: '2' },
      { a: '4', b: '5' },
    ]);
    expect(quarantine.records.map((r) => [r.reason, r.source?.line])).toEqual([['unterminated quote', 3]]);
    expect(quarantine.records[0]!.detail).toMatch(/quote opened on line 3 .*only line 3 is rejected/);
  });

  it('quarantines short and long ragged rows, giving the field counts', async () => {
    const { items, quarantine } = await read(utf8('a,b,c\n1,2,3\n1,2\n1,2,3,4\n,,\n'));
    expect(items).toHaveLength(2);
    expect(quarantine.records.map((r) => [r.reason, r.source?.line, r.detail])).toEqual([
      ['ragged row', 3, 'expected 3 fields as in the header, got 2'],
      ['ragged row', 4, 'expected 3 fields as in the header, got 4'],
    ]);
  });

  it('renames repeated and empty header names, and a trailing delimiter column', async () => {
    const { items, report } = await read(utf8('x,x,,x,\n1,2,3,4,\n'));
    expect(report.columns).toEqual(['x', 'x_2', 'column3', 'x_3', 'column5']);
    expect(items[0]!.payload.values).toEqual({ x: '1', x_2: '2', column3: '3', x_3: '4', column5: null });
    expect(report.renamedColumns).toMatchObject({ 'column 3': 'column3', 'column 5': 'column5' });
  });

  it('keeps header names that are object keys with a meaning (__proto__, constructor) as plain columns', async () => {
    const { items } = await read(utf8('__proto__,constructor,"a""b"\n1,2,3\n'));
    const row = items[0]!.payload.values;
    expect(Object.keys(row)).toEqual(['__proto__', 'constructor', 'a"b']);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('1');
  });

  it('keeps a 300 KB quoted field with quotes and line breaks inside, whatever the chunk size', async () => {
    const huge = `${'word, "quoted"\n'.repeat(20_000)}end`;
    const csv = `id,text\n1,"${huge.replaceAll('"', '""')}"\n2,short\n`;
    for (const size of [4096, 65_536]) {
      const { items } = await read(utf8(csv), {}, size);
      expect(items.map((s) => s.payload.values.text)).toEqual([huge, 'short']);
      expect(items[1]!.source!.line).toBe(2 + 20_000 + 1);
    }
  });

  it('rejects an unquoted line over maxRecordBytes as a record too large and reads on', async () => {
    const csv = `a,b\n${'x'.repeat(100_000)},1\n2,3\n`;
    const { items, quarantine } = await read(utf8(csv), { maxRecordBytes: 65_536 }, 8192);
    expect(values(items)).toEqual([{ a: '2', b: '3' }]);
    expect(quarantine.records.map((r) => [r.reason, r.source?.line])).toEqual([['record too large', 2]]);
    expect(quarantine.records[0]!.raw?.toString().length).toBeLessThan(5000);
  });

  it('survives binary junk (a PNG read as CSV), accounting for every record', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const { report } = await read(Buffer.concat([png, png, png]), { file: 'image.csv' }, 13);
    expect(report.lines).toBeGreaterThan(0);
  });
});

describe('hostile CSV: dialects', () => {
  it('detects semicolons and decimal commas (a European spreadsheet export) and reads 39,1 as 39.1', async () => {
    const { items, report } = await read(utf8(european), { label: 'species' });
    expect(report.dialect).toMatchObject({
      delimiter: ';',
      decimal: ',',
      detected: { delimiter: true, decimal: true },
    });
    expect(values(items)).toEqual([
      { bill_length_mm: '39.1', body_mass_g: '3750', note: 'a, b' },
      { bill_length_mm: '46.5', body_mass_g: '5200', note: 'x' },
      { bill_length_mm: '-0.5', body_mass_g: '3800', note: '1.5' },
    ]);
    expect(items.map((s) => s.label)).toEqual(['Adelie', 'Gentoo', 'Chinstrap']);
  });

  it('lets the delimiter and the decimal mark be forced', async () => {
    const point = await read(utf8(european), { decimal: '.' });
    expect(point.items[0]!.payload.values.bill_length_mm).toBe('39,1');
    expect(point.report.dialect).toMatchObject({
      decimal: '.',
      detected: { delimiter: true, decimal: false },
    });
    const comma = await read(utf8('a;b\n1;2\n'), { delimiter: ',' });
    expect(comma.report.columns).toEqual(['a;b']);
    expect(comma.report.dialect.detected.delimiter).toBe(false);
  });

  it('detects tabs and pipes, and keeps commas when other candidates only appear inside quotes', async () => {
    expect((await read(utf8('a\tb\tc\n1\t2,5\t3\n'))).report.dialect).toMatchObject({
      delimiter: '\t',
      decimal: ',',
    });
    expect((await read(utf8('a|b\n1.5|2\n'))).report.dialect).toMatchObject({ delimiter: '|', decimal: '.' });
    const quoted = await read(utf8('name,score\n"a;b;c",1\n"d|e",2\n'));
    expect(quoted.report.dialect.delimiter).toBe(',');
    expect(values(quoted.items)).toEqual([
      { name: 'a;b;c', score: '1' },
      { name: 'd|e', score: '2' },
    ]);
  });

  it('sniffs from whole records: a quoted line break does not split a record', () => {
    const text = 'a;b\n"x\ny, z";1\n"p,q";2\n';
    expect(sniffDialect(text, { quote: '"', comment: null, header: true, complete: true })).toEqual({
      delimiter: ';',
      decimal: '.',
    });
  });
});

describe('hostile CSV: written by writeCsv, read back by readCsv', () => {
  it('round-trips cells holding delimiters, quotes, CR, LF and CRLF, numbers, booleans and a lone empty cell', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const cells = [
        'plain',
        'a,b',
        'say "hi"',
        'cr\ronly',
        'lf\nonly',
        'crlf\r\nboth',
        'semi;colon',
        'tab\there',
      ];
      const rows: TabularSample[] = cells.map((text, i) => ({
        id: `r${i}`,
        label: i % 2 === 0 ? 'even' : 'odd',
        payload: { kind: 'tabular', values: { text, n: i + 0.5, flag: i % 3 === 0, empty: null } },
        lineage: [],
      }));
      const path = join(dir, 'round.csv');
      await pipeline(fromIterable('rows', rows), writeCsv(path)).run();
      const back = readCsv(path, { label: 'label', trim: false });
      const { items } = await pipeline(back).collect();
      expect(back.report().dialect.delimiter).toBe(',');
      expect(items.map((s) => [s.label, s.payload.values])).toEqual(
        rows.map((r) => [
          r.label,
          {
            text: r.payload.values.text,
            n: String(r.payload.values.n),
            flag: String(r.payload.values.flag),
            empty: null,
          },
        ]),
      );
      const single = join(dir, 'single.csv');
      await pipeline(
        fromIterable('rows', [
          { id: 'a', payload: { kind: 'tabular', values: { only: null } }, lineage: [] },
          { id: 'b', payload: { kind: 'tabular', values: { only: 'x' } }, lineage: [] },
        ] as TabularSample[]),
        writeCsv(single, { labelColumn: false }),
      ).run();
      const singleBack = await pipeline(readCsv(single)).collect();
      expect(singleBack.items.map((s) => s.payload.values.only)).toEqual([null, 'x']);
    } finally {
      await cleanup();
    }
  });
});
