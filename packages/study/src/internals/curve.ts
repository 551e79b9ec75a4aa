import type { Rng } from '@growset/core';
import { percentile } from './stats.ts';

/** Parameters of err(n) = a * n^(-b) + c. */
export interface PowerLaw {
  a: number;
  b: number;
  c: number;
  /** Root mean squared error on the fitted points. */
  rmse: number;
}

export function powerLawError(p: Pick<PowerLaw, 'a' | 'b' | 'c'>, n: number): number {
  return p.a * n ** -p.b + p.c;
}

/**
 * Least-squares fit of err(n) = a * n^(-b) + c with a >= 0, 0 <= c <= min(err) (Hestness et al.
 * 2017). For a fixed exponent b the model is linear in (a, c), solved exactly; b is found by a
 * grid over [0.01, 3] refined by golden-section search. Needs at least 3 distinct sizes.
 */
export function fitPowerLaw(sizes: readonly number[], errors: readonly number[]): PowerLaw | null {
  const points = sizes
    .map((n, i) => [n, errors[i]!] as const)
    .filter(([n, e]) => n > 0 && Number.isFinite(e));
  if (new Set(points.map(([n]) => n)).size < 3) return null;
  const minErr = Math.min(...points.map(([, e]) => e));
  const solve = (b: number): PowerLaw => {
    const xs = points.map(([n]) => n ** -b);
    const ys = points.map(([, e]) => e);
    const k = xs.length;
    const sx = xs.reduce((s, x) => s + x, 0);
    const sy = ys.reduce((s, y) => s + y, 0);
    const sxx = xs.reduce((s, x) => s + x * x, 0);
    const sxy = xs.reduce((s, x, i) => s + x * ys[i]!, 0);
    const det = k * sxx - sx * sx;
    let a = det === 0 ? 0 : (k * sxy - sx * sy) / det;
    let c = (sy - a * sx) / k;
    // Constraints: c within [0, min error], a >= 0; re-solve a for a clamped c.
    if (c < 0 || c > minErr || a < 0) {
      c = Math.min(Math.max(c, 0), Math.max(minErr, 0));
      a = sxx === 0 ? 0 : Math.max(0, (sxy - c * sx) / sxx);
    }
    let sse = 0;
    for (let i = 0; i < k; i++) sse += (a * xs[i]! + c - ys[i]!) ** 2;
    return { a, b, c, rmse: Math.sqrt(sse / k) };
  };
  let best = solve(0.01);
  for (let b = 0.02; b <= 3.0001; b += 0.01) {
    const candidate = solve(b);
    if (candidate.rmse < best.rmse) best = candidate;
  }
  // Golden-section refinement around the best grid point.
  let lo = Math.max(0.001, best.b - 0.01);
  let hi = best.b + 0.01;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const m1 = hi - ratio * (hi - lo);
    const m2 = lo + ratio * (hi - lo);
    if (solve(m1).rmse < solve(m2).rmse) hi = m2;
    else lo = m1;
  }
  const refined = solve((lo + hi) / 2);
  return refined.rmse <= best.rmse ? refined : best;
}

/** The size at which the curve reaches `error`, or null if it never does (error <= c). */
export function sizeForError(p: Pick<PowerLaw, 'a' | 'b' | 'c'>, error: number): number | null {
  if (!(error > p.c) || p.a <= 0 || p.b <= 0) return null;
  return (p.a / (error - p.c)) ** (1 / p.b);
}

export interface BootstrapFit {
  fit: PowerLaw;
  interval: { a: [number, number]; b: [number, number]; c: [number, number] };
  /** Accuracy predicted at each requested size with its 95% bootstrap band. */
  predictions: { trainSize: number; accuracy: number; low: number; high: number }[];
}

/**
 * Fits the curve to per-size means, then refits `rounds` times on bootstrap resamples of the seeds
 * at every size to get percentile intervals of the parameters and of the predictions.
 */
export function bootstrapPowerLaw(
  accuracyBySize: ReadonlyMap<number, readonly number[]>,
  rng: Rng,
  options: { rounds?: number; predictAt?: readonly number[] } = {},
): BootstrapFit | null {
  const sizes = [...accuracyBySize.keys()].sort((x, y) => x - y);
  const meanErr = (values: readonly number[]) => 1 - values.reduce((s, v) => s + v, 0) / values.length;
  const fit = fitPowerLaw(
    sizes,
    sizes.map((n) => meanErr(accuracyBySize.get(n)!)),
  );
  if (!fit) return null;
  const rounds = options.rounds ?? 200;
  const predictAt = options.predictAt ?? [];
  const params: { a: number[]; b: number[]; c: number[] } = { a: [], b: [], c: [] };
  const predictions: number[][] = predictAt.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const errs = sizes.map((n) => {
      const values = accuracyBySize.get(n)!;
      const resampled = values.map(() => values[rng.int(0, values.length - 1)]!);
      return meanErr(resampled);
    });
    const f = fitPowerLaw(sizes, errs);
    if (!f) continue;
    params.a.push(f.a);
    params.b.push(f.b);
    params.c.push(f.c);
    predictAt.forEach((n, i) => {
      predictions[i]!.push(1 - powerLawError(f, n));
    });
  }
  const band = (xs: number[]): [number, number] => [percentile(xs, 0.025), percentile(xs, 0.975)];
  return {
    fit,
    interval: { a: band(params.a), b: band(params.b), c: band(params.c) },
    predictions: predictAt.map((n, i) => ({
      trainSize: n,
      accuracy: 1 - powerLawError(fit, n),
      low: percentile(predictions[i]!, 0.025),
      high: percentile(predictions[i]!, 0.975),
    })),
  };
}
