import { createJsScanKernel } from './js-kernel.ts';
import { createScanKernel, type ScanKernel } from './wasm-kernel.ts';

/** The k nearest points of each query, nearest first. */
export interface Neighbors {
  readonly k: number;
  /** `indices[q * k + i]`: the i-th nearest point of query q. */
  readonly indices: Int32Array;
  /** Squared Euclidean distances, same layout as `indices`. */
  readonly distances: Float64Array;
}

export interface NeighborSearchOptions {
  /** Query rows (row-major, `dims` wide). @default the points themselves, each excluding itself */
  queries?: Float64Array;
  /**
   * For each query, the index of the point it is (skipped so a point is not its own neighbour),
   * or -1. @default query i is point i when `queries` is omitted, none otherwise
   */
  self?: Int32Array;
  /** `wasm` (SIMD filter), `js` (the same filter in JavaScript) or `auto`. @default 'auto' */
  kernel?: 'auto' | 'wasm' | 'js';
}

/** Queries scanned together: 16 tiles of 4. Their cut-offs tighten between point chunks. */
const QUERY_BLOCK = 64;
/** Largest point chunk per kernel call, in groups of 8 points. */
const MAX_CHUNK_GROUPS = 64;
/** f32 unit roundoff. */
const U32 = 2 ** -24;
/** Beyond this magnitude, squares could overflow f32: use the JavaScript kernel. */
const F32_SAFE = 1e15;

/**
 * Exact k-nearest-neighbour search (squared Euclidean) on row-major float64 points.
 *
 * Blocked brute force, not a tree: at the 10-30 columns of typical tables, KD-trees and ball
 * trees visit most leaves (our measurement: a KD-tree is 2x slower than a plain loop on 20
 * isotropic columns), so every pair is scanned, but fast. A SIMD kernel computes 4 x 8 dot
 * products per step in f32 and keeps only pairs that can still enter a query's k best, using a
 * cut-off with a proven rounding margin; those candidates are re-ranked with exact float64
 * distances computed exactly like {@link bruteForceNeighbors}. The result is therefore identical
 * to the plain brute force (ties broken by the lower index), including duplicates.
 */
