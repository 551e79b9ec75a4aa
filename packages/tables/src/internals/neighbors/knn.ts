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

/**
 * Exact k-nearest-neighbour search (squared Euclidean) on row-major float64 points.
 *
 * Blocked brute force, not a tree: at the 10-30 columns of typical tables, KD-trees and ball
 * trees visit most leaves (measured: a KD-tree is 2x slower than a plain loop on 20 isotropic
 * columns), so every pair is scanned, but fast. A WebAssembly SIMD kernel computes 4 x 8 dot
 * products per step in f32 and keeps only pairs that can still enter a query's k best, using a
 * cut-off with a proven rounding margin; those candidates are re-ranked with float64 distances
 * computed exactly like {@link bruteForceNeighbors}. The result is identical to the plain brute
 * force (ties broken by the lower index), duplicates included.
 */
export function kNearestNeighbors(
  points: Float64Array,
  dims: number,
  k: number,
  options: NeighborSearchOptions = {},
): Neighbors {
  if (!Number.isInteger(dims) || dims < 1) throw new RangeError(`dims must be an integer >= 1, got ${dims}`);
  const queries = options.queries ?? points;
  for (const [what, values] of [
    ['points', points],
    ['queries', queries],
  ] as const) {
    if (values.length % dims !== 0) {
      throw new RangeError(`${what} has ${values.length} values, not a multiple of dims=${dims}`);
    }
  }
  const n = points.length / dims;
  const m = queries.length / dims;
  const self = options.self ?? (options.queries ? undefined : identity(m));
  if (self && self.length !== m) throw new RangeError(`self has ${self.length} entries for ${m} queries`);
  const available = self ? n - 1 : n;
  if (!Number.isInteger(k) || k < 1 || k > available) {
    throw new RangeError(`k must be an integer from 1 to ${available} (the points available), got ${k}`);
  }
  // The f32 filter works on copies scaled by a power of two (exact in binary) so that the largest
  // magnitude is about 1: squares cannot overflow nor ordinary values underflow, whatever the units.
  const maxAbs = Math.max(
    largestMagnitude(points, dims, 'points'),
    largestMagnitude(queries, dims, 'queries'),
  );
  const scale = maxAbs > 0 ? 2 ** -Math.round(Math.log2(maxAbs)) : 1;

  const indices = new Int32Array(m * k).fill(-1);
  const distances = new Float64Array(m * k).fill(Number.POSITIVE_INFINITY);
  if (m === 0) return { k, indices, distances };

  const groups = Math.ceil(n / 8);
  const tilesPerBlock = QUERY_BLOCK / 4;
  const at = { xt: 0, hx: groups * dims * 32, qt: 0, cut: 0, out: 0, end: 0 };
  at.qt = at.hx + groups * 32;
  at.cut = at.qt + tilesPerBlock * dims * 16;
  at.out = at.cut + QUERY_BLOCK * 4;
  at.end = at.out + tilesPerBlock * MAX_CHUNK_GROUPS * 8;

  let kernel: ScanKernel | null = options.kernel !== 'js' && at.end < 2 ** 31 ? createScanKernel() : null;
  if (!kernel && options.kernel === 'wasm') throw new Error('WebAssembly SIMD is not available here');
  kernel ??= createJsScanKernel();
  const pagesNeeded = Math.ceil(at.end / 65536);
  const pagesHave = kernel.memory.buffer.byteLength / 65536;
  if (pagesNeeded > pagesHave) kernel.memory.grow(pagesNeeded - pagesHave);
  const f32 = new Float32Array(kernel.memory.buffer);
  const i32 = new Int32Array(kernel.memory.buffer);

  // Points in groups of 8, dimension-major inside a group; padding lanes stay 0 and are skipped.
  const xt = at.xt >> 2;
  const hx = at.hx >> 2;
  f32.fill(0, xt, hx + groups * 8);
  let maxNorm = 0;
  for (let p = 0; p < n; p++) {
    const base = xt + (p >> 3) * dims * 8 + (p & 7);
    let norm = 0;
    for (let j = 0; j < dims; j++) {
      const v = points[p * dims + j]! * scale;
      f32[base + j * 8] = v;
      norm += v * v;
    }
    f32[hx + p] = norm / 2;
    if (norm > maxNorm) maxNorm = norm;
  }

  // Bound on the error of the f32 score (dot - |x|^2 / 2) against exact arithmetic, per unit of
  // |q|^2 + |x|^2: inputs rounded to f32 (2u), d products and sums (d u), the half norm and the
  // subtraction (2u); doubled for safety. Plus an absolute term for values so much smaller than
  // the largest that they underflow f32.
  const errorPerNorm = 2 * (dims + 8) * U32;
  const errorFloor = dims * 2 ** -100;
  const scale2 = scale * scale;
  const queryNorms = new Float64Array(QUERY_BLOCK);
  const qt = at.qt >> 2;
  const cutAt = at.cut >> 2;
  const outAt = at.out >> 2;

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
  /** A pair can enter query q's k best only if its score is at least this. */
  const setCut = (slot: number, q: number) => {
    const worst = distances[q * k + k - 1]! * scale2;
    const qn = queryNorms[slot]!;
    const cut = (qn - worst) / 2 - errorPerNorm * (qn + maxNorm) - errorFloor;
    // Stored as f32, rounded down.
    f32[cutAt + slot] = Math.fround(cut - Math.abs(cut) * 2.5e-7);
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
      const base = qt + (slot >> 2) * dims * 4 + (slot & 3);
      let norm = 0;
      for (let j = 0; j < dims; j++) {
        const v = queries[q * dims + j]! * scale;
        f32[base + j * 4] = v;
        norm += v * v;
      }
      queryNorms[slot] = norm;
      setCut(slot, q);
    }
    // Point chunks grow from 1 group: the first candidates set the cut-offs that prune the rest.
    for (let g0 = 0, chunk = 1; g0 < groups; chunk = Math.min(MAX_CHUNK_GROUPS, chunk * 2)) {
      const g1 = Math.min(groups, g0 + chunk);
      const found = kernel.scan(at.qt, tiles, at.xt, g0, g1, dims, at.hx, at.cut, at.out);
      for (let e = 0; e < found; e++) {
        const q = q0 + i32[outAt + e * 2]!;
        const packed = i32[outAt + e * 2 + 1]!;
        const own = self ? self[q]! : -1;
        const first = (packed >>> 8) * 8;
        for (let mask = packed & 255, lane = 0; mask !== 0; mask >>>= 1, lane++) {
          const p = first + lane;
          if ((mask & 1) !== 0 && p < n && p !== own) refine(q, p);
        }
      }
      for (let slot = 0; slot < count; slot++) setCut(slot, q0 + slot);
      g0 = g1;
    }
  }
  return { k, indices, distances };
}

function largestMagnitude(values: Float64Array, dims: number, what: string): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `${what} must be finite numbers, got ${v} in row ${Math.floor(i / dims)}, column ${i % dims}`,
      );
    }
    const a = Math.abs(v);
    if (a > max) max = a;
  }
  return max;
}

function identity(m: number): Int32Array {
  const out = new Int32Array(m);
  for (let i = 0; i < m; i++) out[i] = i;
  return out;
}
