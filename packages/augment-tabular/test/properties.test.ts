import { Rng, type TabularSample } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { resample } from '../src/index.ts';
import { makeTable, nearestIds, zScores } from './helpers/tables.ts';

const X = ['x0', 'x1', 'x2'];
const SEEDS = [1, 2, 3, 4, 5];

function byId(samples: readonly TabularSample[]) {
  return new Map(samples.map((s) => [s.id, s]));
}

/** For each row, its k nearest ids among the rows of the same class (reference computation). */
function sameClassNeighbors(table: readonly TabularSample[], columns: readonly string[], k: number) {
  const z = zScores(table, columns);
  const ids = table.map((s) => s.id);
  return new Map(
    table.map((s, i) => {
      const same = table.flatMap((t, j) => (t.label === s.label ? [j] : []));
      return [s.id, nearestIds(z, ids, i, same, k)] as const;
    }),
  );
}

/** Asserts `value = base + gap * (neighbor - base)` for every numeric column. */
function expectOnSegment(sample: TabularSample, base: TabularSample, neighbor: TabularSample, gap: number) {
  for (const column of X) {
    const a = base.payload.values[column] as number;
    const b = neighbor.payload.values[column] as number;
    const v = sample.payload.values[column] as number;
    expect(v).toBeCloseTo(a + gap * (b - a), 10);
    expect(v).toBeGreaterThanOrEqual(Math.min(a, b) - 1e-9);
    expect(v).toBeLessThanOrEqual(Math.max(a, b) + 1e-9);
  }
}

