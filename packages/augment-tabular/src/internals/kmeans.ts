import type { Rng } from '@growset/core';
import { kNearestNeighbors } from '@growset/tables';

export interface KMeansResult {
  /** `k x dims`, row-major. */
  readonly centroids: Float64Array;
  /** Cluster of each point. */
  readonly assignment: Int32Array;
  /** Lloyd iterations run. */
  readonly iterations: number;
}

function squaredDistance(a: Float64Array, ao: number, b: Float64Array, bo: number, dims: number): number {
  let s = 0;
  for (let j = 0; j < dims; j++) {
    const t = a[ao + j]! - b[bo + j]!;
    s += t * t;
  }
  return s;
}

/**
 * k-means (Lloyd) with k-means++ seeding, on `n x dims` row-major points; `k <= n`. Ties go to the
 * lower cluster. An emptied cluster is re-seeded with the point farthest from its centroid among
 * clusters of two or more points, so no cluster ends empty. Stops when assignments stop changing.
 */
export function kMeans(points: Float64Array, dims: number, k: number, rng: Rng, maxIter = 300): KMeansResult {
  const n = points.length / dims;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k must be from 1 to ${n}, got ${k}`);
  const centroids = new Float64Array(k * dims);
  // k-means++: each next centre drawn with probability proportional to the squared distance to the nearest one.
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let pick = rng.int(0, n - 1);
  for (let c = 0; c < k; c++) {
    centroids.set(points.subarray(pick * dims, pick * dims + dims), c * dims);
    if (c === k - 1) break;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = squaredDistance(points, i * dims, centroids, c * dims, dims);
      if (d < nearest[i]!) nearest[i] = d;
      total += nearest[i]!;
    }
    if (total === 0) {
      pick = rng.int(0, n - 1);
      continue;
    }
    let target = rng.float() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      target -= nearest[i]!;
      if (target < 0) {
        pick = i;
        break;
      }
    }
  }
  const assignment = new Int32Array(n).fill(-1);
  const sizes = new Int32Array(k);
  const gap = new Float64Array(n);
  let iterations = 0;
  for (; iterations < maxIter; iterations++) {
    let changed = false;
    // The nearest centroid of every point: the package's exact neighbour search (ties: lower cluster).
    const nearest = kNearestNeighbors(centroids, dims, 1, { queries: points });
    for (let i = 0; i < n; i++) {
      const best = nearest.indices[i]!;
      gap[i] = nearest.distances[i]!;
      if (assignment[i] !== best) {
        assignment[i] = best;
        changed = true;
      }
    }
    sizes.fill(0);
    for (let i = 0; i < n; i++) sizes[assignment[i]!]! += 1;
    for (let c = 0; c < k; c++) {
      if (sizes[c]! > 0) continue;
      let far = -1;
      for (let i = 0; i < n; i++) if (sizes[assignment[i]!]! > 1 && (far < 0 || gap[i]! > gap[far]!)) far = i;
      sizes[assignment[far]!]! -= 1;
      assignment[far] = c;
      sizes[c] = 1;
      gap[far] = 0;
      changed = true;
    }
    centroids.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignment[i]!;
      for (let j = 0; j < dims; j++) centroids[c * dims + j]! += points[i * dims + j]!;
    }
    for (let c = 0; c < k; c++) for (let j = 0; j < dims; j++) centroids[c * dims + j]! /= sizes[c]!;
    if (!changed) break;
  }
  return { centroids, assignment, iterations };
}
