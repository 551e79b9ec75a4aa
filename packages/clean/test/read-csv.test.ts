import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { GrowsetError, OptionsError, pipeline, Rng, type TabularSample } from '@growset/core';
import {
  DIRTY_PENGUINS_CSV,
  DIRTY_PENGUINS_LINES,
  DIRTY_PENGUINS_MISSING_LINES,
  SYNTHETIC_COLUMNS,
  syntheticCsv,
  writeDirtyCsvs,
} from '@growset/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv, readCsvHeader } from '../src/index.ts';
import { chunked, runAll, tempDir } from './helpers.ts';

const text = (s: string) => Readable.from([Buffer.from(s, 'utf8')]);

describe('readCsv on the dirty penguins fixture', () => {
  it('quarantines the ragged row, the bad quoting and the unterminated quote with their lines, and keeps every good row', async () => {
    const source = readCsv(DIRTY_PENGUINS_CSV, { label: 'species' });
    const { items, quarantine, summary } = await runAll<TabularSample>(source);
    const rejected = quarantine.records.map((r) => [r.source?.line, r.reason]);
    expect(rejected).toEqual([
      [7, 'ragged row'],
      [11, 'bad quoting'],
      [34, 'unterminated quote'],
    ]);
    expect(quarantine.records[0]!.raw).toBe('Adelie,Torgersen,36.7,19.3,193,3450,FEMALE,extra');
    expect(quarantine.records[0]!.detail).toBe('expected 7 fields as in the header, got 8');
    expect(quarantine.records[2]!.detail).toMatch(/line 34 .*line 41.*only line 34 is rejected/);
    // 57 lines = header + blank line + 55 data records; 3 rejected.
    expect(summary.stages[0]).toMatchObject({ in: 55, out: 52, quarantined: 3 });
    const report = source.report();
    expect(report).toMatchObject({ lines: DIRTY_PENGUINS_LINES, blankLines: 1, rows: 55, label: 'species' });
    expect(report.columns).toEqual([
      'island',
      'bill_length_mm',
      'bill_depth_mm',
      'flipper_length_mm',
      'body_mass_g',
      'sex',
    ]);
    // Every physical line is a header, a blank line, an emitted row or a rejected record.
    const lines = new Set([1, 29, ...items.map((s) => s.source!.line!), ...rejected.map(([line]) => line)]);
    expect(lines.size).toBe(DIRTY_PENGUINS_LINES);
  });

  it('strips the byte order mark, reads NA as missing and the label column as the label', async () => {
    const { items } = await runAll<TabularSample>(readCsv(DIRTY_PENGUINS_CSV, { label: 'species' }));
    const first = items[0]!;
    expect(first).toMatchObject({
      id: 'penguins-dirty.csv#1',
      label: 'Adelie',
      source: { line: 2, row: 1 },
      payload: { kind: 'tabular', values: { island: 'Torgersen', bill_length_mm: '39.1', sex: 'MALE' } },
    });
    expect(Object.keys(first.payload.values)).not.toContain('species');
    const withMissing = items
      .filter((s) => Object.values(s.payload.values).includes(null))
      .map((s) => s.source!.line);
    expect(withMissing).toEqual(DIRTY_PENGUINS_MISSING_LINES);
    const quoted = items.find((s) => s.source?.line === 41)!;
    expect(quoted.payload.values.island).toBe('Biscoe');
  });

  it('gives the same rows and rejections whatever the chunk size, down to one byte', async () => {
    const bytes = await readFile(DIRTY_PENGUINS_CSV);
    const reference = await runAll<TabularSample>(readCsv(DIRTY_PENGUINS_CSV));
    for (const size of [1, 2, 3, 7, 64]) {
      const result = await runAll<TabularSample>(readCsv(chunked(bytes, size), { file: DIRTY_PENGUINS_CSV }));
      expect(result.items).toEqual(reference.items);
      expect(result.quarantine.records).toEqual(reference.quarantine.records);
    }
  });
});

