import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromIterable, OptionsError, type TabularSample } from '@growset/core';
import { DIRTY_PENGUINS_CSV, loadVegaDataset } from '@growset/fixtures';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fromRows, inferSchema, parseNumber, readCsv, readJsonRows, validate } from '../src/index.ts';
import { runAll, tempDir } from './helpers.ts';

const row = (values: TabularSample['payload']['values'], id = 'r1', label?: string): TabularSample => ({
  id,
  ...(label === undefined ? {} : { label }),
  payload: { kind: 'tabular', values },
  source: { file: 't.csv', line: 2, row: 1 },
  lineage: [],
});

const penguinSchema = z.object({
  island: z.enum(['Biscoe', 'Dream', 'Torgersen']),
  bill_length_mm: z.number().nullable(),
  bill_depth_mm: z.number().nullable(),
  flipper_length_mm: z.int().nullable(),
  body_mass_g: z.int().nullable(),
  sex: z.enum(['MALE', 'FEMALE']).nullable(),
});

describe('validate', () => {
  it('coerces text to numbers, booleans, ISO dates and enum options, and passes typed values on', async () => {
    const schema = z.object({
      n: z.number(),
      i: z.int(),
      b: z.boolean(),
      d: z.date(),
      e: z.enum(['Red', 'Green']),
      s: z.string(),
    });
    const stage = validate(schema);
    const { items, quarantine } = await runAll<TabularSample>(
      fromIterable('rows', [row({ n: '-1.5e2', i: '42', b: 'Yes', d: '2024-05-01', e: 'green', s: 7 })]),
      stage,
    );
    expect(quarantine.records).toEqual([]);
    expect(items[0]!.payload.values).toEqual({
      n: -150,
      i: 42,
      b: true,
      d: '2024-05-01T00:00:00.000Z',
      e: 'Green',
      s: '7',
    });
    expect(stage.report()).toMatchObject({ checked: 1, passed: 1, invalidRows: 0 });
  });

  it('reads numbers written the usual decimal way only', () => {
    const usual = ['1', '-1', '+1', '1.', '.5', '-.5', '1.5e3', '1e-3', '1E+3', '00012'];
    expect(usual.map(parseNumber)).toEqual(usual.map(Number));
    for (const odd of [
      '',
      '.',
      '-',
      '1e',
      '1e+',
      '1.2.3',
      'abc',
      '1,5',
      ' 1',
      '0x1F',
      'Infinity',
      'NaN',
      '1_000',
      '1e400',
    ]) {
      expect([odd, parseNumber(odd)]).toEqual([odd, undefined]);
    }
  });

  it('quarantines a row with a bad value naming the row, the column, the expected type and the value', async () => {
    const stage = validate(penguinSchema);
    const { items, quarantine } = await runAll<TabularSample>(
      readCsv(DIRTY_PENGUINS_CSV, { label: 'species' }),
      stage,
    );
    expect(quarantine.records.filter((r) => r.stage === 'validate')).toEqual([
      {
        stage: 'validate',
        id: 'penguins-dirty.csv#14',
        reason: 'invalid value',
        detail: 'bill_length_mm: expected number, got "thirty-seven"',
        source: { file: DIRTY_PENGUINS_CSV, line: 15, row: 14, column: 'bill_length_mm' },
        label: 'Adelie',
      },
    ]);
    expect(items).toHaveLength(51);
    expect(items[0]!.payload.values).toMatchObject({
      bill_length_mm: 39.1,
      flipper_length_mm: 181,
      sex: 'MALE',
    });
    expect(stage.report().columns).toEqual({
      bill_length_mm: { invalid: 1, missing: 0, examples: ['thirty-seven'] },
    });
  });

  it('lets a missing cell through only where the field is nullable or optional, and reports required ones as missing', async () => {
    const schema = z.object({ a: z.number(), b: z.number().nullable(), c: z.string().optional() });
    const stage = validate(schema);
    const { items, quarantine } = await runAll<TabularSample>(
      fromIterable('rows', [
        row({ a: '1', b: null, c: null }, 'ok'),
        row({ a: null, b: '2', c: 'x' }, 'gap'),
      ]),
      stage,
    );
    expect(items.map((s) => s.payload.values)).toEqual([{ a: 1, b: null, c: null }]);
    expect(quarantine.records[0]).toMatchObject({
      id: 'gap',
      reason: 'missing value',
      detail: 'a: missing (the field is not nullable)',
      source: { column: 'a' },
    });
    expect(stage.report()).toMatchObject({ missingRows: 1, columns: { a: { missing: 1, invalid: 0 } } });
  });

  it('lists every failing column of a row in one quarantine record', async () => {
    const { quarantine } = await runAll<TabularSample>(
      fromIterable('rows', [row({ x: 'abc', y: 'maybe', z: 'Blue' })]),
      validate(z.object({ x: z.number(), y: z.boolean(), z: z.enum(['Red']) })),
    );
    expect(quarantine.records[0]!.detail).toBe(
      'x: expected number, got "abc"; y: expected boolean, got "maybe"; z: expected one of "Red", got "Blue"',
    );
  });

  it('checks labels against a label schema, fixing their case', async () => {
    const { items, quarantine } = await runAll<TabularSample>(
      fromIterable('rows', [row({ a: '1' }, 'r1', 'adelie'), row({ a: '2' }, 'r2', 'Emperor')]),
      validate(z.object({ a: z.number() }), { label: z.enum(['Adelie', 'Gentoo']) }),
    );
    expect(items.map((s) => s.label)).toEqual(['Adelie']);
    expect(quarantine.records[0]).toMatchObject({ id: 'r2', reason: 'invalid label' });
  });

  it('reports columns the schema dropped, and keeps them with a loose schema', async () => {
    const strip = validate(z.object({ a: z.number() }));
    const stripped = await runAll<TabularSample>(fromIterable('rows', [row({ a: '1', extra: 'x' })]), strip);
    expect(stripped.items[0]!.payload.values).toEqual({ a: 1 });
    expect(strip.report().droppedColumns).toEqual(['extra']);
    const loose = await runAll<TabularSample>(
      fromIterable('rows', [row({ a: '1', extra: 'x' })]),
      validate(z.looseObject({ a: z.number() })),
    );
    expect(loose.items[0]!.payload.values).toEqual({ a: 1, extra: 'x' });
  });

  it('refuses a schema that is not a zod object at construction', () => {
    expect(() => validate(z.string())).toThrow(OptionsError);
    expect(() => validate({} as never)).toThrow(/expected a zod object schema/);
    expect(() => validate(penguinSchema, { coerse: true } as never)).toThrow(/did you mean `coerce`/);
  });
});

