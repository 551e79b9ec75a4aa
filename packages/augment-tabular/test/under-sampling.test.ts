import { Rng, type TabularSample } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { resample } from '../src/index.ts';
import { classCounts, makeTable, zScores } from './helpers/tables.ts';

const NUMERIC = ['x0', 'x1', 'x2'];
const table = makeTable({ classes: { A: 120, B: 40, C: 15 }, numeric: 3, separation: 1.5, seed: 11 });
const z = zScores(table, NUMERIC);
const index = new Map(table.map((s, i) => [s, i]));
const dist = (a: number, b: number) => z[a]!.reduce((s, v, j) => s + (v - z[b]![j]!) ** 2, 0);

/** 1-NN label of row `i` among `pool` (an independent reference). */
function nearestLabel(i: number, pool: readonly number[]): string {
  let best = -1;
  for (const j of pool) if (j !== i && (best < 0 || dist(i, j) < dist(i, best))) best = j;
  return table[best]!.label as string;
}

const rowsOf = (samples: readonly TabularSample[]) => samples.map((s) => index.get(s)!);

describe('condensed nearest neighbour', () => {
  it('keeps a set on which 1-NN classifies every removed row of its class right, different per seed', () => {
    const minority = table.flatMap((s, i) => (s.label === 'C' ? [i] : []));
    const kept: number[][] = [];
    for (const seed of [1, 2, 3]) {
      const { samples, removed } = resample(
        table,
        { method: 'condensedNearestNeighbour', columns: NUMERIC },
        Rng.create(seed),
      );
      const keptRows = rowsOf(samples);
      kept.push(keptRows);
      expect(removed.length).toBeGreaterThan(0);
      for (const cls of ['A', 'B']) {
        const store = [...minority, ...keptRows.filter((i) => table[i]!.label === cls)];
        for (const sample of removed.filter((s) => s.label === cls)) {
          expect(nearestLabel(index.get(sample)!, store)).toBe(cls);
        }
      }
      expect(classCounts(samples).C).toBe(15);
    }
    expect(kept[1]).not.toEqual(kept[0]);
  });
});

describe('one-sided selection', () => {
  it('keeps the minority whole, removes rows of the cleaned classes only, and depends on the seed rows', () => {
    const run = (seed: number) =>
      resample(table, { method: 'oneSidedSelection', columns: NUMERIC }, Rng.create(seed));
    const a = run(4);
    expect(classCounts(a.samples).C).toBe(15);
    expect(a.removed.length).toBeGreaterThan(0);
    expect(a.removed.every((s) => s.label !== 'C')).toBe(true);
    expect(run(4).samples).toEqual(a.samples);
    const others = [5, 6, 7].map((seed) => rowsOf(run(seed).samples));
    expect(others.some((rows) => JSON.stringify(rows) !== JSON.stringify(rowsOf(a.samples)))).toBe(true);
  });
});

describe('instance hardness threshold', () => {
  it('reaches the target counts exactly and keeps rows easier than those it removes, on average', () => {
    const { samples, removed, report } = resample(
      table,
      { method: 'instanceHardnessThreshold', columns: NUMERIC, k: 5 },
      Rng.create(2),
    );
    expect(report.after).toEqual({ A: 15, B: 15, C: 15 });
    // Easiness by a reference: share of the 5 nearest rows (all data) sharing the class.
    const ease = (i: number) => {
      const order = table
        .map((_, j) => j)
        .filter((j) => j !== i)
        .sort((a, b) => dist(i, a) - dist(i, b));
      return order.slice(0, 5).filter((j) => table[j]!.label === table[i]!.label).length / 5;
    };
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const keptA = rowsOf(samples).filter((i) => table[i]!.label === 'A');
    const removedA = removed.map((s) => index.get(s)!).filter((i) => table[i]!.label === 'A');
    expect(mean(keptA.map(ease))).toBeGreaterThan(mean(removedA.map(ease)));
  });
});

describe('cluster centroids', () => {
  it('soft voting: each centroid row is the mean of its parents, every parent used once, the minority untouched', () => {
    const { samples, removed, report } = resample(
      table,
      { method: 'clusterCentroids', columns: NUMERIC },
      Rng.create(3),
    );
    expect(report.after).toEqual({ A: 15, B: 15, C: 15 });
    const made = samples.filter((s) => s.lineage.length > 0);
    expect(made).toHaveLength(30);
    expect(removed).toHaveLength(120 + 40);
    const parents = made.flatMap((s) => s.lineage[0]!.parents);
    expect(new Set(parents).size).toBe(parents.length);
    expect(parents.length).toBe(120 + 40);
    const byId = new Map(table.map((s) => [s.id, s]));
    for (const sample of made) {
      const rows = sample.lineage[0]!.parents.map((id) => byId.get(id)!);
      for (const column of NUMERIC) {
        const mean = rows.reduce((a, r) => a + (r.payload.values[column] as number), 0) / rows.length;
        expect(sample.payload.values[column]).toBeCloseTo(mean, 10);
      }
      expect(rows.every((r) => r.label === sample.label)).toBe(true);
    }
  });

  it('hard voting keeps distinct original rows, as many as the target', () => {
    const { samples, report } = resample(
      table,
      { method: 'clusterCentroids', voting: 'hard', columns: NUMERIC, strategy: { counts: { A: 30 } } },
      Rng.create(3),
    );
    expect(report.after).toEqual({ A: 30, B: 40, C: 15 });
    expect(samples.every((s) => s.lineage.length === 0)).toBe(true);
  });
});

describe('nearMiss', () => {
  it('version 1 keeps the rows with the smallest summed distance to their 3 nearest minority rows', () => {
    const { samples } = resample(table, { method: 'nearMiss', columns: NUMERIC }, Rng.create(1));
    const minority = table.flatMap((s, i) => (s.label === 'C' ? [i] : []));
    const score = (i: number) =>
      minority
        .map((j) => Math.sqrt(dist(i, j)))
        .sort((a, b) => a - b)
        .slice(0, 3)
        .reduce((a, b) => a + b, 0);
    const expected = table
      .flatMap((s, i) => (s.label === 'A' ? [i] : []))
      .sort((a, b) => score(a) - score(b) || a - b)
      .slice(0, 15)
      .sort((a, b) => a - b);
    expect(rowsOf(samples).filter((i) => table[i]!.label === 'A')).toEqual(expected);
  });
});
