import { describe, expect, it } from 'vitest';
import { foldIndices, indicesByClass, Rng, stratifiedFolds, stratifiedSplitIndices } from '../src/index.ts';

// Class sizes 10, 7, 2 and 1: rounding, the one-held-out floor and the never-all ceiling all show.
const y = Int32Array.from([...Array(10).fill(0), ...Array(7).fill(1), 2, 2, 3]);

describe('stratifiedSplitIndices (class indices, per-class rounding)', () => {
  it('holds out round(fraction * size) of each class, at least one of two or more, never the last', () => {
    const { train, test } = stratifiedSplitIndices(y, 4, 0.3, Rng.create(1));
    const held = (c: number) => test.filter((i) => y[i] === c).length;
    expect([held(0), held(1), held(2), held(3)]).toEqual([3, 2, 1, 0]);
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(Array.from(y, (_, i) => i));
    expect(train).toEqual([...train].sort((a, b) => a - b));
    expect(test).toEqual([...test].sort((a, b) => a - b));
  });

  it('draws the same split for the same seed and another for another seed', () => {
    const a = stratifiedSplitIndices(y, 4, 0.3, Rng.create(1));
    expect(stratifiedSplitIndices(y, 4, 0.3, Rng.create(1))).toEqual(a);
    expect(stratifiedSplitIndices(y, 4, 0.3, Rng.create(2)).test).not.toEqual(a.test);
  });
});

describe('stratifiedFolds', () => {
  it('spreads every class over the folds within one sample, and foldIndices partitions the rows', () => {
    const fold = stratifiedFolds(y, 4, 3, Rng.create(5));
    indicesByClass(y, 4).forEach((members) => {
      const counts = [0, 1, 2].map((f) => members.filter((i) => fold[i] === f).length);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    });
    const { train, test } = foldIndices(fold, 1);
    expect(train.length + test.length).toBe(y.length);
    expect(test.every((i) => fold[i] === 1) && train.every((i) => fold[i] !== 1)).toBe(true);
  });
});
