import { DataError, type Rng } from '@growset/core';
import { kNearestNeighbors } from '@growset/tables';
import type { Relevance } from '../options.ts';
import { distanceFeatures, gatherRows } from '../table/encode.ts';
import {
  type MethodContext,
  type MethodResult,
  requireNumericOnly,
  rowNumeric,
  type SyntheticRow,
} from './common.ts';

/** The numeric target of every row: its label read as a number. */
function targets(ctx: MethodContext<'smoter' | 'smogn'>): Float64Array {
  const { table } = ctx;
  return Float64Array.from(table.classOf, (c) => {
    const value = Number(table.classes[c]);
    if (table.classes[c]!.trim() === '' || !Number.isFinite(value)) {
      throw new DataError(
        'non-numeric target',
        `${ctx.options.method} needs numeric targets (the label is the value to predict); got \`${table.classes[c]}\``,
      );
    }
    return value;
  });
}

/**
 * Relevance of each target in [0, 1]. `'density'`: one minus the Gaussian kernel density of the
 * target (Silverman's bandwidth) rescaled to [0, 1], so the rarest values get 1 (DenseWeight,
 * Steininger et al., 2021, with alpha = 1). Control points: piecewise-linear through `[y, relevance]`
 * pairs (flat beyond the ends). A function: called per value, clipped to [0, 1].
 */
export function relevanceOf(y: Float64Array, relevance: Relevance): Float64Array {
  const n = y.length;
  if (typeof relevance === 'function') return y.map((v) => Math.min(1, Math.max(0, relevance(v))));
  if (typeof relevance === 'object') {
    const points = [...relevance.points].sort((a, b) => a[0] - b[0]);
    return y.map((v) => {
      if (v <= points[0]![0]) return points[0]![1];
      for (let p = 1; p < points.length; p++) {
        const [x1, r1] = points[p]!;
        const [x0, r0] = points[p - 1]!;
        if (v <= x1) return x1 === x0 ? r1 : r0 + ((v - x0) / (x1 - x0)) * (r1 - r0);
      }
      return points[points.length - 1]![1];
    });
  }
  const sorted = Float64Array.from(y).sort();
  const mean = y.reduce((a, b) => a + b, 0) / (n || 1);
  const std = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
  const quantile = (q: number) => {
    const at = q * (n - 1);
    const lo = Math.floor(at);
    return sorted[lo]! + (at - lo) * ((sorted[Math.min(n - 1, lo + 1)] ?? sorted[lo]!) - sorted[lo]!);
  };
  const iqr = n > 1 ? quantile(0.75) - quantile(0.25) : 0;
  const spread = Math.min(std, iqr / 1.34) || std || 1;
  const h = 0.9 * spread * n ** -0.2;
  const density = y.map((v) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(-0.5 * ((v - y[j]!) / h) ** 2);
    return s;
  });
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const d of density) {
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
  }
  return density.map((d) => (hi > lo ? 1 - (d - lo) / (hi - lo) : 0));
}

interface Bin {
  readonly rare: boolean;
  /** Rows, ascending by target. */
  readonly rows: number[];
  readonly name: string;
}

/** Runs of consecutive targets (in sorted order) that are all rare or all normal. */
function bins(y: Float64Array, relevance: Float64Array, threshold: number): Bin[] {
  const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => y[a]! - y[b]! || a - b);
  const out: { rare: boolean; rows: number[] }[] = [];
  for (const i of order) {
    const rare = relevance[i]! >= threshold;
    const last = out[out.length - 1];
    if (last && last.rare === rare) last.rows.push(i);
    else out.push({ rare, rows: [i] });
  }
  return out.map((b) => ({
    ...b,
    name: `${b.rare ? 'rare' : 'normal'} [${y[b.rows[0]!]}, ${y[b.rows[b.rows.length - 1]!]}]`,
  }));
}

/**
 * SMOTER (Torgo et al., 2013) and SMOGN (Branco, Torgo and Ribeiro, 2017) for regression: the
 * label is the numeric target. Rows whose target relevance reaches `threshold` are rare; runs of
 * rare (or normal) targets form bins. Rare bins grow by SMOTE inside the bin, the new target being
 * the average of the two parents' targets weighted by the inverse of their distance to the new
 * row; normal bins are under-sampled at random. SMOGN interpolates only towards neighbours within
 * half the median distance of the seed's k neighbours, and otherwise adds Gaussian noise
 * (`perturbation` times each column's standard deviation, target included).
 */
