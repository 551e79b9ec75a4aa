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

/**
 * Learning-curve families for the test error e(n) (Viering and Loog 2022; LCDB, Mohr et al. 2022):
 * - `pow3`: a n^-b + c, a power law with an asymptote (Hestness et al. 2017),
 * - `pow2`: a n^-b, a power law down to zero error,
 * - `exp3`: a e^(-b n) + c, an exponential approach to an asymptote,
 * - `log2`: a - b ln n, error falling linearly in log n.
 */
export type CurveFamily = 'pow3' | 'pow2' | 'exp3' | 'log2';

export const CURVE_FAMILIES: readonly CurveFamily[] = ['pow2', 'log2', 'pow3', 'exp3'];

/** Free parameters per family (for choosing, and for the fewest sizes a fit needs). */
export const FAMILY_PARAMETERS: { readonly [F in CurveFamily]: number } = {
  pow2: 2,
  log2: 2,
  pow3: 3,
  exp3: 3,
};

export interface FamilyFit {
  family: CurveFamily;
  a: number;
  b: number;
  c: number;
  rmse: number;
}

/** The error a fitted curve predicts at `n` (not clipped). */
export function curveError(p: Pick<FamilyFit, 'family' | 'a' | 'b' | 'c'>, n: number): number {
  switch (p.family) {
    case 'pow3':
    case 'pow2':
      return p.a * n ** -p.b + p.c;
    case 'exp3':
      return p.a * Math.exp(-p.b * n) + p.c;
    case 'log2':
      return p.a - p.b * Math.log(n);
  }
}

/** The error the curve tends to as n grows: c, or 0 for a curve that falls forever. */
export function curveAsymptote(p: Pick<FamilyFit, 'family' | 'c'>): number {
  return p.family === 'pow3' || p.family === 'exp3' ? p.c : 0;
}

/** Where the curve reaches `error` (found by bisection on log n), or null if it never does. */
export function curveSizeForError(
  p: Pick<FamilyFit, 'family' | 'a' | 'b' | 'c'>,
  error: number,
): number | null {
  if (p.family === 'pow3' || p.family === 'pow2') return sizeForError(p, error);
  if (p.family === 'log2') {
    if (!(p.b > 0)) return null;
    const n = Math.exp((p.a - error) / p.b);
    return Number.isFinite(n) && n > 0 ? n : null;
  }
  if (!(error > p.c) || !(p.a > 0) || !(p.b > 0)) return null;
  const n = Math.log(p.a / (error - p.c)) / p.b;
  return n > 0 ? n : null;
}

/** Least squares of y = a x + c over x with c in [cMin, cMax] (or fixed at 0) and a >= 0. */
function linearWithIntercept(
  xs: readonly number[],
  ys: readonly number[],
  intercept: 'free' | 'zero',
  cMax: number,
): { a: number; c: number; sse: number } {
  const k = xs.length;
  const sx = xs.reduce((s, x) => s + x, 0);
  const sy = ys.reduce((s, y) => s + y, 0);
  const sxx = xs.reduce((s, x) => s + x * x, 0);
  const sxy = xs.reduce((s, x, i) => s + x * ys[i]!, 0);
  let a: number;
  let c: number;
  if (intercept === 'zero') {
    c = 0;
    a = sxx === 0 ? 0 : Math.max(0, sxy / sxx);
  } else {
    const det = k * sxx - sx * sx;
    a = det === 0 ? 0 : (k * sxy - sx * sy) / det;
    c = (sy - a * sx) / k;
    if (c < 0 || c > cMax || a < 0) {
      c = Math.min(Math.max(c, 0), Math.max(cMax, 0));
      a = sxx === 0 ? 0 : Math.max(0, (sxy - c * sx) / sxx);
    }
  }
  let sse = 0;
  for (let i = 0; i < k; i++) sse += (a * xs[i]! + c - ys[i]!) ** 2;
  return { a, c, sse };
}

/** Minimizes `f` over a log-spaced grid of [lo, hi], then refines by golden-section search. */
function minimizeLog(f: (x: number) => number, lo: number, hi: number, steps: number): number {
  const la = Math.log(lo);
  const lb = Math.log(hi);
  let best = lo;
  let bestValue = Number.POSITIVE_INFINITY;
  for (let i = 0; i <= steps; i++) {
    const x = Math.exp(la + ((lb - la) * i) / steps);
    const v = f(x);
    if (v < bestValue) {
      bestValue = v;
      best = x;
    }
  }
  const step = (lb - la) / steps;
  let a = Math.log(best) - step;
  let b = Math.log(best) + step;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const m1 = b - ratio * (b - a);
    const m2 = a + ratio * (b - a);
    if (f(Math.exp(m1)) < f(Math.exp(m2))) b = m2;
    else a = m1;
  }
  const refined = Math.exp((a + b) / 2);
  return f(refined) <= bestValue ? refined : best;
}

