import { readFileSync } from 'node:fs';
import { Rng, type TabularSample } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { resample } from '../src/index.ts';
import { trainSvm } from '../src/internals/svm.ts';
import { classCounts, makeTable } from './helpers/tables.ts';

interface Datasets {
  datasets: { [name: string]: { features: number[][]; labels: string[] } };
}
const golden = JSON.parse(
  readFileSync(new URL('./golden/imblearn-under.json', import.meta.url), 'utf8'),
) as Datasets;
const svc = JSON.parse(readFileSync(new URL('./golden/sklearn-svc.json', import.meta.url), 'utf8')) as {
  sklearn: string;
  cases: { dataset: string; C: number; tol: number; gamma: number; support: number[] }[];
};

const NUMERIC = ['x0', 'x1', 'x2'];
const table = makeTable({ classes: { A: 80, B: 25, C: 12 }, numeric: 3, separation: 1.5, seed: 5 });
const byId = new Map(table.map((s) => [s.id, s]));
const values = (s: TabularSample) => NUMERIC.map((c) => s.payload.values[c] as number);

describe(`the SVM behind SVM-SMOTE, against scikit-learn ${svc.sklearn}'s SVC`, () => {
  it.each(svc.cases.map((c) => [c.dataset, c.C, c] as const))(
    'finds the same support vectors on %s with C=%d',
    (_, __, c) => {
      const { features, labels } = golden.datasets[c.dataset]!;
      const dims = features[0]!.length;
      const y = Int8Array.from(labels, (l) => (l === '1' ? 1 : -1));
      const model = trainSvm(Float64Array.from(features.flat()), dims, y, { c: c.C, tolerance: c.tol });
      expect(model.gamma).toBeCloseTo(c.gamma, 12);
      const support = [...model.alpha.keys()].filter((i) => model.alpha[i]! > 0);
      expect(support).toEqual(c.support);
    },
  );
});

/** The point `a + gap * (b - a)`, column by column. */
const along = (a: TabularSample, b: TabularSample, gap: number) =>
  values(a).map((x, j) => x + gap * (values(b)[j]! - x));

describe('svmSmote', () => {
  it('interpolates from support vectors in danger and extrapolates from safe ones by at most outStep', () => {
    const { samples, report } = resample(
      table,
      { method: 'svmSmote', columns: NUMERIC, outStep: 0.4 },
      Rng.create(3),
    );
    expect(report.after).toEqual({ A: 80, B: 80, C: 80 });
    const made = samples.filter((s) => s.lineage.length > 0);
    let inward = 0;
    let outward = 0;
    for (const sample of made) {
      const step = sample.lineage[0]!;
      const gap = (step.params as { gap: number }).gap;
      expect(gap).toBeGreaterThanOrEqual(-0.4);
      expect(gap).toBeLessThan(1);
      if (gap > 0) inward += 1;
      if (gap < 0) outward += 1;
      const [a, b] = step.parents.map((id) => byId.get(id)!);
      expect(a!.label).toBe(sample.label);
      expect(b!.label).toBe(sample.label);
      expect(values(sample).map((v, j) => v - along(a!, b!, gap)[j]!)).toEqual(
        [0, 0, 0].map(() => expect.closeTo(0, 10)),
      );
    }
    expect(inward).toBeGreaterThan(0);
    expect(outward).toBeGreaterThan(0);
  });
});

describe('kmeansSmote', () => {
  it('makes points between two rows of the class that k-means put in the same cluster', () => {
    const { samples, report } = resample(
      table,
      { method: 'kmeansSmote', columns: NUMERIC, clusters: 3, k: 2 },
      Rng.create(2),
    );
    expect(report.after).toEqual({ A: 80, B: 80, C: 80 });
    for (const sample of samples.filter((s) => s.lineage.length > 0)) {
      const step = sample.lineage[0]!;
      const [a, b] = step.parents.map((id) => byId.get(id)!);
      expect([a!.label, b!.label]).toEqual([sample.label, sample.label]);
      const gap = (step.params as { gap: number }).gap;
      expect(values(sample).map((v, j) => v - along(a!, b!, gap)[j]!)).toEqual(
        [0, 0, 0].map(() => expect.closeTo(0, 10)),
      );
    }
  });

  it('falls back to SMOTE over the class, with a warning, when no cluster is dense enough in it', () => {
    const { report } = resample(
      table,
      { method: 'kmeansSmote', columns: NUMERIC, clusters: 3, balanceThreshold: 1 },
      Rng.create(2),
    );
    expect(report.after).toEqual({ A: 80, B: 80, C: 80 });
    expect(report.warnings.some((w) => /fell back to SMOTE/.test(w))).toBe(true);
  });
});