describe('SMOTE family properties', () => {
  it.each(SEEDS)(
    'smote (seed %i): every point lies on a segment from a sample to one of its k nearest same-class neighbours',
    (seed) => {
      const table = makeTable({ classes: { A: 80, B: 25, C: 9 }, seed });
      const k = 4;
      const nearest = sameClassNeighbors(table, X, k);
      const rows = byId(table);
      const { samples, report } = resample(table, { method: 'smote', k }, Rng.create(seed));
      expect(report.created).toBe(80 - 25 + 80 - 9);
      for (const s of samples.filter((x) => x.lineage.length > 0)) {
        const [baseId, neighborId] = s.lineage[0]!.parents;
        const params = s.lineage[0]!.params as { gap: number; k: number };
        expect(params.k).toBe(k);
        expect(params.gap).toBeGreaterThanOrEqual(0);
        expect(params.gap).toBeLessThan(1);
        expect(nearest.get(baseId!)).toContain(neighborId);
        expect(rows.get(neighborId!)!.label).toBe(s.label);
        expectOnSegment(s, rows.get(baseId!)!, rows.get(neighborId!)!, params.gap);
      }
    },
  );

  it.each(SEEDS)(
    'borderlineSmote (seed %i): starts only from danger samples, towards their k nearest same-class neighbours',
    (seed) => {
      const table = makeTable({ classes: { A: 90, B: 30 }, separation: 1.5, seed });
      const m = 8;
      const k = 3;
      const z = zScores(table, X);
      const ids = table.map((s) => s.id);
      const all = table.map((_, j) => j);
      const labelOf = new Map(table.map((s) => [s.id, s.label]));
      const danger = new Set(
        table.flatMap((s, i) => {
          if (s.label !== 'B') return [];
          const others = nearestIds(z, ids, i, all, m).filter((id) => labelOf.get(id) !== 'B').length;
          return others * 2 >= m && others < m ? [s.id] : [];
        }),
      );
      expect(danger.size).toBeGreaterThan(0);
      const nearest = sameClassNeighbors(table, X, k);
      const rows = byId(table);
      const { samples, report } = resample(table, { method: 'borderlineSmote', k, m }, Rng.create(seed));
      expect(report.warnings).toEqual([]);
      const made = samples.filter((x) => x.lineage.length > 0);
      expect(made).toHaveLength(60);
      for (const s of made) {
        const [baseId, neighborId] = s.lineage[0]!.parents;
        expect(danger.has(baseId!)).toBe(true);
        expect(nearest.get(baseId!)).toContain(neighborId);
        expectOnSegment(
          s,
          rows.get(baseId!)!,
          rows.get(neighborId!)!,
          (s.lineage[0]!.params as { gap: number }).gap,
        );
      }
    },
  );

  it('borderlineSmote kind 2 goes at most halfway towards other-class neighbours', () => {
    const table = makeTable({ classes: { A: 90, B: 30 }, separation: 1.5, seed: 9 });
    const rows = byId(table);
    const { samples } = resample(
      table,
      { method: 'borderlineSmote', kind: 'borderline-2', k: 3, m: 8 },
      Rng.create(9),
    );
    const made = samples.filter((x) => x.lineage.length > 0);
    const towardsOther = made.filter((s) => rows.get(s.lineage[0]!.parents[1]!)!.label !== 'B');
    expect(towardsOther.length).toBeGreaterThan(0);
    expect(towardsOther.length).toBeLessThan(made.length);
    for (const s of towardsOther) {
      const gap = (s.lineage[0]!.params as { gap: number }).gap;
      expect(gap).toBeLessThan(0.5);
      expectOnSegment(s, rows.get(s.lineage[0]!.parents[0]!)!, rows.get(s.lineage[0]!.parents[1]!)!, gap);
    }
  });

  it.each(SEEDS)(
    'adasyn (seed %i): points on same-class segments, more of them from samples with more other-class neighbours',
    (seed) => {
      const table = makeTable({ classes: { A: 90, B: 30 }, separation: 1.5, seed });
      const k = 5;
      const nearest = sameClassNeighbors(table, X, k);
      const rows = byId(table);
      const z = zScores(table, X);
      const ids = table.map((s) => s.id);
      const all = table.map((_, j) => j);
      const hardness = new Map(
        table.map((s, i) => [
          s.id,
          nearestIds(z, ids, i, all, k).filter((id) => rows.get(id)!.label !== s.label).length,
        ]),
      );
      const { samples } = resample(table, { method: 'adasyn', k }, Rng.create(seed));
      const made = samples.filter((x) => x.lineage.length > 0);
      expect(made).toHaveLength(60);
      const perBase = new Map<string, number>();
      for (const s of made) {
        const [baseId, neighborId] = s.lineage[0]!.parents;
        perBase.set(baseId!, (perBase.get(baseId!) ?? 0) + 1);
        expect(nearest.get(baseId!)).toContain(neighborId);
        expectOnSegment(
          s,
          rows.get(baseId!)!,
          rows.get(neighborId!)!,
          (s.lineage[0]!.params as { gap: number }).gap,
        );
      }
      // Samples whose neighbours are all of their own class get nothing; shares follow hardness.
      for (const id of perBase.keys()) expect(hardness.get(id)).toBeGreaterThan(0);
      const total = [...table.filter((s) => s.label === 'B')].reduce((a, s) => a + hardness.get(s.id)!, 0);
      for (const s of table.filter((x) => x.label === 'B')) {
        const share = (60 * hardness.get(s.id)!) / total;
        expect(Math.abs((perBase.get(s.id) ?? 0) - share)).toBeLessThan(1);
      }
    },
  );

  it.each(SEEDS)(
    'smoteNC (seed %i): numeric columns on a segment, each category the most frequent among the k neighbours',
    (seed) => {
      const table = makeTable({
        classes: { A: 70, B: 20 },
        categorical: { color: ['red', 'green', 'blue'] },
        seed,
      });
      const rows = byId(table);
      const k = 5;
      const { samples } = resample(table, { method: 'smoteNC', k }, Rng.create(seed));
      const made = samples.filter((x) => x.lineage.length > 0);
      expect(made).toHaveLength(50);
      for (const s of made) {
        const parents = s.lineage[0]!.parents;
        expect(parents).toHaveLength(1 + k);
        const [base, neighbor, ...rest] = parents.map((id) => rows.get(id)!);
        expectOnSegment(s, base!, neighbor!, (s.lineage[0]!.params as { gap: number }).gap);
        const votes = new Map<unknown, number>();
        for (const p of [neighbor!, ...rest])
          votes.set(p.payload.values.color, (votes.get(p.payload.values.color) ?? 0) + 1);
        const best = Math.max(...votes.values());
        expect(votes.get(s.payload.values.color)).toBe(best);
      }
    },
  );
});