/** Least-squares fit of one family to (size, error) points; null without enough distinct sizes. */
export function fitFamily(
  family: CurveFamily,
  sizes: readonly number[],
  errors: readonly number[],
): FamilyFit | null {
  const points = sizes
    .map((n, i) => [n, errors[i]!] as const)
    .filter(([n, e]) => n > 0 && Number.isFinite(e));
  if (new Set(points.map(([n]) => n)).size < FAMILY_PARAMETERS[family]) return null;
  const ns = points.map(([n]) => n);
  const ys = points.map(([, e]) => e);
  const k = points.length;
  if (family === 'log2') {
    const xs = ns.map((n) => Math.log(n));
    const mx = xs.reduce((s, x) => s + x, 0) / k;
    const my = ys.reduce((s, y) => s + y, 0) / k;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < k; i++) {
      sxx += (xs[i]! - mx) ** 2;
      sxy += (xs[i]! - mx) * (ys[i]! - my);
    }
    const b = sxx === 0 ? 0 : Math.max(0, -sxy / sxx);
    const a = my + b * mx;
    let sse = 0;
    for (let i = 0; i < k; i++) sse += (a - b * xs[i]! - ys[i]!) ** 2;
    return { family, a, b, c: 0, rmse: Math.sqrt(sse / k) };
  }
  if (family === 'pow3') {
    const p = fitPowerLaw(ns, ys);
    return p ? { family, ...p } : null;
  }
  const minErr = Math.min(...ys);
  const transform =
    family === 'exp3' ? (n: number, b: number) => Math.exp(-b * n) : (n: number, b: number) => n ** -b;
  const solve = (b: number) =>
    linearWithIntercept(
      ns.map((n) => transform(n, b)),
      ys,
      family === 'pow2' ? 'zero' : 'free',
      minErr,
    );
  const [lo, hi] =
    family === 'exp3' ? [0.05 / Math.max(...ns), 20 / Math.min(...ns)] : ([0.005, 3] as [number, number]);
  const b = minimizeLog((x) => solve(x).sse, lo, hi, 240);
  const { a, c, sse } = solve(b);
  return { family, a, b, c, rmse: Math.sqrt(sse / k) };
}

/** A family's error at the largest size when fitted on the smaller ones. */
export interface HeldOutScore {
  family: CurveFamily;
  /** |predicted - observed| test error at the largest size; null when too few sizes to fit. */
  error: number | null;
}

/**
 * Chooses a family by how well it predicts the largest size from the smaller ones (fitted on all
 * but the largest, scored on it). Ties within `tolerance` go to the simpler family. Returns null
 * with fewer than three sizes (nothing would be left to check a fit on).
 */
export function chooseFamily(
  sizes: readonly number[],
  errors: readonly number[],
  tolerance = 0.002,
): { family: CurveFamily; scores: HeldOutScore[] } | null {
  const order = sizes.map((n, i) => [n, errors[i]!] as const).sort((x, y) => x[0] - y[0]);
  if (order.length < 3) return null;
  const [lastN, lastE] = order[order.length - 1]!;
  const head = order.slice(0, -1);
  const scores: HeldOutScore[] = CURVE_FAMILIES.map((family) => {
    const fit = fitFamily(
      family,
      head.map(([n]) => n),
      head.map(([, e]) => e),
    );
    return { family, error: fit ? Math.abs(curveError(fit, lastN) - lastE) : null };
  });
  const scored = scores.filter((s): s is { family: CurveFamily; error: number } => s.error !== null);
  if (scored.length === 0) return null;
  const best = Math.min(...scored.map((s) => s.error));
  // CURVE_FAMILIES lists the simpler families first.
  const family = scored.find((s) => s.error <= best + tolerance)!.family;
  return { family, scores };
}

/** How a curve behaves over the measured sizes. */
export type CurveShape = 'monotone' | 'non-monotone' | 'peaking';

/**
 * Flags a curve whose mean accuracy falls between two sizes by more than noise: `peaking` when
 * the best size is not the largest and the largest is clearly below it, `non-monotone` for any
 * other clear drop. Noise is two standard errors of the difference of two means, each from its
 * spread over seeds, floored by the binomial noise of `testItems` items.
 */