describe('readCsv line endings', () => {
  it('ends a record at LF, CRLF and a lone CR mixed in one file, whatever the chunk size', async () => {
    const ends = ['\n', '\r\n', '\r'];
    let csv = 'a,b,label';
    for (let i = 0; i < 150; i++) csv += `${ends[i % 3]}${i},${i * 2},c${i % 2}`;
    csv += '\r\n';
    const bytes = Buffer.from(csv);
    for (const size of [1, 2, 3, 7, 4096]) {
      const source = readCsv(chunked(bytes, size), { file: 'mixed.csv', label: 'label' });
      const { items, quarantine } = await runAll<TabularSample>(source);
      expect(quarantine.records).toEqual([]);
      expect(items).toHaveLength(150);
      expect(items.map((s) => s.source!.line)).toEqual(Array.from({ length: 150 }, (_, i) => i + 2));
      expect(items[149]!.payload.values).toEqual({ a: '149', b: '298' });
      expect(source.report()).toMatchObject({ rows: 150, lines: 151, blankLines: 0 });
    }
  });

  it('keeps every line break inside quotes, and counts a blank line after a lone CR', async () => {
    const source = readCsv(text('a,b\r"x\ry\r\nz",1\r\r2,3\n'), { file: 'cr.csv' });
    const { items, quarantine } = await runAll<TabularSample>(source);
    expect(quarantine.records).toEqual([]);
    expect(items.map((s) => [s.source!.line, s.payload.values])).toEqual([
      [2, { a: 'x\ry\r\nz', b: '1' }],
      [6, { a: '2', b: '3' }],
    ]);
    expect(source.report()).toMatchObject({ rows: 2, lines: 6, blankLines: 1 });
  });
});

describe('readCsv defects', () => {
  it('rejects a bad quote inside an unquoted field and resumes on the next line', async () => {
    const { items, quarantine } = await runAll<TabularSample>(
      readCsv(text('a,b\n1,x"y\n2,3\n'), { file: 'inline.csv' }),
    );
    expect(items.map((s) => s.payload.values)).toEqual([{ a: '2', b: '3' }]);
    expect(quarantine.records[0]).toMatchObject({
      reason: 'bad quoting',
      source: { file: 'inline.csv', line: 2, row: 1 },
      raw: '1,x"y',
    });
  });

  it('keeps quoted fields with delimiters, escaped quotes and line breaks, numbering lines of the file', async () => {
    const { items, quarantine } = await runAll<TabularSample>(
      readCsv(text('a,b\n"x, y","say ""hi"""\n"multi\nline",2\n3,4\n')),
    );
    expect(quarantine.records).toEqual([]);
    expect(items.map((s) => [s.source!.line, s.payload.values])).toEqual([
      [2, { a: 'x, y', b: 'say "hi"' }],
      [3, { a: 'multi\nline', b: '2' }],
      [5, { a: '3', b: '4' }],
    ]);
  });

  it('rejects only the first line of a record whose quote never closes, even when it would swallow the file', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${i},ok`).join('\n');
    const { items, quarantine } = await runAll<TabularSample>(
      readCsv(text(`a,b\n"open,1\n${rows}\n`), { maxRecordBytes: 1024 }),
    );
    expect(quarantine.records).toHaveLength(1);
    expect(quarantine.records[0]).toMatchObject({ reason: 'unterminated quote', source: { line: 2 } });
    expect(items).toHaveLength(2000);
    expect(items[0]!.source!.line).toBe(3);
  });

  it('rejects an over-long unquoted line as a record too large and resumes after it', async () => {
    const long = 'x'.repeat(5000);
    const { items, quarantine } = await runAll<TabularSample>(
      readCsv(chunked(Buffer.from(`a,b\n${long},1\n2,3\n`), 100), { maxRecordBytes: 1024 }),
    );
    expect(quarantine.records.map((r) => [r.reason, r.source?.line])).toEqual([['record too large', 2]]);
    expect(items.map((s) => s.payload.values)).toEqual([{ a: '2', b: '3' }]);
  });

  it('counts blank, whitespace-only and comment lines without turning them into rows', async () => {
    const source = readCsv(text('# exported by a tool\na,b\n\n1,2\n   \n# note\n3,4\n\n'), { comment: '#' });
    const { items } = await runAll<TabularSample>(source);
    expect(items.map((s) => s.source!.line)).toEqual([4, 7]);
    expect(source.report()).toMatchObject({ blankLines: 3, commentLines: 2, lines: 8, rows: 2 });
  });

  it('quarantines a row without a label, naming the label column', async () => {
    const { items, quarantine } = await runAll<TabularSample>(
      readCsv(text('x,y\n1,a\n2,\n3,NA\n'), { label: 'y' }),
    );
    expect(items).toHaveLength(1);
    expect(quarantine.records.map((r) => [r.reason, r.source?.line, r.source?.column])).toEqual([
      ['missing label', 3, 'y'],
      ['missing label', 4, 'y'],
    ]);
  });

  it('takes ids from an id column and quarantines a repeated id', async () => {
    const { items, quarantine } = await runAll<TabularSample>(
      readCsv(text('id,v\nk1,1\nk2,2\nk1,3\n'), { id: 'id' }),
    );
    expect(items.map((s) => s.id)).toEqual(['k1', 'k2']);
    expect(quarantine.records[0]).toMatchObject({ reason: 'duplicate id', source: { line: 4 } });
  });

  it('quarantines every row when the header itself cannot be read', async () => {
    const { items, quarantine } = await runAll<TabularSample>(readCsv(text('a,"b"c\n1,2\n3,4\n')));
    expect(items).toEqual([]);
    expect(quarantine.records.map((r) => r.reason)).toEqual(['bad header', 'bad header', 'bad header']);
  });

  it('renames empty and repeated header names and reports the renaming', async () => {
    const source = readCsv(text('a,,a\n1,2,3\n'));
    const { items } = await runAll<TabularSample>(source);
    expect(items[0]!.payload.values).toEqual({ a: '1', column2: '2', a_2: '3' });
    expect(source.report().renamedColumns).toEqual({ 'column 2': 'column2', a: 'a_2' });
  });

  it('reads a file without a header with given or default column names, semicolons and no trimming', async () => {
    const { items } = await runAll<TabularSample>(
      readCsv(text('1; x\n2;y \n'), { header: false, delimiter: ';', trim: false }),
    );
    expect(items.map((s) => s.payload.values)).toEqual([
      { column1: '1', column2: ' x' },
      { column1: '2', column2: 'y ' },
    ]);
    const named = await runAll<TabularSample>(readCsv(text('1,2\n'), { header: false, columns: ['p', 'q'] }));
    expect(named.items[0]!.payload.values).toEqual({ p: '1', q: '2' });
  });

  it('fails the run with the file and the columns when the label column is not in the header', async () => {
    await expect(
      pipeline(readCsv(text('a,b\n1,2\n'), { label: 'kind', file: 'x.csv' })).run(),
    ).rejects.toThrow(/x\.csv line 1: the label column `kind` is not in the header \(columns: `a`, `b`\)/);
  });

  it('validates its options and input at construction, naming the field', () => {
    expect(() => readCsv('data.csv', { delimter: ';' } as never)).toThrow(/did you mean `delimiter`/);
    expect(() => readCsv('data.csv', { maxRecordBytes: 1 })).toThrow(OptionsError);
    expect(() => readCsv(42 as never)).toThrow(/Invalid option `input` in readCsv: expected a file path/);
  });
});

