import { DataError, Rng, rootIds, type TabularSample } from '@growset/core';
import { loadVegaDataset } from '@growset/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { resample } from '../src/index.ts';
import { classCounts } from './helpers/tables.ts';

/** The penguins table as the study sees it: numeric measurements, categorical island and sex. */
let penguins: TabularSample[];
beforeAll(async () => {
  const rows = await loadVegaDataset('penguins');
  penguins = rows.map((r, i) => ({
    id: `penguin-${i + 1}`,
    label: String(r.Species),
    payload: {
      kind: 'tabular',
      values: {
        island: r.Island ?? null,
        bill_length_mm: r['Beak Length (mm)'] ?? null,
        bill_depth_mm: r['Beak Depth (mm)'] ?? null,
        flipper_length_mm: r['Flipper Length (mm)'] ?? null,
        body_mass_g: r['Body Mass (g)'] ?? null,
        sex: r.Sex ?? null,
      },
    },
    source: { file: 'penguins.json', row: i + 1 },
    lineage: [],
  }));
});

const complete = () => penguins.filter((p) => p.payload.values.bill_length_mm !== null);

describe('real penguins table', () => {
  it('refuses the raw table for SMOTE-NC, naming the empty measurement and the penguin', () => {
    const error = (() => {
      try {
        resample(penguins, { method: 'smoteNC' }, Rng.create(1));
      } catch (e) {
        return e as DataError;
      }
      throw new Error('expected a DataError');
    })();
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      'missing value: numeric column `bill_length_mm` is empty in sample `penguin-4` (penguins.json row 4); impute or drop such rows first (2 rows have problems)',
    );
  });

  it('balances species with SMOTE-NC, islands and sexes taken from those seen in each species', () => {
    const table = complete();
    const { samples, report } = resample(table, { method: 'smoteNC' }, Rng.create(1));
    expect(report.before).toEqual({ Adelie: 151, Chinstrap: 68, Gentoo: 123 });
    expect(classCounts(samples)).toEqual({ Adelie: 151, Chinstrap: 151, Gentoo: 151 });
    expect(report.columns.numeric).toEqual([
      'bill_length_mm',
      'bill_depth_mm',
      'flipper_length_mm',
      'body_mass_g',
    ]);
    expect(report.columns.categorical).toEqual(['island', 'sex']);
    const islandsOf = new Map<string, Set<unknown>>();
    for (const p of table) {
      const set = islandsOf.get(p.label as string) ?? new Set();
      set.add(p.payload.values.island);
      islandsOf.set(p.label as string, set);
    }
    for (const s of samples.filter((x) => x.lineage.length > 0)) {
      expect(islandsOf.get(s.label as string)!.has(s.payload.values.island)).toBe(true);
      expect(s.payload.values.body_mass_g).toBeGreaterThan(2000);
    }
  });

  it('resampling a training split never produces a row whose root is a test penguin', () => {
    const table = complete();
    const test = new Set(table.filter((_, i) => i % 4 === 0).map((p) => p.id));
    const train = table.filter((p) => !test.has(p.id));
    for (const method of ['smoteNC', 'mixup', 'gaussianNoise', 'bootstrap'] as const) {
      const { samples } = resample(train, { method }, Rng.create(2));
      for (const s of samples) for (const root of rootIds(s)) expect(test.has(root)).toBe(false);
    }
  });

  it('mixes penguins of different species into soft labels with mixup', () => {
    const { samples } = resample(complete(), { method: 'mixup', strategy: { factor: 1.5 } }, Rng.create(3));
    const soft = samples.filter((s) => typeof s.label === 'object' && Object.keys(s.label).length === 2);
    expect(soft.length).toBeGreaterThan(50);
  });
});
