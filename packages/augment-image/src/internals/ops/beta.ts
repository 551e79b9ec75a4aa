import type { Rng } from '@growset/core';

/** A Gamma(shape, 1) draw (Marsaglia and Tsang 2000; shape < 1 by the boost U^(1/shape)). */
export function gammaSample(rng: Rng, shape: number): number {
  if (shape < 1) {
    const u = 1 - rng.float();
    return gammaSample(rng, shape + 1) * u ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.float();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(a, b) draw as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function betaSample(rng: Rng, a: number, b: number): number {
  const x = gammaSample(rng, a);
  const y = gammaSample(rng, b);
  return x + y === 0 ? 0.5 : x / (x + y);
}
