import { type Cell, fromIterable, OptionsError, type TabularSample } from '@growset/core';
import { loadVegaDataset } from '@growset/fixtures';
import { describe, expect, it } from 'vitest';
import { dropMissing, fitImputer, fitOutliers, fromRows, impute, removeOutliers } from '../src/index.ts';
import { runAll } from './helpers.ts';

const sample = (id: string, values: { [column: string]: Cell }, label?: string): TabularSample => ({
  id,
  ...(label === undefined ? {} : { label }),
  payload: { kind: 'tabular', values },
  lineage: [],
});

const BEAK = 'Beak Length (mm)';

async function penguins(): Promise<TabularSample[]> {
  const { items } = await runAll<TabularSample>(
    fromRows(await loadVegaDataset('penguins'), { label: 'Species' }),
  );
  return items;
}

describe('dropMissing', () => {
  it('filters rows with any missing cell, naming the columns, and counts missing cells per column', async () => {
    const stage = dropMissing();
    const { items, summary } = await runAll<TabularSample>(
      fromRows(await loadVegaDataset('penguins'), { label: 'Species' }),
      stage,
    );
    expect(items).toHaveLength(334);
    expect(summary.stages[1]!.filteredBy).toEqual({ 'missing value': 10 });
    expect(stage.report()).toMatchObject({
      rows: 344,
      dropped: 10,
      missing: { Sex: 10, [BEAK]: 2 },
      droppedBy: { Sex: 10 },
    });
  });

  it('drops only rows missing all the given columns with how: all', async () => {
    const { items } = await runAll<TabularSample>(
      fromIterable('rows', [sample('a', { x: null, y: null }), sample('b', { x: 1, y: null })]),
      dropMissing({ columns: ['x', 'y'], how: 'all' }),
    );
    expect(items.map((s) => s.id)).toEqual(['b']);
  });
});