export function regressionSmote(ctx: MethodContext<'smoter' | 'smogn'>, optionsType: string): MethodResult {
  requireNumericOnly(ctx, optionsType);
  const { table, options } = ctx;
  const dims = table.schema.numeric.length;
  const y = targets(ctx);
  const features = distanceFeatures(table, options.standardize);
  const groups = bins(y, relevanceOf(y, options.relevance), options.threshold);
  if (!groups.some((b) => b.rare))
    ctx.warnings.push(
      `${options.method}: no target is rare (relevance >= ${options.threshold}); nothing to grow`,
    );
  const keep = new Uint8Array(table.n).fill(1);
  const synthetic: SyntheticRow[] = [];
  const even = Math.round(table.n / groups.length);
  const after: number[] = [];
  const columnStd = (values: Float64Array) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    let v = 0;
    for (let i = 0; i < values.length; i++) v += (values[i]! - mean) ** 2;
    return Math.sqrt(v / values.length);
  };
  const stdX = Array.from({ length: dims }, (_, j) =>
    columnStd(Float64Array.from({ length: table.n }, (_, i) => table.numeric[i * dims + j]!)),
  );
  const stdY = columnStd(y);
  groups.forEach((bin, b) => {
    const size = bin.rows.length;
    const target =
      options.amounts === 'balance'
        ? bin.rare
          ? Math.max(size, even)
          : Math.min(size, even)
        : Math.round(size * (bin.rare ? options.amounts.over : options.amounts.under));
    const rng = ctx.rng.fork(`bin:${b}`);
    if (!bin.rare || target <= size) {
      if (target < size) {
        for (const row of bin.rows) keep[row] = 0;
        for (const row of rng.sample(bin.rows, Math.max(0, target))) keep[row] = 1;
      }
      after.push(Math.min(size, target));
      return;
    }
    const count = target - size;
    after.push(target);
    const rows = Int32Array.from(bin.rows);
    const k = Math.min(options.k, size - 1);
    if (k < 1) {
      ctx.warnings.push(`bin \`${bin.name}\` has a single row: ${options.method} copied it`);
      for (let s = 0; s < count; s++) {
        synthetic.push({
          cls: table.classOf[rows[0]!]!,
          parents: [rows[0]!],
          numeric: null,
          codes: null,
          label: String(y[rows[0]!]),
          params: { bin: bin.name },
        });
      }
      return;
    }
    const neighbors = kNearestNeighbors(gatherRows(features, dims, rows), dims, k);
    for (let s = 0; s < count; s++)
      synthetic.push(makeRow(ctx, rng, rows, neighbors, k, y, features, dims, stdX, stdY, bin.name));
  });
  return {
    keep,
    synthetic,
    groups: { names: groups.map((b) => b.name), before: groups.map((b) => b.rows.length), after },
  };
}

function makeRow(
  ctx: MethodContext<'smoter' | 'smogn'>,
  rng: Rng,
  rows: Int32Array,
  neighbors: { indices: Int32Array; distances: Float64Array },
  k: number,
  y: Float64Array,
  features: Float64Array,
  dims: number,
  stdX: number[],
  stdY: number,
  bin: string,
): SyntheticRow {
  const { table, options } = ctx;
  const p = rng.int(0, rows.length - 1);
  const base = rows[p]!;
  const pick = rng.int(0, k - 1);
  const neighbor = rows[neighbors.indices[p * k + pick]!]!;
  const cls = table.classOf[base]!;
  if (options.method === 'smogn') {
    const distances = Array.from(neighbors.distances.subarray(p * k, p * k + k), Math.sqrt).sort(
      (a, b) => a - b,
    );
    const median =
      distances.length % 2 === 1
        ? distances[distances.length >> 1]!
        : (distances[distances.length / 2 - 1]! + distances[distances.length / 2]!) / 2;
    if (Math.sqrt(neighbors.distances[p * k + pick]!) >= median / 2) {
      const numeric = rowNumeric(table, base).map(
        (v, j) => v + rng.normal() * options.perturbation * stdX[j]!,
      );
      const target = y[base]! + rng.normal() * options.perturbation * stdY;
      return {
        cls,
        parents: [base],
        numeric,
        codes: null,
        label: String(target),
        params: { bin, kind: 'noise', perturbation: options.perturbation },
      };
    }
  }
  const gap = rng.float();
  const a = rowNumeric(table, base);
  const b = rowNumeric(table, neighbor);
  const numeric = a.map((v, j) => v + gap * (b[j]! - v));
  // Distances of the new row to both parents, in the space the neighbours were found in.
  let d1 = 0;
  let d2 = 0;
  for (let j = 0; j < dims; j++) {
    const fa = features[base * dims + j]!;
    const fb = features[neighbor * dims + j]!;
    const f = fa + gap * (fb - fa);
    d1 += (f - fa) ** 2;
    d2 += (f - fb) ** 2;
  }
  d1 = Math.sqrt(d1);
  d2 = Math.sqrt(d2);
  const target =
    d1 + d2 === 0 ? (y[base]! + y[neighbor]!) / 2 : (d2 * y[base]! + d1 * y[neighbor]!) / (d1 + d2);
  return {
    cls,
    parents: [base, neighbor],
    numeric,
    codes: null,
    label: String(target),
    params: { bin, k, gap, kind: 'interpolation' },
  };
}
