import { Rng } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { bruteForceNeighbors, kNearestNeighbors } from '../src/index.ts';
import { createScanKernel, scanModuleBytes } from '../src/internals/neighbors/wasm-kernel.ts';

function randomPoints(rng: Rng, n: number, dims: number, kind: 'gaussian' | 'grid' | 'scaled'): Float64Array {
  const out = new Float64Array(n * dims);
  for (let i = 0; i < out.length; i++) {
    if (kind === 'grid') out[i] = rng.int(0, 2);
    else if (kind === 'scaled') out[i] = rng.normal() * 1e12;
    else out[i] = rng.normal();
  }
  return out;
}

function expectSame(actual: { indices: Int32Array; distances: Float64Array }, expected: typeof actual) {
  expect(Array.from(actual.indices)).toEqual(Array.from(expected.indices));
  expect(Array.from(actual.distances)).toEqual(Array.from(expected.distances));
}

describe('kNearestNeighbors', () => {
  it('assembles a WebAssembly SIMD module that validates and instantiates on this Node', () => {
    const wasm = (globalThis as { WebAssembly?: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(wasm?.validate(scanModuleBytes())).toBe(true);
    expect(createScanKernel()).not.toBeNull();
  });

  it('returns exactly the plain brute force (indices, distances, tie order) on 300 random tables, with both kernels', () => {
    const rng = Rng.create('knn-exact');
    for (let trial = 0; trial < 300; trial++) {
      const n = rng.int(2, 120);
      const dims = rng.int(1, 24);
      const kind = rng.choice(['gaussian', 'grid', 'scaled'] as const);
      const points = randomPoints(rng, n, dims, kind);
      const k = rng.int(1, n - 1);
      const expected = bruteForceNeighbors(points, dims, k);
      expectSame(kNearestNeighbors(points, dims, k, { kernel: 'wasm' }), expected);
      expectSame(kNearestNeighbors(points, dims, k, { kernel: 'js' }), expected);
    }
  });

  it('answers separate queries, skipping only the point each query names as itself', () => {
    const rng = Rng.create('knn-queries');
    const dims = 5;
    const points = randomPoints(rng, 200, dims, 'gaussian');
    const queries = randomPoints(rng, 37, dims, 'gaussian');
    expectSame(
      kNearestNeighbors(points, dims, 7, { queries }),
      bruteForceNeighbors(points, dims, 7, { queries }),
    );
    const rows = Int32Array.from([3, 150, 199, 0]);
    const own = new Float64Array(rows.length * dims);
    rows.forEach((row, r) => {
      own.set(points.subarray(row * dims, row * dims + dims), r * dims);
    });
    const found = kNearestNeighbors(points, dims, 4, { queries: own, self: rows });
    expectSame(found, bruteForceNeighbors(points, dims, 4, { queries: own, self: rows }));
    rows.forEach((row, r) => {
      expect(Array.from(found.indices.subarray(r * 4, r * 4 + 4))).not.toContain(row);
    });
  });

  it('handles a table of identical rows: every other row is at distance 0, nearest by index', () => {
    const points = new Float64Array(40 * 3).fill(2.5);
    const found = kNearestNeighbors(points, 3, 5);
    expect(Array.from(found.indices.subarray(0, 5))).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(found.indices.subarray(5 * 7, 5 * 8))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(found.distances).every((d) => d === 0)).toBe(true);
  });

  it('stays exact for huge and tiny magnitudes (the f32 filter is scaled by a power of two)', () => {
    const rng = Rng.create('knn-magnitudes');
    for (const factor of [1e30, 1e-30, 1e150, 1e-150]) {
      const points = randomPoints(rng, 60, 4, 'gaussian').map((v) => v * factor);
      const expected = bruteForceNeighbors(points, 4, 3);
      expectSame(kNearestNeighbors(points, 4, 3, { kernel: 'wasm' }), expected);
      expectSame(kNearestNeighbors(points, 4, 3, { kernel: 'js' }), expected);
    }
  });

  it('rejects NaN, a k larger than the points available and ragged input with clear messages', () => {
    const points = Float64Array.from([0, 1, Number.NaN, 3]);
    expect(() => kNearestNeighbors(points, 2, 1)).toThrow(
      /points must be finite numbers, got NaN in row 1, column 0/,
    );
    expect(() => kNearestNeighbors(Float64Array.from([0, 1, 2, 3]), 2, 2)).toThrow(
      /k must be an integer from 1 to 1/,
    );
    expect(() => kNearestNeighbors(Float64Array.from([0, 1, 2]), 2, 1)).toThrow(/not a multiple of dims=2/);
  });
});
