import { plainMemory } from './wasm-api.ts';
import type { ScanKernel } from './wasm-kernel.ts';

/**
 * The same `scan` as the WebAssembly kernel, in plain JavaScript over the same memory layout.
 * Used where WebAssembly SIMD is unavailable, and in tests to check the two agree. It accumulates
 * in float64, which is more precise than the f32 lanes, so the same error margin covers it.
 * Register-tiled: each pass keeps 4 queries x 4 points in 16 local accumulators.
 */
export function createJsScanKernel(initialPages = 1): ScanKernel {
  const memory = plainMemory(initialPages);
  return {
    memory,
    scan(qt, tiles, xt, g0, g1, d, hx, cut, out) {
      const f = new Float32Array(memory.buffer);
      const i32 = new Int32Array(memory.buffer);
      let o = out >> 2;
      let count = 0;
      const masks = [0, 0, 0, 0];
      for (let t = 0; t < tiles; t++) {
        const qBase = (qt >> 2) + t * d * 4;
        const c0 = f[(cut >> 2) + t * 4]!;
        const c1 = f[(cut >> 2) + t * 4 + 1]!;
        const c2 = f[(cut >> 2) + t * 4 + 2]!;
        const c3 = f[(cut >> 2) + t * 4 + 3]!;
        for (let g = g0; g < g1; g++) {
          masks[0] = masks[1] = masks[2] = masks[3] = 0;
          for (let half = 0; half < 2; half++) {
            const xBase = (xt >> 2) + g * d * 8 + half * 4;
            let s00 = 0,
              s01 = 0,
              s02 = 0,
              s03 = 0,
              s10 = 0,
              s11 = 0,
              s12 = 0,
              s13 = 0;
            let s20 = 0,
              s21 = 0,
              s22 = 0,
              s23 = 0,
              s30 = 0,
              s31 = 0,
              s32 = 0,
              s33 = 0;
            for (let j = 0; j < d; j++) {
              const xj = xBase + j * 8;
              const x0 = f[xj]!,
                x1 = f[xj + 1]!,
                x2 = f[xj + 2]!,
                x3 = f[xj + 3]!;
              const qj = qBase + j * 4;
              let v = f[qj]!;
              s00 += v * x0;
              s01 += v * x1;
              s02 += v * x2;
              s03 += v * x3;
              v = f[qj + 1]!;
              s10 += v * x0;
              s11 += v * x1;
              s12 += v * x2;
              s13 += v * x3;
              v = f[qj + 2]!;
              s20 += v * x0;
              s21 += v * x1;
              s22 += v * x2;
              s23 += v * x3;
              v = f[qj + 3]!;
              s30 += v * x0;
              s31 += v * x1;
              s32 += v * x2;
              s33 += v * x3;
            }
            const h = (hx >> 2) + g * 8 + half * 4;
            const h0 = f[h]!,
              h1 = f[h + 1]!,
              h2 = f[h + 2]!,
              h3 = f[h + 3]!;
            const shift = half * 4;
            masks[0]! |=
              (bit(s00 - h0 >= c0, 0) |
                bit(s01 - h1 >= c0, 1) |
                bit(s02 - h2 >= c0, 2) |
                bit(s03 - h3 >= c0, 3)) <<
              shift;
            masks[1]! |=
              (bit(s10 - h0 >= c1, 0) |
                bit(s11 - h1 >= c1, 1) |
                bit(s12 - h2 >= c1, 2) |
                bit(s13 - h3 >= c1, 3)) <<
              shift;
            masks[2]! |=
              (bit(s20 - h0 >= c2, 0) |
                bit(s21 - h1 >= c2, 1) |
                bit(s22 - h2 >= c2, 2) |
                bit(s23 - h3 >= c2, 3)) <<
              shift;
            masks[3]! |=
              (bit(s30 - h0 >= c3, 0) |
                bit(s31 - h1 >= c3, 1) |
                bit(s32 - h2 >= c3, 2) |
                bit(s33 - h3 >= c3, 3)) <<
              shift;
          }
          for (let r = 0; r < 4; r++) {
            const mask = masks[r]!;
            if (mask === 0) continue;
            i32[o] = t * 4 + r;
            i32[o + 1] = (g << 8) | mask;
            o += 2;
            count += 1;
          }
        }
      }
      return count;
    },
  };
}

function bit(on: boolean, position: number): number {
  return on ? 1 << position : 0;
}
