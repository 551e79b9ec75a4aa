import type { Cell } from '@growset/core';

/** Arithmetic mean; `undefined` for no values. */
export function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Population standard deviation (numpy's default, `ddof=0`); `undefined` for no values. */
export function std(values: readonly number[]): number | undefined {
  const m = mean(values);
  if (m === undefined) return undefined;
  let sum = 0;
  for (const v of values) sum += (v - m) * (v - m);
  return Math.sqrt(sum / values.length);
}

/**
 * The `q` quantile (0..1) with linear interpolation between closest ranks (numpy's default
 * `linear` method). `sorted` must be in ascending order.
 */
export function quantileSorted(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower]!;
  const b = sorted[upper]!;
  return a + (b - a) * (position - lower);
}

/** Median (the 0.5 quantile). */
export function median(values: readonly number[]): number | undefined {
  return quantileSorted(sortNumbers(values), 0.5);
}

/** A sorted copy. */
export function sortNumbers(values: readonly number[]): number[] {
  return Array.from(Float64Array.from(values).sort());
}

/**
 * The most frequent value; among equally frequent values, the one that reached that count first
 * (so the result depends only on the data and its order, which is reproducible).
 */
export function mode(values: readonly Cell[]): Cell | undefined {
  const counts = new Map<Cell, number>();
  let best: Cell | undefined;
  let bestCount = 0;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > bestCount) {
      best = v;
      bestCount = n;
    }
  }
  return best;
}
