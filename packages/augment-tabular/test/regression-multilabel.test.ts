import { Rng, type TabularSample } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { resample } from '../src/index.ts';
import { relevanceOf } from '../src/internals/methods/regression.ts';
import { makeTable, zScores } from './helpers/tables.ts';

const NUMERIC = ['x0', 'x1', 'x2'];
const base = makeTable({ classes: { all: 120 }, numeric: 3, seed: 21 });
/** A skewed target: few large values. */
const table: TabularSample[] = base.map((s) => ({
  ...s,
  label: String(Math.exp(1.3 * (s.payload.values.x0 as number))),
}));
const byId = new Map(table.map((s) => [s.id, s]));
const z = zScores(table, NUMERIC);
const index = new Map(table.map((s, i) => [s.id, i]));

describe('relevance', () => {
  it('density: the rarest targets get 1, the most common 0, and the extremes are rare', () => {
    const y = Float64Array.from(table, (s) => Number(s.label));
    const r = relevanceOf(y, 'density');
    expect(Math.max(...r)).toBe(1);
    expect(Math.min(...r)).toBe(0);
    const largest = y.indexOf(Math.max(...y));
    expect(r[largest]).toBeGreaterThan(0.9);
  });

  it('control points interpolate linearly; a function is clipped to [0, 1]', () => {
    const y = Float64Array.from([0, 5, 10, 20]);
    expect([
      ...relevanceOf(y, {
        points: [
          [0, 0],
          [10, 1],
        ],
      }),
    ]).toEqual([0, 0.5, 1, 1]);
    expect([...relevanceOf(y, (v) => v / 10 - 0.5)]).toEqual([0, 0, 0.5, 1]);
  });
});

describe('smoter', () => {
  it('gives each new row the inverse-distance average of its parents targets, on the segment between them', () => {
    const { samples, report } = resample(table, { method: 'smoter', columns: NUMERIC, k: 3 }, Rng.create(1));
    const made = samples.filter((s) => s.lineage.length > 0);
    expect(made.length).toBe(report.created);
    expect(made.length).toBeGreaterThan(0);
    for (const sample of made) {
      const step = sample.lineage[0]!;
      const [a, b] = step.parents.map((id) => byId.get(id)!);
      const gap = (step.params as { gap: number }).gap;
      const za = z[index.get(a!.id)!]!;
      const zb = z[index.get(b!.id)!]!;
      const d1 = Math.sqrt(za.reduce((s, v, j) => s + (gap * (zb[j]! - v)) ** 2, 0));
      const d2 = Math.sqrt(za.reduce((s, v, j) => s + ((1 - gap) * (zb[j]! - v)) ** 2, 0));
      const expected = (d2 * Number(a!.label) + d1 * Number(b!.label)) / (d1 + d2);
      expect(Number(sample.label)).toBeCloseTo(expected, 8);
      for (const c of NUMERIC) {
        const va = a!.payload.values[c] as number;
        expect(sample.payload.values[c]).toBeCloseTo(va + gap * ((b!.payload.values[c] as number) - va), 10);
      }
    }
  });

  it('with { over, under }, multiplies rare bins and keeps a share of normal ones; removed rows are listed', () => {
    const { report, removed } = resample(
      table,
      {
        method: 'smoter',
        columns: NUMERIC,
        amounts: { over: 2, under: 0.5 },
        relevance: {
          points: [
            [0, 0],
            [4, 1],
          ],
        },
      },
      Rng.create(2),
    );
    for (const group of report.classes) {
      const before = report.before[group]!;
      expect(report.after[group]).toBe(group.startsWith('rare') ? 2 * before : Math.round(0.5 * before));
    }
    expect(removed.length).toBe(report.removed);
    expect(removed.every((s) => Number(s.label) < 4)).toBe(true);
  });
});

describe('smogn', () => {
  it('mixes interpolated rows with noisy copies of one parent', () => {
    const { samples } = resample(
      table,
      { method: 'smogn', columns: NUMERIC, k: 5, perturbation: 0.05 },
      Rng.create(3),
    );
    const kinds = samples.filter((s) => s.lineage.length > 0).map((s) => s.lineage[0]!);
    const noise = kinds.filter((step) => (step.params as { kind: string }).kind === 'noise');
    const interpolation = kinds.filter((step) => (step.params as { kind: string }).kind === 'interpolation');
    expect(noise.length).toBeGreaterThan(0);
    expect(interpolation.length).toBeGreaterThan(0);
    for (const step of noise) expect(step.parents).toHaveLength(1);
  });
});

describe('mlsmote', () => {
  const labelled: TabularSample[] = base.map((s) => {
    const [x0, x1] = [s.payload.values.x0 as number, s.payload.values.x1 as number];
    return { ...s, label: ['a', ...(x1 > 0 ? ['b'] : []), ...(x0 > 1 ? ['c'] : [])].join('|') };
  });
  const lById = new Map(labelled.map((s) => [s.id, s]));

  it('grows only from rows of minority labels, each new row carrying the labels at least half its seed and neighbours carry', () => {
    const { samples, report } = resample(
      labelled,
      { method: 'mlsmote', columns: NUMERIC, k: 4 },
      Rng.create(1),
    );
    expect(report.before.c).toBeLessThan(report.before.a!);
    const made = samples.filter((s) => s.lineage.length > 0);
    expect(made.length).toBe(report.before.c);
    for (const sample of made) {
      const step = sample.lineage[0]!;
      const group = step.parents.map((id) => String(lById.get(id)!.label).split('|'));
      expect(group[0]).toContain('c');
      const expected = ['a', 'b', 'c'].filter(
        (l) => l === 'c' || group.filter((g) => g.includes(l)).length * 2 >= group.length,
      );
      expect(String(sample.label).split('|')).toEqual(expected);
    }
  });
});