describe('fromRows and readJsonRows', () => {
  it("reads vega-datasets' penguins.json with its real missing values, and validation quarantines the '.' sex", async () => {
    const rows = await loadVegaDataset('penguins');
    const source = fromRows(rows, { label: 'Species', file: 'penguins.json' });
    const stage = validate(
      z.object({
        Island: z.enum(['Biscoe', 'Dream', 'Torgersen']),
        'Beak Length (mm)': z.number().nullable(),
        'Beak Depth (mm)': z.number().nullable(),
        'Flipper Length (mm)': z.number().nullable(),
        'Body Mass (g)': z.number().nullable(),
        Sex: z.enum(['MALE', 'FEMALE']).nullable(),
      }),
    );
    const { items, quarantine, summary } = await runAll<TabularSample>(source, stage);
    expect(summary.stages[0]!.in).toBe(344);
    expect(quarantine.records).toEqual([
      expect.objectContaining({
        reason: 'invalid value',
        detail: 'Sex: expected one of "MALE", "FEMALE", got "."',
        source: expect.objectContaining({ file: 'penguins.json', column: 'Sex' }),
      }),
    ]);
    expect(items).toHaveLength(343);
    expect(source.report().missing).toEqual({
      'Beak Length (mm)': 2,
      'Beak Depth (mm)': 2,
      'Flipper Length (mm)': 2,
      'Body Mass (g)': 2,
      Sex: 10,
    });
  });

  it('quarantines rows that are not objects or hold nested values, with their row and key', async () => {
    const { items, quarantine } = await runAll<TabularSample>(
      fromRows([{ a: 1 }, 'text', [1, 2], { a: { nested: true } }, { a: Number.NaN }, { b: 2 }], {
        columns: ['a'],
      }),
    );
    expect(items.map((s) => s.payload.values)).toEqual([{ a: 1 }, { a: null }, { a: null }]);
    expect(quarantine.records.map((r) => [r.reason, r.source?.row, r.source?.column])).toEqual([
      ['not a row object', 2, undefined],
      ['not a row object', 3, undefined],
      ['unsupported value', 4, 'a'],
    ]);
  });

  it('reads a JSON file of rows, and fails the run naming a file that is not a JSON array', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(
        join(dir, 'rows.json'),
        JSON.stringify([
          { x: 1, y: 'a' },
          { x: 2, y: 'NA' },
        ]),
      );
      const { items } = await runAll<TabularSample>(
        readJsonRows(join(dir, 'rows.json'), { label: 'y', missingLabel: 'keep' }),
      );
      expect(items.map((s) => [s.id, s.label])).toEqual([
        ['rows.json#1', 'a'],
        ['rows.json#2', undefined],
      ]);
      await writeFile(join(dir, 'bad.json'), '{"not": "an array"}');
      await expect(runAll(readJsonRows(join(dir, 'bad.json')))).rejects.toThrow(
        /bad\.json: expected a JSON array/,
      );
    } finally {
      await cleanup();
    }
  });
});