describe('readCsv encodings', () => {
  const state = { dir: '', cleanup: async () => {}, files: {} as Awaited<ReturnType<typeof writeDirtyCsvs>> };
  beforeAll(async () => {
    const t = await tempDir();
    state.dir = t.dir;
    state.cleanup = t.cleanup;
    state.files = await writeDirtyCsvs(t.dir);
  });
  afterAll(() => state.cleanup());

  it('quarantines rows with invalid UTF-8 bytes with their line and column, and keeps real U+FFFD characters', async () => {
    const { items, quarantine } = await runAll<TabularSample>(readCsv(state.files.badUtf8));
    expect(quarantine.records.map((r) => [r.reason, r.source?.line, r.source?.column])).toEqual([
      ['bad encoding', 3, 'city'],
      ['bad encoding', 5, 'city'],
    ]);
    expect(quarantine.records[0]!.detail).toMatch(/invalid UTF-8 bytes in field 1.*encoding/);
    expect(items.map((s) => s.payload.values.city)).toEqual(['Paris', 'Zürich', 'Lyon']);
    const bytes = await readFile(state.files.badUtf8);
    for (const size of [1, 2, 5]) {
      const split = await runAll<TabularSample>(readCsv(chunked(bytes, size), { file: state.files.badUtf8 }));
      expect(split.quarantine.records).toEqual(quarantine.records);
      expect(split.items).toEqual(items);
    }
    const legit = await runAll<TabularSample>(readCsv(text('a\nx\ufffdy\n')));
    expect(legit.items[0]!.payload.values.a).toBe('x\ufffdy');
  });

  it('reads latin-1 when told, and UTF-16LE from its byte order mark', async () => {
    const latin = await runAll<TabularSample>(
      readCsv(state.files.latin1, { encoding: 'latin1', delimiter: ';' }),
    );
    expect(latin.items.map((s) => s.payload.values.city)).toEqual(['Paris', 'Zürich', 'Orléans']);
    const utf16 = await runAll<TabularSample>(readCsv(state.files.utf16));
    expect(utf16.quarantine.records).toEqual([]);
    expect(utf16.items.map((s) => [s.source!.line, s.payload.values.city])).toEqual([
      [2, 'Paris'],
      [3, 'Zürich'],
      [4, 'Orléans'],
    ]);
    const utf16Bytes = await readFile(state.files.utf16);
    const split = await runAll<TabularSample>(readCsv(chunked(utf16Bytes, 3), { file: state.files.utf16 }));
    expect(split.items).toEqual(utf16.items);
  });

  it('quarantines a row with a NUL byte as bad encoding', async () => {
    const { items, quarantine } = await runAll<TabularSample>(readCsv(state.files.nul));
    expect(quarantine.records.map((r) => [r.reason, r.source?.line])).toEqual([['bad encoding', 4]]);
    expect(items).toHaveLength(3);
  });

  it('reads the header alone, without the label column', async () => {
    expect(await readCsvHeader(DIRTY_PENGUINS_CSV, { label: 'species' })).toEqual([
      'island',
      'bill_length_mm',
      'bill_depth_mm',
      'flipper_length_mm',
      'body_mass_g',
      'sex',
    ]);
    await expect(readCsvHeader(text(''))).rejects.toThrow(GrowsetError);
  });
});

