import { DataError, OptionsError, Rng, type TabularSample } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { type ResampleOptions, resample } from '../src/index.ts';
import { classCounts, makeTable } from './helpers/tables.ts';

const rng = () => Rng.create(1);
const row = (
  id: string,
  label: string | undefined,
  values: TabularSample['payload']['values'],
  file?: string,
): TabularSample => ({
  id,
  ...(label === undefined ? {} : { label }),
  payload: { kind: 'tabular', values },
  lineage: [],
  ...(file ? { source: { file, row: Number(id.slice(1)) } } : {}),
});

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('duplicates and small classes', () => {
  it('SMOTE over a class of identical rows produces that same row (segments of length 0)', () => {
    const table = [
      ...makeTable({ classes: { A: 20 } }),
      ...Array.from({ length: 6 }, (_, i) => row(`d${i}`, 'B', { x0: 1.5, x1: -2, x2: 7 })),
    ];
    const { samples } = resample(table, { method: 'smote', k: 3 }, rng());
    const made = samples.filter((s) => s.lineage.length > 0);
    expect(made).toHaveLength(14);
    for (const s of made) expect(s.payload.values).toEqual({ x0: 1.5, x1: -2, x2: 7 });
  });

  it('uses n - 1 neighbours for a class with k or fewer samples, and says so in the report', () => {
    const table = makeTable({ classes: { A: 30, B: 3 } });
    const { report, samples } = resample(table, { method: 'smote', k: 5 }, rng());
    expect(report.neighbors).toEqual({ B: 2 });
    expect(report.warnings).toEqual(['class `B` has 3 samples: smote used k=2 instead of 5']);
    expect(classCounts(samples)).toEqual({ A: 30, B: 30 });
  });

  it('copies a class of a single sample instead of interpolating, with a warning', () => {
    const table = makeTable({ classes: { A: 10, B: 1 } });
    const { report, samples } = resample(table, { method: 'adasyn' }, rng());
    expect(report.warnings).toContain(
      'class `B` has a single sample: adasyn copied it instead of interpolating',
    );
    const made = samples.filter((s) => s.lineage.length > 0);
    expect(made).toHaveLength(9);
    for (const s of made) expect(s.payload.values).toEqual(table[10]!.payload.values);
  });

  it("throws a DataError naming the class when onSmallClass is 'error'", () => {
    const table = makeTable({ classes: { A: 30, B: 4 } });
    const error = thrown(() => resample(table, { method: 'smoteNC', k: 5, onSmallClass: 'error' }, rng()));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      "class too small: class `B` has 4 sample(s); smoteNC with k=5 needs at least 6 (set onSmallClass: 'shrink' to use fewer neighbours)",
    );
  });

  it('falls back to SMOTE from every sample when no sample is in danger, with a warning', () => {
    const table = makeTable({ classes: { A: 40, B: 15 }, separation: 40 });
    const { report, samples } = resample(table, { method: 'borderlineSmote', k: 3 }, rng());
    expect(report.warnings).toEqual([
      'class `B`: no sample is in danger; borderlineSmote fell back to SMOTE from every sample',
    ]);
    expect(classCounts(samples)).toEqual({ A: 40, B: 40 });
  });

  it('returns nothing for an empty table', () => {
    const { samples, report } = resample([], { method: 'smote', numeric: ['x0'], columns: ['x0'] }, rng());
    expect(samples).toEqual([]);
    expect(report.before).toEqual({});
  });
});