describe('imputation', () => {
  it('fills numbers with the mean, median or a constant and text with the mode, recording what it filled', () => {
    const train = [
      sample('a', { n: 1, t: 'x' }),
      sample('b', { n: 2, t: 'y' }),
      sample('c', { n: 9, t: 'y' }),
      sample('d', { n: null, t: null }),
    ];
    const mean = fitImputer(train);
    expect(mean.fills).toEqual({
      n: { strategy: 'mean', numeric: true, fill: 4 },
      t: { strategy: 'mode', numeric: false, fill: 'y' },
    });
    const filled = mean.apply(train[3]!);
    expect(filled.payload.values).toEqual({ n: 4, t: 'y' });
    expect(filled.meta).toEqual({ imputed: ['n', 't'] });
    expect(train[3]!.payload.values.n).toBeNull();
    expect(fitImputer(train, { numeric: 'median' }).fills.n!.fill).toBe(2);
    expect(fitImputer(train, { columns: { n: { strategy: 'constant', fill: -1 } } }).fills.n!.fill).toBe(-1);
  });

  it('fits on a training split and applies to a test split without looking at the test values', async () => {
    const all = await penguins();
    // Rows 3 and 339 of the real data lack every measurement: both land in the test split.
    const train = all.filter((_, i) => i % 4 !== 3);
    const test = all.filter((_, i) => i % 4 === 3);
    const imputer = fitImputer(train, { numeric: 'median' });
    const poisoned = test.map((s) =>
      s.payload.values[BEAK] === null
        ? s
        : { ...s, payload: { kind: 'tabular' as const, values: { ...s.payload.values, [BEAK]: 1e6 } } },
    );
    // The fill values depend on the training split only: wild test values change nothing.
    expect(fitImputer(train, { numeric: 'median' }).fills).toEqual(imputer.fills);
    const stage = imputer.stage({ name: 'impute-test' });
    const { items } = await runAll<TabularSample>(fromIterable('test', poisoned), stage);
    const trainBeaks = train
      .map((s) => s.payload.values[BEAK])
      .filter((v): v is number => typeof v === 'number');
    const sorted = [...trainBeaks].sort((a, b) => a - b);
    const median =
      sorted[(sorted.length - 1) / 2] ?? (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
    const filledBeaks = items.filter((s) => (s.meta?.imputed as string[] | undefined)?.includes(BEAK));
    expect(filledBeaks.length).toBeGreaterThan(0);
    for (const s of filledBeaks) expect(s.payload.values[BEAK]).toBe(median);
    expect(stage.report()).toMatchObject({ rows: test.length, useLabels: true });
    expect(Object.values(stage.report().imputed).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('imputes per class when asked, and falls back to the overall value without labels (for a test split)', () => {
    const train = [
      sample('a1', { w: 10 }, 'A'),
      sample('a2', { w: 12 }, 'A'),
      sample('b1', { w: 100 }, 'B'),
      sample('b2', { w: 102 }, 'B'),
    ];
    const imputer = fitImputer(train, { perClass: true });
    expect(imputer.fills.w).toEqual({
      strategy: 'mean',
      numeric: true,
      fill: 56,
      perClass: { A: 11, B: 101 },
    });
    const gap = sample('x', { w: null }, 'B');
    expect(imputer.apply(gap).payload.values.w).toBe(101);
    expect(imputer.apply(gap, { useLabels: false }).payload.values.w).toBe(56);
    expect(imputer.apply(sample('y', { w: null }, 'C')).payload.values.w).toBe(56);
  });

  it('imputes everything it receives with the impute() stage and reports per column', async () => {
    const stage = impute({ numeric: 'median' });
    const { items } = await runAll<TabularSample>(
      fromRows(await loadVegaDataset('penguins'), { label: 'Species' }),
      stage,
    );
    expect(items.every((s) => !Object.values(s.payload.values).includes(null))).toBe(true);
    expect(stage.report()).toMatchObject({ rows: 344, imputedRows: 10, imputed: { Sex: 10, [BEAK]: 2 } });
  });

  it('refuses a numeric strategy for a text column and a constant without a fill value', () => {
    const rows = [sample('a', { t: 'x' })];
    expect(() => fitImputer(rows, { columns: { t: 'mean' } })).toThrow(/columns\.t.*holds text/);
    expect(() => fitImputer(rows, { categorical: 'constant' })).toThrow(OptionsError);
    expect(() => fitImputer(rows, { numeric: 'average' as never })).toThrow(/option `numeric`/);
  });
});

describe('outliers', () => {
  it("computes Tukey's fences with numpy's quantiles and filters values outside them, naming column and bounds", async () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 100];
    const rows = values.map((v, i) => sample(`r${i}`, { v, t: 'x' }));
    const detector = fitOutliers(rows);
    // numpy: q1 = 3, q3 = 7, iqr = 4 -> [-3, 13]
    expect(detector.bounds.columns).toEqual({ v: { low: -3, high: 13 } });
    const stage = detector.stage();
    const { items, summary } = await runAll<TabularSample>(fromIterable('rows', rows), stage);
    expect(items).toHaveLength(8);
    expect(summary.stages[1]!.filteredBy).toEqual({ outlier: 1 });
    expect(stage.report()).toMatchObject({ outlierRows: 1, byColumn: { v: 1 } });
  });

  it('uses z-scores per class and can flag instead of filtering', async () => {
    const rows: TabularSample[] = [];
    for (let i = 0; i < 20; i++) rows.push(sample(`a${i}`, { v: 10 + (i % 5) }, 'A'));
    for (let i = 0; i < 20; i++) rows.push(sample(`b${i}`, { v: 1000 + (i % 5) }, 'B'));
    rows.push(sample('odd', { v: 40 }, 'A'));
    const overall = fitOutliers(rows, { method: 'zscore', z: 2 });
    expect(overall.check(rows[40]!)).toEqual([]);
    const perClass = fitOutliers(rows, { method: 'zscore', z: 2, perClass: true, action: 'flag' });
    expect(perClass.check(rows[40]!).map((f) => f.column)).toEqual(['v']);
    const { items } = await runAll<TabularSample>(fromIterable('rows', rows), perClass.stage());
    expect(items).toHaveLength(41);
    expect(items[40]!.meta).toEqual({ outliers: ['v'] });
  });

  it('removes outliers from real penguin measurements with the removeOutliers() stage, ignoring text and missing cells', async () => {
    const stage = removeOutliers({ k: 1.5 });
    const { summary } = await runAll<TabularSample>(
      fromRows(await loadVegaDataset('penguins'), { label: 'Species' }),
      stage,
    );
    expect(Object.keys(stage.report().bounds.columns).sort()).toEqual(
      ['Beak Depth (mm)', BEAK, 'Body Mass (g)', 'Flipper Length (mm)'].sort(),
    );
    const s = summary.stages[1]!;
    expect(s.in).toBe(344);
    expect(s.out + s.filtered).toBe(344);
  });
});
