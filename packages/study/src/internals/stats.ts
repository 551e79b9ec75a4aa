import type { Spread } from './types.ts';

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n - 1); 0 for a single value. */
export function std(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom; 1.96 beyond. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(df: number): number {
  if (df < 1) return Number.NaN;
  return T975[df - 1] ?? 1.96;
}

/**
 * Mean, standard deviation and 95% confidence interval of the mean (Student t), the interval
 * clipped to `bounds` when given (an accuracy's mean cannot leave [0, 1], however few the seeds).
 */
export function spread(xs: readonly number[], bounds?: readonly [number, number]): Spread {
  const m = mean(xs);
  const s = std(xs);
  if (xs.length < 2) return { mean: m, std: s, ci95: [m, m], n: xs.length };
  const half = (tQuantile975(xs.length - 1) * s) / Math.sqrt(xs.length);
  const lo = bounds ? Math.max(bounds[0], m - half) : m - half;
  const hi = bounds ? Math.min(bounds[1], m + half) : m + half;
  return { mean: m, std: s, ci95: [lo, hi], n: xs.length };
}

/** Linear-interpolated percentile, p in [0, 1]. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