describe('bad input names the row and column', () => {
  const good = makeTable({ classes: { A: 10, B: 5 } });

  it('rejects a missing numeric value (null or NaN) with the column, sample id and file row', () => {
    const table = [...good, row('r99', 'B', { x0: 1, x1: Number.NaN, x2: 3 }, 'data.csv')];
    const error = thrown(() => resample(table, { method: 'smote' }, rng())) as DataError;
    expect(error).toBeInstanceOf(DataError);
    expect(error.reason).toBe('missing value');
    expect(error.message).toContain('numeric column `x1` is empty in sample `r99` (data.csv row 99)');
    expect(error.source).toEqual({ file: 'data.csv', row: 99, column: 'x1' });
  });

  it('rejects text in a numeric column, and counts how many rows have problems', () => {
    const table = [
      ...good,
      row('r98', 'A', { x0: 'n/a', x1: 2, x2: 3 }),
      row('r99', 'A', { x0: null, x1: 2, x2: 3 }),
    ];
    const error = thrown(() => resample(table, { method: 'gaussianNoise' }, rng())) as DataError;
    expect(error.reason).toBe('non-numeric value');
    expect(error.message).toBe(
      'non-numeric value: numeric column `x0` holds "n/a" in sample `r98` (2 rows have problems)',
    );
  });

  it('accepts numbers written as text in a numeric column', () => {
    const table = [...good, row('r99', 'B', { x0: ' 2.5 ', x1: '1e-3', x2: 3 })];
    const { samples } = resample(table, { method: 'smote', k: 2 }, rng());
    expect(samples.length).toBe(20);
  });

  it('rejects a sample without a label, naming it', () => {
    const error = thrown(() =>
      resample([...good, row('r42', undefined, { x0: 1, x1: 2, x2: 3 })], { method: 'bootstrap' }, rng()),
    );
    expect(error.message).toBe('missing label: sample `r42` has no class label');
  });

  it('leaves missing values alone for methods that only copy or drop rows', () => {
    const table = [...good, row('r99', 'B', { x0: null, x1: 2, x2: 3 })];
    const { report } = resample(table, { method: 'randomOverSample' }, rng());
    expect(report.after).toEqual({ A: 10, B: 10 });
  });

  it('names an unknown column, listing the columns the table has', () => {
    const error = thrown(() => resample(good, { method: 'smote', columns: ['x0', 'x9'] }, rng()));
    expect(error).toBeInstanceOf(OptionsError);
    expect(error.message).toBe(
      'Invalid option `columns[1]` in ResampleOptions (method `smote`): expected one of the table\'s columns ("x0", "x1", "x2"), got `"x9"` (string)',
    );
  });

  it('names a class the strategy asks for that has no samples (an empty class)', () => {
    const error = thrown(() => resample(good, { method: 'smote', strategy: { counts: { C: 20 } } }, rng()));
    expect(error.message).toBe(
      'Invalid option `strategy.counts.C` in ResampleOptions (method `smote`): expected a class with samples (classes: "A", "B"), got `20` (number)',
    );
  });

  it('refuses to over-sample a class below its count and to under-sample above it', () => {
    expect(() => resample(good, { method: 'smote', strategy: { counts: { A: 3 } } }, rng())).toThrow(
      /expected a count >= 10 \(class `A` has 10; over-sampling only adds\)/,
    );
    expect(() =>
      resample(good, { method: 'randomUnderSample', strategy: { counts: { B: 9 } } }, rng()),
    ).toThrow(/expected a count <= 5/);
    expect(() => resample(good, { method: 'randomUnderSample', strategy: { factor: 2 } }, rng())).toThrow(
      /strategy.factor.*a factor <= 1 for under-sampling/,
    );
  });

  it('points smote at smoteNC when there are categorical columns', () => {
    const table = makeTable({ classes: { A: 10, B: 5 }, categorical: { color: ['r', 'g'] } });
    expect(() => resample(table, { method: 'adasyn' }, rng())).toThrow(
      /use method `smoteNC` for categorical columns/,
    );
  });

  it('validates options: unknown method, misspelt option, out-of-range values', () => {
    expect(() => resample(good, { method: 'smot' } as unknown as ResampleOptions, rng())).toThrow(
      'Invalid option `method` in ResampleOptions: expected a resampling method (did you mean `smote`?), got `"smot"` (string)',
    );
    expect(() => resample(good, { method: 'xyzzy' } as unknown as ResampleOptions, rng())).toThrow(
      /expected one of "gaussianNoise", .*"clusterCentroids"/,
    );
    expect(() => resample(good, { method: 'smote', kk: 3 } as unknown as ResampleOptions, rng())).toThrow(
      /option `kk`.*did you mean `k`/,
    );
    expect(() => resample(good, { method: 'smote', k: 0 }, rng())).toThrow(
      /option `k`.*expected a number >= 1, got `0`/,
    );
    expect(() => resample(good, { method: 'smote', strategy: 2 }, rng())).toThrow(/option `strategy`/);
  });
});

describe('columns', () => {
  it('finds a column that repeats the label, keeps it out of the features and fills it in synthetic rows', () => {
    const table = makeTable({ classes: { A: 12, B: 4 } }).map((s) => ({
      ...s,
      payload: { kind: 'tabular' as const, values: { ...s.payload.values, species: s.label as string } },
    }));
    const { report, samples } = resample(table, { method: 'smote', k: 2 }, rng());
    expect(report.columns).toEqual({
      numeric: ['x0', 'x1', 'x2'],
      categorical: [],
      ignored: [],
      label: 'species',
    });
    for (const s of samples) expect(s.payload.values.species).toBe(s.label);
  });

  it('leaves non-feature columns empty in rows mixing parents, and copies them in single-parent copies', () => {
    const table = makeTable({ classes: { A: 12, B: 4 } }).map((s) => ({
      ...s,
      payload: { kind: 'tabular' as const, values: { ...s.payload.values, note: `from ${s.id}` } },
    }));
    const mixed = resample(table, { method: 'smote', k: 2, columns: ['x0', 'x1', 'x2'] }, rng());
    expect(mixed.report.columns.ignored).toEqual(['note']);
    for (const s of mixed.samples.filter((x) => x.lineage.length > 0))
      expect(s.payload.values.note).toBeNull();
    const noisy = resample(table, { method: 'gaussianNoise', columns: ['x0', 'x1', 'x2'] }, rng());
    for (const s of noisy.samples.filter((x) => x.lineage.length > 0)) {
      expect(s.payload.values.note).toBe(`from ${s.lineage[0]!.parents[0]}`);
    }
  });

  it('rounds integer-only columns when roundIntegers is set', () => {
    const table = makeTable({ classes: { A: 12, B: 4 } }).map((s) => ({
      ...s,
      payload: {
        kind: 'tabular' as const,
        values: { ...s.payload.values, count: Math.round((s.payload.values.x0 as number) * 10) },
      },
    }));
    const { samples } = resample(table, { method: 'smote', k: 2, roundIntegers: true }, rng());
    const made = samples.filter((s) => s.lineage.length > 0);
    expect(made.every((s) => Number.isInteger(s.payload.values.count))).toBe(true);
    expect(made.some((s) => !Number.isInteger(s.payload.values.x0))).toBe(true);
  });
});
