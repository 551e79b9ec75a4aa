import type { Rng } from '@growset/core';

/** Float32-representable uniform values in [lo, hi) (so float32 and float64 start from the same numbers). */
export function uniform32(rng: Rng, size: number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: size }, () => rng.uniform(lo, hi));
}

/** Product of a shape's sizes. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** One-hot rows for `n` samples (class `i % k`), or soft rows (random positive, summing to 1). */
export function targetRows(rng: Rng, n: number, k: number, soft: boolean): Float32Array {
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    if (!soft) {
      out[i * k + (i % k)] = 1;
      continue;
    }
    let sum = 0;
    for (let j = 0; j < k; j++) {
      out[i * k + j] = rng.uniform(0.05, 1);
      sum += out[i * k + j]!;
    }
    for (let j = 0; j < k; j++) out[i * k + j] = out[i * k + j]! / sum;
  }
  return out;
}
