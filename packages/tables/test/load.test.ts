import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryQuarantine, OptionsError } from '@growset/core';
import { loadVegaDataset } from '@growset/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLabelledDataset, TabularEncoder } from '../src/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-tables-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadLabelledDataset', () => {
  it('reads the penguins table with categorical columns, missing cells as null and the bad row quarantined', async () => {
    const rows = await loadVegaDataset('penguins');
    const columns = Object.keys(rows[0]!);
    const cell = (v: unknown) => (v === null || v === undefined ? 'NA' : String(v));
    const file = join(dir, 'penguins.csv');
    await writeFile(
      file,
      `${[columns.join(';'), ...rows.map((r) => columns.map((c) => cell(r[c])).join(';'))].join('\n')}\n`,
    );
    const quarantine = new MemoryQuarantine();
    const loaded = await loadLabelledDataset(file, { label: 'Species', quarantine });
    const { data } = loaded;
    expect(loaded).toMatchObject({ kind: 'csv', read: rows.length });
    expect(data.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    const kinds = Object.fromEntries(data.table!.columns.map((c) => [c.name, c.kind]));
    expect(kinds).toMatchObject({ Island: 'categorical', Sex: 'categorical', 'Body Mass (g)': 'numeric' });
    // Every row is accounted for: loaded, or quarantined with its reason (the `.` in Sex).
    expect(data.labels.length + quarantine.records.length + loaded.excluded.length).toBe(rows.length);
    expect(quarantine.records.map((r) => r.reason)).toEqual(['invalid value']);
    const mass = data.table!.columns.findIndex((c) => c.name === 'Body Mass (g)');
    expect(data.table!.rows.some((r) => r[mass] === null)).toBe(true);
    const encoder = TabularEncoder.fit(data.table!.columns, data.table!.rows, 'standardize');
    const x = encoder.transform(data.table!.rows);
    expect(x.length).toBe(data.labels.length * encoder.width);
    expect(x.every(Number.isFinite)).toBe(true);
  });

  it('names the columns when the label column is not one of them', async () => {
    const file = join(dir, 'small.csv');
    await writeFile(file, 'a,b\n1,x\n');
    await expect(loadLabelledDataset(file, { label: 'kind' })).rejects.toThrow(OptionsError);
    await expect(loadLabelledDataset(file, { label: 'kind' })).rejects.toThrow(/columns: a, b/);
  });
});
