/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Student t quantile for a 95% two-sided interval; the normal 1.96 beyond 30 degrees of freedom. */
export function t975(degreesOfFreedom: number): number {
  return T975[degreesOfFreedom - 1] ?? 1.96;
}

export interface MeanInterval {
  mean: number;
  /** 95% interval of the mean; NaN bounds with fewer than two values. */
  low: number;
  high: number;
  n: number;
}

/** Mean and 95% Student-t interval of the mean. */
export function meanInterval(values: readonly number[]): MeanInterval {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, low: Number.NaN, high: Number.NaN, n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, low: Number.NaN, high: Number.NaN, n };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  const half = (t975(n - 1) * Math.sqrt(variance)) / Math.sqrt(n);
  return { mean, low: mean - half, high: mean + half, n };
}

/** `count` sizes spaced evenly on a log scale from `from` to `to` (inclusive). */
export function logSpace(from: number, to: number, count: number): number[] {
  if (!(from > 0) || !(to > from) || count < 2) return from > 0 ? [from] : [];
  const a = Math.log(from);
  const step = (Math.log(to) - a) / (count - 1);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? to : Math.exp(a + i * step)));
}

export function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