export function curveShape(
  points: readonly { trainSize: number; mean: number; std: number; n: number }[],
  testItems: number,
): CurveShape {
  const ps = [...points]
    .filter((p) => p.n > 0 && Number.isFinite(p.mean))
    .sort((a, b) => a.trainSize - b.trainSize);
  const se = (p: (typeof ps)[number]) =>
    Math.max(p.std / Math.sqrt(p.n), Math.sqrt(Math.max(p.mean * (1 - p.mean), 0.0025) / (testItems * p.n)));
  const clearDrop = (i: number, j: number) =>
    ps[i]!.mean - ps[j]!.mean > 2 * Math.hypot(se(ps[i]!), se(ps[j]!));
  const peak = ps.reduce((best, p, i) => (p.mean > ps[best]!.mean ? i : best), 0);
  if (ps.length >= 3 && peak < ps.length - 1 && clearDrop(peak, ps.length - 1)) return 'peaking';
  for (let i = 0; i < ps.length; i++)
    for (let j = i + 1; j < ps.length; j++) if (clearDrop(i, j)) return 'non-monotone';
  return 'monotone';
}

export interface BootstrapCurve {
  fit: FamilyFit;
  interval: { a: [number, number]; b: [number, number]; c: [number, number] };
  /** Accuracy at each requested size with its 95% bootstrap band. */
  predictions: { trainSize: number; accuracy: number; low: number; high: number }[];
  /** Accuracy the curve tends to, with its band; null for families without an asymptote. */
  asymptote: { accuracy: number; low: number; high: number } | null;
}

/**
 * Fits `family` to per-size mean errors, then refits it `rounds` times on bootstrap resamples of
 * the seeds at every size for percentile bands of the parameters, predictions and asymptote.
 */
export function bootstrapCurve(
  family: CurveFamily,
  accuracyBySize: ReadonlyMap<number, readonly number[]>,
  rng: Rng,
  options: { rounds?: number; predictAt?: readonly number[] } = {},
): BootstrapCurve | null {
  const sizes = [...accuracyBySize.keys()].sort((x, y) => x - y);
  const meanErr = (values: readonly number[]) => 1 - values.reduce((s, v) => s + v, 0) / values.length;
  const fit = fitFamily(
    family,
    sizes,
    sizes.map((n) => meanErr(accuracyBySize.get(n)!)),
  );
  if (!fit) return null;
  const rounds = options.rounds ?? 200;
  const predictAt = options.predictAt ?? [];
  const params: { a: number[]; b: number[]; c: number[] } = { a: [], b: [], c: [] };
  const predictions: number[][] = predictAt.map(() => []);
  const asymptotes: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const errs = sizes.map((n) => {
      const values = accuracyBySize.get(n)!;
      return meanErr(values.map(() => values[rng.int(0, values.length - 1)]!));
    });
    const f = fitFamily(family, sizes, errs);
    if (!f) continue;
    params.a.push(f.a);
    params.b.push(f.b);
    params.c.push(f.c);
    asymptotes.push(1 - curveAsymptote(f));
    predictAt.forEach((n, i) => {
      predictions[i]!.push(clampAccuracy(1 - curveError(f, n)));
    });
  }
  const band = (xs: number[], point: number): [number, number] =>
    xs.length === 0 ? [point, point] : [percentile(xs, 0.025), percentile(xs, 0.975)];
  const hasAsymptote = family === 'pow3' || family === 'exp3';
  const asymptote = 1 - curveAsymptote(fit);
  return {
    fit,
    interval: { a: band(params.a, fit.a), b: band(params.b, fit.b), c: band(params.c, fit.c) },
    predictions: predictAt.map((n, i) => {
      const accuracy = clampAccuracy(1 - curveError(fit, n));
      const [low, high] = band(predictions[i]!, accuracy);
      return { trainSize: n, accuracy, low: Math.min(low, accuracy), high: Math.max(high, accuracy) };
    }),
    asymptote: hasAsymptote
      ? (() => {
          const [low, high] = band(asymptotes, asymptote);
          return { accuracy: asymptote, low: Math.min(low, asymptote), high: Math.max(high, asymptote) };
        })()
      : null,
  };
}

const clampAccuracy = (x: number) => Math.min(1, Math.max(0, x));

/** The formula of a fitted curve, for people. */
export function curveFormula(p: Pick<FamilyFit, 'family' | 'a' | 'b' | 'c'>): string {
  const num = (x: number, d = 3) => Number(x.toPrecision(d)).toString();
  switch (p.family) {
    case 'pow3':
      return `err(n) = ${num(p.a)}·n^-${num(p.b)} + ${num(p.c)}`;
    case 'pow2':
      return `err(n) = ${num(p.a)}·n^-${num(p.b)}`;
    case 'exp3':
      return `err(n) = ${num(p.a)}·e^(-${num(p.b)}·n) + ${num(p.c)}`;
    case 'log2':
      return `err(n) = ${num(p.a)} - ${num(p.b)}·ln n`;
  }
}