export function kNearestNeighbors(
  points: Float64Array,
  dims: number,
  k: number,
  options: NeighborSearchOptions = {},
): Neighbors {
  if (!Number.isInteger(dims) || dims < 1) throw new RangeError(`dims must be an integer >= 1, got ${dims}`);
  if (points.length % dims !== 0) {
    throw new RangeError(`points has ${points.length} values, not a multiple of dims=${dims}`);
  }
  const queries = options.queries ?? points;
  if (queries.length % dims !== 0) {
    throw new RangeError(`queries has ${queries.length} values, not a multiple of dims=${dims}`);
  }
  const n = points.length / dims;
  const m = queries.length / dims;
  const self = options.self ?? (options.queries ? undefined : identity(m));
  if (self && self.length !== m) throw new RangeError(`self has ${self.length} entries for ${m} queries`);
  const available = self ? n - 1 : n;
  if (!Number.isInteger(k) || k < 1 || k > available) {
    throw new RangeError(`k must be an integer from 1 to ${available} (the points available), got ${k}`);
  }

  const indices = new Int32Array(m * k).fill(-1);
  const distances = new Float64Array(m * k).fill(Number.POSITIVE_INFINITY);
  if (m === 0) return { k, indices, distances };

  let pointNorms = new Float64Array(n);
  let maxNorm = 0;
  let maxAbs = 0;
  for (let p = 0; p < n; p++) {
    let s = 0;
    for (let j = 0; j < dims; j++) {
      const v = points[p * dims + j]!;
      s += v * v;
      const a = Math.abs(v);
      if (a > maxAbs) maxAbs = a;
    }
    pointNorms[p] = s;
    if (s > maxNorm) maxNorm = s;
  }
  for (let i = 0; i < queries.length; i++) {
    const a = Math.abs(queries[i]!);
    if (a > maxAbs) maxAbs = a;
  }
  if (!Number.isFinite(maxAbs))
    throw new RangeError('points and queries must be finite numbers (no NaN or Infinity)');

  const groups = Math.ceil(n / 8);
  const tilesPerBlock = QUERY_BLOCK / 4;
  const layout = {
    xt: 0,
    hx: groups * dims * 32,
    qt: groups * dims * 32 + groups * 32,
    cut: 0,
    out: 0,
    end: 0,
  };
  layout.cut = layout.qt + tilesPerBlock * dims * 16;
  layout.out = layout.cut + QUERY_BLOCK * 4;
  layout.end = layout.out + tilesPerBlock * MAX_CHUNK_GROUPS * 8;

  const wantWasm = options.kernel !== 'js' && maxAbs <= F32_SAFE && layout.end < 2 ** 31;
  let kernel: ScanKernel | null = wantWasm ? createScanKernel() : null;
  if (!kernel && options.kernel === 'wasm') {
    throw new Error(
      maxAbs > F32_SAFE
        ? `values up to ${maxAbs} are too large for the f32 filter; use kernel 'js' or standardize`
        : 'WebAssembly SIMD is not available here',
    );
  }
  kernel ??= createJsScanKernel();
  const pagesNeeded = Math.ceil(layout.end / 65536);
  const pagesHave = kernel.memory.buffer.byteLength / 65536;
  if (pagesNeeded > pagesHave) kernel.memory.grow(pagesNeeded - pagesHave);
  const f32 = new Float32Array(kernel.memory.buffer);
  const i32 = new Int32Array(kernel.memory.buffer);

  // Points in groups of 8, dimension-major inside a group; padding lanes stay 0 and are skipped.
  const xt = layout.xt >> 2;
  f32.fill(0, xt, xt + groups * dims * 8);
  for (let p = 0; p < n; p++) {
    const base = xt + (p >> 3) * dims * 8 + (p & 7);
    for (let j = 0; j < dims; j++) f32[base + j * 8] = points[p * dims + j]!;
  }
  const hx = layout.hx >> 2;
  f32.fill(0, hx, hx + groups * 8);
  for (let p = 0; p < n; p++) f32[hx + p] = pointNorms[p]! / 2;

  // Error bound of the f32 score (dot - |x|^2 / 2) against exact arithmetic, per unit of
  // (|q|^2 + |x|^2): inputs rounded to f32 (2u), d products and sums (d u), the half norm and the
  // subtraction (2u); doubled for safety.
  const errorPerNorm = 2 * (dims + 8) * U32;
  const queryNorms = new Float64Array(QUERY_BLOCK);
  const qt = layout.qt >> 2;
  const cutAt = layout.cut >> 2;
  const outAt = layout.out >> 2;

  const refine = (q: number, p: number) => {
    const qo = q * dims;
    const po = p * dims;
    let s = 0;
    for (let j = 0; j < dims; j++) {
      const t = queries[qo + j]! - points[po + j]!;
      s += t * t;
    }
    const base = q * k;
    const last = base + k - 1;
    if (s > distances[last]! || (s === distances[last]! && p > indices[last]!)) return;
    let u = last;
    while (u > base && (distances[u - 1]! > s || (distances[u - 1] === s && indices[u - 1]! > p))) {
      distances[u] = distances[u - 1]!;
      indices[u] = indices[u - 1]!;
      u--;
    }
    distances[u] = s;
    indices[u] = p;
  };
  const setCut = (slot: number, q: number) => {
    const worst = distances[q * k + k - 1]!;
    const qn = queryNorms[slot]!;
    const exact = (qn - worst) / 2 - errorPerNorm * (qn + maxNorm) - 1e-30;
    // Round toward -infinity when storing as f32.
    f32[cutAt + slot] = Math.fround(exact - Math.abs(exact) * 2.5e-7);
  };

  for (let q0 = 0; q0 < m; q0 += QUERY_BLOCK) {
    const count = Math.min(QUERY_BLOCK, m - q0);
    const tiles = Math.ceil(count / 4);
    f32.fill(0, qt, qt + tiles * dims * 4);
    for (let slot = 0; slot < tiles * 4; slot++) {
      if (slot >= count) {
        f32[cutAt + slot] = Number.POSITIVE_INFINITY;
        continue;
      }
      const q = q0 + slot;
      let s = 0;
      const base = qt + (slot >> 2) * dims * 4 + (slot & 3);
      for (let j = 0; j < dims; j++) {
        const v = queries[q * dims + j]!;
        f32[base + j * 4] = v;
        s += v * v;
      }
      queryNorms[slot] = s;
      setCut(slot, q);
    }
    let g0 = 0;
    let chunk = 1;
    while (g0 < groups) {
      const g1 = Math.min(groups, g0 + chunk);
      const found = kernel.scan(layout.qt, tiles, layout.xt, g0, g1, dims, layout.hx, layout.cut, layout.out);
      for (let e = 0; e < found; e++) {
        const slot = i32[outAt + e * 2]!;
        const packed = i32[outAt + e * 2 + 1]!;
        const q = q0 + slot;
        const own = self ? self[q]! : -1;
        const first = (packed >>> 8) * 8;
        for (let mask = packed & 255, lane = 0; mask !== 0; mask >>>= 1, lane++) {
          if ((mask & 1) === 0) continue;
          const p = first + lane;
          if (p < n && p !== own) refine(q, p);
        }
      }
      for (let slot = 0; slot < count; slot++) setCut(slot, q0 + slot);
      g0 = g1;
      chunk = Math.min(MAX_CHUNK_GROUPS, chunk * 2);
    }
  }
  pointNorms = new Float64Array(0);
  return { k, indices, distances };
}

function identity(m: number): Int32Array {
  const out = new Int32Array(m);
  for (let i = 0; i < m; i++) out[i] = i;
  return out;
}