describe('smoteN', () => {
  const cats = makeTable({
    classes: { A: 60, B: 15 },
    numeric: 0,
    categorical: { color: ['red', 'green', 'blue'], size: ['S', 'M', 'L'], shape: ['o', 'x'] },
    seed: 8,
  });
  const columns = ['color', 'size', 'shape'];
  const catsById = new Map(cats.map((s) => [s.id, s]));

  it('takes, column by column, the most frequent category among a row and its k nearest rows by the value difference metric', () => {
    const { samples, report } = resample(cats, { method: 'smoteN', k: 3 }, Rng.create(1));
    expect(report.after).toEqual({ A: 60, B: 60 });
    // Value difference metric, computed here independently: per column, P(class | value).
    const p = (column: string, value: unknown, label: string) => {
      const having = cats.filter((s) => s.payload.values[column] === value);
      return having.filter((s) => s.label === label).length / having.length;
    };
    const vdm = (a: TabularSample, b: TabularSample) =>
      columns.reduce(
        (sum, column) =>
          sum +
          ['A', 'B'].reduce(
            (s, l) =>
              s + (p(column, a.payload.values[column], l) - p(column, b.payload.values[column], l)) ** 2,
            0,
          ),
        0,
      );
    const classB = cats.filter((s) => s.label === 'B');
    for (const sample of samples.filter((s) => s.lineage.length > 0)) {
      const [base, ...near] = sample.lineage[0]!.parents.map((id) => catsById.get(id)!);
      expect(near).toHaveLength(3);
      // The 3 neighbours are among the nearest: no other row of the class is strictly nearer than the farthest.
      const farthest = Math.max(...near.map((n) => vdm(base!, n)));
      const nearer = classB.filter(
        (s) => s !== base && !near.includes(s) && vdm(base!, s) < farthest - 1e-12,
      );
      expect(nearer).toEqual([]);
      for (const column of columns) {
        const counts = new Map<unknown, number>();
        for (const row of [base!, ...near])
          counts.set(row.payload.values[column], (counts.get(row.payload.values[column]) ?? 0) + 1);
        const top = Math.max(...counts.values());
        expect(counts.get(sample.payload.values[column])).toBe(top);
      }
    }
  });

  it('refuses numeric feature columns, naming the field', () => {
    expect(() => resample(table, { method: 'smoteN' }, Rng.create(1))).toThrow(
      /`columns`.*categorical feature columns only/,
    );
  });
});

describe('smoteEnn and smoteTomek', () => {
  it.each(['smoteEnn', 'smoteTomek'] as const)(
    '%s cleans only the classes named: the others end exactly at their targets',
    (method) => {
      const { samples, removed, report } = resample(
        table,
        { method, columns: NUMERIC, classes: ['A'] },
        Rng.create(6),
      );
      const counts = classCounts(samples);
      expect(counts.B).toBe(80);
      expect(counts.C).toBe(80);
      expect(counts.A).toBeLessThan(80);
      expect(removed.every((s) => s.label === 'A')).toBe(true);
      expect(report.after).toEqual(counts);
    },
  );

  it('smoteEnn removes more than smoteTomek on overlapping classes (ENN is the stricter rule)', () => {
    const enn = resample(table, { method: 'smoteEnn', columns: NUMERIC }, Rng.create(6));
    const tomek = resample(table, { method: 'smoteTomek', columns: NUMERIC }, Rng.create(6));
    const lost = (r: typeof enn) => 3 * 80 - r.samples.length;
    expect(lost(enn)).toBeGreaterThan(lost(tomek));
    expect(lost(tomek)).toBeGreaterThan(0);
  });
});