describe('readCsv streaming', () => {
  it('pulls rows on demand from an endless stream: taking 5,000 rows stops the reading', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        if (produced === 0) this.push('a,b\n');
        let chunk = '';
        for (let i = 0; i < 100; i++) chunk += `${produced + i},x\n`;
        produced += 100;
        this.push(chunk);
      },
    });
    const taken: TabularSample[] = [];
    for await (const row of pipeline(readCsv(endless)).start()) {
      taken.push(row);
      if (taken.length === 5000) break;
    }
    expect(taken[4999]!.payload.values.a).toBe('4999');
    expect(produced).toBeLessThan(100_000);
    expect(endless.destroyed).toBe(true);
  });

  it('reads a generated table of 20,000 rows with every row accounted for', async () => {
    const source = readCsv(syntheticCsv(20_000, Rng.create(7)), { label: 'label' });
    const summary = await pipeline(source).run();
    expect(summary.out).toBe(20_000);
    expect(source.report().columns).toEqual(SYNTHETIC_COLUMNS.filter((c) => c !== 'label'));
  });
});

describe('readCsv with a schema', () => {
  it('validates while reading exactly as a validate stage does, reporting under validation', async () => {
    const { z } = await import('zod');
    const { validate } = await import('../src/index.ts');
    const schema = z.object({
      island: z.enum(['Biscoe', 'Dream', 'Torgersen']),
      bill_length_mm: z.number().nullable(),
      bill_depth_mm: z.number().nullable(),
      flipper_length_mm: z.int().nullable(),
      body_mass_g: z.int().nullable(),
      sex: z.enum(['MALE', 'FEMALE']).nullable(),
    });
    const fused = readCsv(DIRTY_PENGUINS_CSV, { label: 'species', schema });
    const together = await runAll<TabularSample>(fused);
    const stage = validate(schema, { name: 'read-csv' });
    const apart = await runAll<TabularSample>(readCsv(DIRTY_PENGUINS_CSV, { label: 'species' }), stage);
    expect(together.items).toEqual(apart.items);
    const byLine = (a: { source?: { line?: number } }, b: { source?: { line?: number } }) =>
      (a.source?.line ?? 0) - (b.source?.line ?? 0);
    expect([...together.quarantine.records].sort(byLine)).toEqual(
      apart.quarantine.records.map((r) => ({ ...r, stage: 'read-csv' })).sort(byLine),
    );
    expect(fused.report().validation).toEqual(stage.report());
  });

  it('treats schema columns missing from the header and extra columns as the validate stage does', async () => {
    const { z } = await import('zod');
    const { validate } = await import('../src/index.ts');
    const schema = z.object({ a: z.number(), b: z.number().nullable(), c: z.number().nullable() });
    const csv = 'a,b,x\n1,,q\nz,2,r\n';
    for (const coerce of [true, false]) {
      const fused = readCsv(text(csv), { schema, validate: { coerce } });
      const together = await runAll<TabularSample>(fused);
      const stage = validate(schema, { name: 'read-csv', coerce });
      const apart = await runAll<TabularSample>(readCsv(text(csv)), stage);
      expect(together.items).toEqual(apart.items);
      expect(together.quarantine.records).toEqual(
        apart.quarantine.records.map((r) => ({ ...r, stage: 'read-csv' })),
      );
      expect(fused.report().validation).toEqual(stage.report());
    }
  });
});
