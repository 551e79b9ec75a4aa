import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type EncodedImage,
  fromIterable,
  type ImagePayload,
  MemoryQuarantine,
  pipeline,
  Rng,
  type Sample,
  type TabularSample,
} from '@growset/core';
import { corruptBytes, DIRTY_PENGUINS_CSV, writeDirtyImages } from '@growset/fixtures';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkImages, dedupeImages, dedupeRows, readCsv, validate } from '../src/index.ts';
import { chunked, tempDir } from './helpers.ts';

const schema = z.object({
  island: z.enum(['Biscoe', 'Dream', 'Torgersen']),
  bill_length_mm: z.number().nullable(),
  bill_depth_mm: z.number().nullable(),
  flipper_length_mm: z.int().nullable(),
  body_mass_g: z.int().nullable(),
  sex: z.enum(['MALE', 'FEMALE']).nullable(),
});

const CSV_REASONS = new Set([
  'ragged row',
  'bad quoting',
  'unterminated quote',
  'bad encoding',
  'record too large',
  'csv error',
  'bad header',
  'missing label',
  'invalid value',
  'missing value',
  'conflicting duplicate label',
]);

const IMAGE_REASONS = new Set([
  'empty file',
  'not an image',
  'undecodable image',
  'truncated image',
  'pixel limit',
  'too small',
  'too large',
  'conflicting duplicate label',
]);

describe('fuzz', () => {
  it('reads 1,000 randomly corrupted CSVs without crashing, accounting for every record and line', async () => {
    const base = new Uint8Array(await readFile(DIRTY_PENGUINS_CSV));
    const rng = Rng.create('csv-fuzz');
    const kinds = new Map<string, number>();
    let quarantined = 0;
    for (let i = 0; i < 1000; i++) {
      const caseRng = rng.fork(`case-${i}`);
      const { data, kinds: applied } = corruptBytes(base, caseRng, { text: true });
      for (const k of applied) kinds.set(k, (kinds.get(k) ?? 0) + 1);
      const source = readCsv(chunked(data, caseRng.int(1, 600)), {
        file: `case-${i}.csv`,
        label: 'species',
        maxRecordBytes: 512,
      });
      const sink = new MemoryQuarantine();
      const run = pipeline(source, validate(schema), dedupeRows());
      let result: { items: TabularSample[]; summary: Awaited<ReturnType<typeof run.run>> };
      try {
        result = await run.collect({ quarantine: sink });
      } catch (error) {
        // A header damaged so that the label column is gone is a configuration error, reported by name.
        expect(String(error)).toMatch(/the label column `species` is not in the header/);
        continue;
      }
      const { items, summary } = result;
      const report = source.report();
      const read = summary.stages[0]!;
      // Records read: data rows, plus the header when it could not be read (quarantined, no row number).
      const badHeader = sink.records.filter(
        (r) => r.reason === 'bad header' && r.source?.row === undefined,
      ).length;
      expect(read.in).toBe(report.rows + badHeader);
      expect(summary.out + summary.filtered + summary.quarantined).toBe(read.in);
      expect(sink.records).toHaveLength(summary.quarantined);
      const lines = [...items.map((s) => s.source!.line!), ...sink.records.map((r) => r.source!.line!)];
      expect(new Set(lines).size).toBe(lines.length);
      for (const line of lines) {
        expect(line).toBeGreaterThanOrEqual(1);
        expect(line).toBeLessThanOrEqual(report.lines);
      }
      expect(report.lines).toBeGreaterThanOrEqual(report.rows + report.blankLines);
      for (const record of sink.records) expect(CSV_REASONS.has(record.reason)).toBe(true);
      quarantined += summary.quarantined;
    }
    expect(quarantined).toBeGreaterThan(1000);
    expect([...kinds.keys()].sort()).toEqual(
      ['bit flips', 'csv syntax', 'deletion', 'duplication', 'junk', 'truncation'].sort(),
    );
  });

  it('reads back 200 random well-formed tables exactly: any delimiter, quoting, mixed line endings and chunk size', async () => {
    const rng = Rng.create('csv-roundtrip');
    const delimiters = [',', ';', '\t', '|'];
    const endings = ['\n', '\r\n', '\r'];
    const alphabet = [
      'a',
      'b',
      'Z',
      'é',
      '中',
      '😀',
      ' ',
      '"',
      ',',
      ';',
      '\t',
      '|',
      '\n',
      '\r',
      '\r\n',
      '0',
      '5',
    ];
    for (let c = 0; c < 200; c++) {
      const r = rng.fork(c);
      const delimiter = r.choice(delimiters);
      const width = r.int(2, 6);
      const columns = Array.from({ length: width }, (_, i) => `col${i}`);
      const rows = Array.from({ length: r.int(1, 30) }, () =>
        columns.map(() => {
          // A letter first: no cell is a number (no decimal-mark rewriting) nor a NA text.
          let cell = r.choice(['x', 'y', 'k']);
          for (let n = r.int(0, 12); n > 0; n--) cell += r.choice(alphabet);
          return cell;
        }),
      );
      const quote = (cell: string) =>
        /[",;\t|\r\n]/.test(cell) || r.bool(0.1) ? `"${cell.replaceAll('"', '""')}"` : cell;
      let text = columns.join(delimiter);
      for (const row of rows) text += r.choice(endings) + row.map(quote).join(delimiter);
      if (r.bool()) text += r.choice(endings);
      const bytes = Buffer.from(text, 'utf8');
      const source = readCsv(chunked(bytes, r.int(1, 200)), {
        file: `table-${c}.csv`,
        trim: false,
        naValues: [],
      });
      const sink = new MemoryQuarantine();
      const { items } = await pipeline(source).collect({ quarantine: sink });
      expect(sink.records).toEqual([]);
      expect(source.report().dialect.delimiter).toBe(delimiter);
      expect(items.map((s) => columns.map((k) => s.payload.values[k]))).toEqual(rows);
    }
  });

  it('checks 200 randomly corrupted images without crashing, every one passing, filtered or quarantined with a known reason', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const images = await writeDirtyImages(dir);
      const good = images.filter((i) => i.outcome === 'pass');
      const originals = await Promise.all(good.map((i) => readFile(join(dir, i.file))));
      const rng = Rng.create('image-fuzz');
      const samples: Sample<EncodedImage>[] = Array.from({ length: 200 }, (_, i) => {
        const pick = rng.int(0, originals.length - 1);
        const { data } = corruptBytes(new Uint8Array(originals[pick]!), rng.fork(`image-${i}`));
        return {
          id: `fuzz-${i}`,
          label: good[pick]!.file.split('/')[0]!,
          payload: { kind: 'encoded', data },
          lineage: [],
        };
      });
      const sink = new MemoryQuarantine();
      const { items, summary } = await pipeline(
        fromIterable('corrupted', samples),
        checkImages({ hashes: ['dhash', 'phash'] }),
        dedupeImages(),
      ).collect({ quarantine: sink });
      expect(summary.out + summary.filtered + summary.quarantined).toBe(200);
      for (const record of sink.records) expect(IMAGE_REASONS.has(record.reason)).toBe(true);
      expect(sink.records.length).toBeGreaterThan(50);
      expect(items.length).toBeGreaterThan(0);
      for (const item of items as Sample<ImagePayload>[]) expect(item.meta?.dhash).toMatch(/^[0-9a-f]{16}$/);
    } finally {
      await cleanup();
    }
  });
});