describe('inferSchema', () => {
  it('proposes types, nullability and enums from the dirty penguins, listing the non-numeric value as an exception', async () => {
    const { items } = await runAll<TabularSample>(readCsv(DIRTY_PENGUINS_CSV, { label: 'species' }));
    const inferred = inferSchema(items);
    const byName = Object.fromEntries(inferred.columns.map((c) => [c.name, c]));
    expect(inferred.rows).toBe(52);
    expect(byName.island).toMatchObject({
      type: 'enum',
      values: ['Torgersen', 'Biscoe', 'Dream'],
      nullable: false,
    });
    expect(byName.bill_length_mm).toMatchObject({
      type: 'number',
      nullable: true,
      exceptions: ['thirty-seven'],
    });
    expect(byName.flipper_length_mm).toMatchObject({ type: 'int', min: 174, max: 230 });
    expect(byName.sex).toMatchObject({ type: 'enum', nullable: true, missing: 5 });
    const { quarantine } = await runAll<TabularSample>(
      fromIterable('rows', items),
      validate(inferred.schema),
    );
    expect(quarantine.records.map((r) => [r.reason, r.source?.line])).toEqual([['invalid value', 15]]);
  });

  it('detects booleans and dates, keeps leading-zero codes as text and treats singletons in a large enum column as exceptions', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({
      flag: i % 2 === 0 ? 'true' : 'False',
      day: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`,
      zip: `0${2100 + i}`,
      sex: i === 29 ? '.' : i % 2 === 0 ? 'MALE' : 'FEMALE',
      note: `free text ${i}`,
    }));
    const inferred = inferSchema(rows);
    expect(inferred.columns.map((c) => [c.name, c.type])).toEqual([
      ['flag', 'boolean'],
      ['day', 'date'],
      ['zip', 'string'],
      ['sex', 'enum'],
      ['note', 'string'],
    ]);
    expect(inferred.columns[3]).toMatchObject({ values: ['MALE', 'FEMALE'], exceptions: ['.'] });
  });

  it('prints a TypeScript module that loads and validates like the inferred schema', async () => {
    const rows = await loadVegaDataset('penguins');
    const inferred = inferSchema(rows, { sampleSize: 344 });
    const code = inferred.toTypeScript({ source: 'penguins.json' });
    expect(code).toContain("'Beak Length (mm)': z.number().nullable(), // 32.1 to 59.6; 2 missing");
    expect(code).toContain("Species: z.enum(['Adelie', 'Gentoo', 'Chinstrap']),");
    expect(code).toContain("Sex: z.enum(['MALE', 'FEMALE']).nullable(), // 10 missing; rejects \".\"");
    const { dir, cleanup } = await tempDir();
    try {
      const file = join(dir, 'schema.ts');
      await writeFile(file, code);
      const mod = (await import(pathToFileURL(file).href)) as { schema: z.ZodType };
      const { quarantine } = await runAll<TabularSample>(fromRows(rows), validate(mod.schema));
      const direct = await runAll<TabularSample>(fromRows(rows), validate(inferred.schema));
      expect(quarantine.records).toEqual(direct.quarantine.records);
      expect(quarantine.records.map((r) => r.source?.column)).toEqual(['Sex']);
    } finally {
      await cleanup();
    }
  });
});
