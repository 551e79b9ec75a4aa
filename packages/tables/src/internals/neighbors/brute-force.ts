import type { Neighbors } from './knn.ts';

/**
 * The plain exact reference: for every query, the squared Euclidean distance to every point in a
 * double loop, keeping the k best in a sorted list (ties broken by the lower index). Used by the
 * tests as the oracle and by the benchmark as the baseline.
 */
export function bruteForceNeighbors(
  points: Float64Array,
  dims: number,
  k: number,
  options: { queries?: Float64Array; self?: Int32Array } = {},
): Neighbors {
  const queries = options.queries ?? points;
  const n = points.length / dims;
  const m = queries.length / dims;
  const indices = new Int32Array(m * k).fill(-1);
  const distances = new Float64Array(m * k).fill(Number.POSITIVE_INFINITY);
  for (let q = 0; q < m; q++) {
    const self = options.self ? options.self[q]! : options.queries ? -1 : q;
    const qo = q * dims;
    const base = q * k;
    for (let p = 0; p < n; p++) {
      if (p === self) continue;
      const po = p * dims;
      let s = 0;
      for (let j = 0; j < dims; j++) {
        const t = queries[qo + j]! - points[po + j]!;
        s += t * t;
      }
      if (s < distances[base + k - 1]!) {
        let u = k - 1;
        while (u > 0 && distances[base + u - 1]! > s) {
          distances[base + u] = distances[base + u - 1]!;
          indices[base + u] = indices[base + u - 1]!;
          u--;
        }
        distances[base + u] = s;
        indices[base + u] = p;
      }
    }
  }
  return { k, indices, distances };
}
