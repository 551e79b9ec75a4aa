import type { Rng } from '@growset/core';

/** log of a Gamma(shape, 1) draw (Marsaglia and Tsang, 2000); in logs so tiny shapes cannot underflow. */
export function logGamma(rng: Rng, shape: number): number {
  if (shape < 1) {
    // Gamma(a) = Gamma(a + 1) * U^(1/a)
    let u = rng.float();
    while (u === 0) u = rng.float();
    return logGamma(rng, shape + 1) + Math.log(u) / shape;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = rng.float();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
      return Math.log(d * v);
    }
  }
}

/** A Beta(a, b) draw, as `X / (X + Y)` with X ~ Gamma(a), Y ~ Gamma(b). */
export function beta(rng: Rng, a: number, b: number): number {
  const x = logGamma(rng, a);
  const y = logGamma(rng, b);
  return 1 / (1 + Math.exp(y - x));
}

/**
 * How many outputs each of `n` inputs produces when `total` are wanted and every input should be
 * used about equally: `floor(total / n)` each, plus one for a random subset of the remainder.
 */
export function spread(rng: Rng, total: number, n: number): Int32Array {
  const out = new Int32Array(n).fill(Math.floor(total / n));
  const rest = total % n;
  if (rest > 0) {
    const order = rng.permutation(n);
    for (let r = 0; r < rest; r++) out[order[r]!]! += 1;
  }
  return out;
}

/**
 * Splits `total` in proportion to `weights` into integers that add up to `total` exactly
 * (largest remainders; ties go to the lower index).
 */
export function apportion(total: number, weights: Float64Array): Int32Array {
  const n = weights.length;
  const out = new Int32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i]!;
  if (n === 0 || sum <= 0) return out;
  const remainders = new Float64Array(n);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const quota = (total * weights[i]!) / sum;
    out[i] = Math.floor(quota);
    remainders[i] = quota - out[i]!;
    given += out[i]!;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => remainders[b]! - remainders[a]! || a - b,
  );
  for (let r = 0; given < total; r++, given++) out[order[r % n]!]! += 1;
  return out;
}