describe('other methods', () => {
  const table = makeTable({ classes: { A: 40, B: 12 }, categorical: { color: ['red', 'green'] }, seed: 11 });
  const rows = byId(table);

  it('mixup rows are convex combinations with the recorded lambda >= 0.5 and soft labels summing to 1', () => {
    const { samples } = resample(table, { method: 'mixup', alpha: 0.4 }, Rng.create(1));
    const made = samples.filter((x) => x.lineage.length > 0);
    expect(made).toHaveLength(28);
    let crossClass = 0;
    for (const s of made) {
      const { lambda } = s.lineage[0]!.params as { lambda: number };
      const [a, b] = s.lineage[0]!.parents.map((id) => rows.get(id)!);
      expect(lambda).toBeGreaterThanOrEqual(0.5);
      expect(lambda).toBeLessThanOrEqual(1);
      for (const column of X) {
        const expected =
          lambda * (a!.payload.values[column] as number) +
          (1 - lambda) * (b!.payload.values[column] as number);
        expect(s.payload.values[column]).toBeCloseTo(expected, 10);
      }
      expect(s.payload.values.color).toBe(a!.payload.values.color);
      const soft = s.label as { [c: string]: number };
      expect(Object.values(soft).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
      expect(soft.B).toBeGreaterThanOrEqual(0.5);
      if (b!.label !== 'B') {
        crossClass += 1;
        expect(soft[b!.label as string]).toBeCloseTo(1 - lambda, 12);
      }
    }
    expect(crossClass).toBeGreaterThan(0);
  });

  it('mixup withinClass mixes only rows of one class', () => {
    const { samples } = resample(table, { method: 'mixup', withinClass: true }, Rng.create(1));
    for (const s of samples.filter((x) => x.lineage.length > 0)) {
      for (const id of s.lineage[0]!.parents) expect(rows.get(id)!.label).toBe('B');
      expect(s.label).toEqual({ B: 1 });
    }
  });

  it('gaussianNoise adds the recorded noise, uses every row evenly with a factor, and swaps categories when asked', () => {
    const { samples } = resample(
      table,
      { method: 'gaussianNoise', strategy: { factor: 2 }, swapProbability: 1 },
      Rng.create(4),
    );
    const made = samples.filter((x) => x.lineage.length > 0);
    expect(made).toHaveLength(52);
    const uses = new Map<string, number>();
    for (const s of made) {
      const parentId = s.lineage[0]!.parents[0]!;
      uses.set(parentId, (uses.get(parentId) ?? 0) + 1);
      const parent = rows.get(parentId)!;
      const { noise } = s.lineage[0]!.params as { noise: { [c: string]: number } };
      for (const column of X) {
        expect(s.payload.values[column]).toBe((parent.payload.values[column] as number) + noise[column]!);
      }
      expect(s.payload.values.color).not.toBe(parent.payload.values.color);
    }
    expect([...uses.values()].every((n) => n === 1)).toBe(true);
  });

  it('randomOverSample copies rows exactly without shrinkage, and perturbs numeric columns with it', () => {
    const plain = resample(table, { method: 'randomOverSample' }, Rng.create(5));
    for (const s of plain.samples.filter((x) => x.lineage.length > 0)) {
      expect(s.payload.values).toEqual(rows.get(s.lineage[0]!.parents[0]!)!.payload.values);
    }
    const smoothed = resample(table, { method: 'randomOverSample', shrinkage: 2 }, Rng.create(5));
    for (const s of smoothed.samples.filter((x) => x.lineage.length > 0)) {
      const parent = rows.get(s.lineage[0]!.parents[0]!)!;
      expect(s.payload.values.x0).not.toBe(parent.payload.values.x0);
      expect(s.payload.values.color).toBe(parent.payload.values.color);
    }
  });

  it('randomUnderSample keeps a subset of the originals and creates nothing', () => {
    const { samples, removed } = resample(table, { method: 'randomUnderSample' }, Rng.create(6));
    expect(samples.every((s) => rows.get(s.id) === s)).toBe(true);
    expect(samples.length + removed.length).toBe(table.length);
  });

  it('bootstrap output is drawn rows: originals once each, extra draws as copies naming them', () => {
    const { samples, removed } = resample(table, { method: 'bootstrap' }, Rng.create(7));
    expect(removed.length).toBeGreaterThan(0);
    const kept = new Set(samples.filter((s) => s.lineage.length === 0).map((s) => s.id));
    for (const s of samples.filter((x) => x.lineage.length > 0)) {
      const parentId = s.lineage[0]!.parents[0]!;
      expect(kept.has(parentId)).toBe(true);
      expect(s.payload.values).toEqual(rows.get(parentId)!.payload.values);
    }
    const unstratified = resample(
      table,
      { method: 'bootstrap', stratify: false, strategy: { factor: 1 } },
      Rng.create(7),
    );
    expect(unstratified.samples).toHaveLength(table.length);
  });
});
