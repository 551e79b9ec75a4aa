import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryQuarantine, OptionsError, pipeline } from '@growset/core';
import { readCsvHeader } from '@growset/tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvTable } from '../src/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function csv(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('readCsvTable', () => {
  it('reads numbers as numbers, text as text, empty cells as null, the label out of the values', async () => {
    const path = await csv(
      'ok.csv',
      '\uFEFFid,species,mass,island\na1,Adelie,3750,Dream\na2,Gentoo,,"Biscoe, north"\n',
    );
    const { items } = await pipeline(readCsvTable(path, { label: 'species', id: 'id' })).collect();
    expect(items).toEqual([
      {
        id: 'a1',
        label: 'Adelie',
        payload: { kind: 'tabular', values: { mass: 3750, island: 'Dream' } },
        source: { file: path, row: 1, line: 2 },
        lineage: [],
      },
      {
        id: 'a2',
        label: 'Gentoo',
        payload: { kind: 'tabular', values: { mass: null, island: 'Biscoe, north' } },
        source: { file: path, row: 2, line: 3 },
        lineage: [],
      },
    ]);
  });

  it('reads a plain numeric file through typed columns into the samples readCsv gives', async () => {
    const text = 'x,label,y\r\n1.5,a,-2\r\n+3,b,1e3\r\n0.25,a,.5\r\n';
    // A trailing blank line makes the file not plain: the same table read row by row by readCsv.
    const plain = await csv('plain.csv', text);
    const rowByRow = await csv('row-by-row.csv', `${text}\r\n`);
    const read = async (path: string) => {
      const { items, summary } = await pipeline(readCsvTable(path, { label: 'label' })).collect();
      return {
        items: items.map((s) => ({ ...s, source: { ...s.source, file: 'f' } })),
        keys: items.map((s) => Object.keys(s.payload.values)),
        // Both report every byte of their file (the files differ by the blank line's two bytes).
        stage: { ...summary.stages[0], timeMs: 0, bytes: 0, totalBytes: 0 },
        bytes: [summary.stages[0]?.bytes, summary.stages[0]?.totalBytes],
      };
    };
    const fast = await read(plain);
    const slow = await read(rowByRow);
    expect(fast.bytes).toEqual([text.length, text.length]);
    expect(slow.bytes).toEqual([text.length + 2, text.length + 2]);
    expect({ ...fast, bytes: null }).toEqual({ ...slow, bytes: null });
    expect(fast.items[1]).toEqual({
      id: 'row-2',
      label: 'b',
      payload: { kind: 'tabular', values: { x: 3, y: 1000 } },
      source: { file: 'f', row: 2, line: 3 },
      lineage: [],
    });
  });

  it('quarantines ragged rows, missing labels, duplicate ids, text in numeric columns and malformed quotes, with row and column', async () => {
    const path = await csv(
      'bad.csv',
      [
        'id,label,x,y',
        'r1,A,1,2',
        'r2,A,1',
        'r3,,1,2',
        'r1,B,1,2',
        'r5,B,oops,2',
        'r6,B,3,4',
        'r7,B,"5,6',
      ].join('\n'),
    );
    const quarantine = new MemoryQuarantine();
    const { items, summary } = await pipeline(readCsvTable(path, { label: 'label', id: 'id' })).collect({
      quarantine,
    });
    expect(items.map((s) => s.id)).toEqual(['r1', 'r6']);
    expect(summary.stages[0]).toMatchObject({ in: 7, out: 2, quarantined: 5 });
    expect(
      quarantine.records.map((r) => [r.reason, r.source?.row ?? r.source?.line, r.source?.column]),
    ).toEqual([
      // In file order as the one CSV reader meets them; the types are known once every row is read.
      ['ragged row', 2, undefined],
      ['missing label', 3, 'label'],
      ['duplicate id', 4, 'id'],
      ['unterminated quote', 7, undefined],
      ['non-numeric value', 5, 'x'],
    ]);
    expect(quarantine.records[4]!.detail).toBe('numeric column `x` holds "oops" in row 5');
  });

  it('treats a declared categorical column as text even when it holds numbers', async () => {
    const path = await csv('codes.csv', 'label,zip\nA,02139\nB,10001\n');
    const { items } = await pipeline(readCsvTable(path, { label: 'label', categorical: ['zip'] })).collect();
    expect(items.map((s) => s.payload.values.zip)).toEqual(['02139', '10001']);
  });

  it('throws an OptionsError naming a label column the file does not have', async () => {
    const path = await csv('header.csv', 'a,b\n1,2\n');
    await expect(pipeline(readCsvTable(path, { label: 'species' })).collect()).rejects.toThrow(OptionsError);
    await expect(pipeline(readCsvTable(path, { label: 'species' })).collect()).rejects.toThrow(
      'Invalid option `label` in ReadCsvTableOptions: expected a column of header.csv ("a", "b"), got `"species"` (string)',
    );
    expect(await readCsvHeader(path)).toEqual(['a', 'b']);
  });

  it('detects a semicolon-separated file with decimal commas, as clean-csv does', async () => {
    const path = await csv('eu.csv', 'species;mass;island\nAdelie;3750,5;Dream\nGentoo;NA;Biscoe\n');
    const { items } = await pipeline(readCsvTable(path, { label: 'species' })).collect();
    expect(items.map((s) => s.payload.values)).toEqual([
      { mass: 3750.5, island: 'Dream' },
      { mass: null, island: 'Biscoe' },
    ]);
  });

  it('yields nothing for an empty file', async () => {
    const path = await csv('empty.csv', '');
    const { items, summary } = await pipeline(readCsvTable(path, { label: 'x' })).collect();
    expect(items).toEqual([]);
    expect(summary.ok).toBe(true);
  });
});
