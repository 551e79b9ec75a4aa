import { displacementInto, elasticField } from '../ops/elastic.ts';
import type { Border, GeometricOp, Interpolation } from '../ops/types.ts';
import {
  type Affine,
  applyAffine,
  applyHomography,
  type Homography,
  invert,
  invertHomography,
} from './matrix.ts';

/** One geometric op with the canvas it reads from: maps points both ways. */
export interface WarpStage {
  readonly op: GeometricOp;
  /** Input canvas of the op. */
  readonly inWidth: number;
  readonly inHeight: number;
  /** Output point to input point (where an output pixel samples), written into `out`. */
  inverse(x: number, y: number, out: Float64Array): void;
  /** Input point to output point (where a keypoint goes). */
  forward(x: number, y: number): [number, number];
}

/** The stages of a chain of geometric ops starting from a `width` x `height` canvas. */
export function warpStages(ops: readonly GeometricOp[], width: number, height: number): WarpStage[] {
  const stages: WarpStage[] = [];
  let w = width;
  let h = height;
  for (const op of ops) {
    stages.push(stageOf(op, w, h));
    w = op.width;
    h = op.height;
  }
  return stages;
}

function stageOf(op: GeometricOp, inWidth: number, inHeight: number): WarpStage {
  switch (op.op) {
    case 'affine': {
      const m: Affine = op.matrix;
      const [a, b, c, d, e, f] = invert(m);
      return {
        op,
        inWidth,
        inHeight,
        inverse: (x, y, out) => {
          out[0] = a * x + b * y + c;
          out[1] = d * x + e * y + f;
        },
        forward: (x, y) => applyAffine(m, x, y),
      };
    }
    case 'perspective': {
      const m: Homography = op.matrix;
      const inv = invertHomography(m);
      return {
        op,
        inWidth,
        inHeight,
        inverse: (x, y, out) => {
          const w = inv[6] * x + inv[7] * y + inv[8];
          out[0] = (inv[0] * x + inv[1] * y + inv[2]) / w;
          out[1] = (inv[3] * x + inv[4] * y + inv[5]) / w;
        },
        forward: (x, y) => applyHomography(m, x, y),
      };
    }
    case 'map': {
      return {
        op,
        inWidth,
        inHeight,
        inverse: (x, y, out) => op.inverse(x, y, out),
        forward: (x, y) => solveInverse((px, py, d) => op.inverse(px, py, d), x, y),
      };
    }
    case 'elastic': {
      const field = elasticField(op.width, op.height, op.alpha, op.sigma, op.seed);
      return {
        op,
        inWidth,
        inHeight,
        inverse: (x, y, out) => {
          displacementInto(field, x, y, out);
          out[0] = out[0]! + x;
          out[1] = out[1]! + y;
        },
        // Solve p + d(p) = q by fixed-point iteration; d is smooth, so this converges fast.
        forward: (x, y) => {
          let px = x;
          let py = y;
          const d = new Float64Array(2);
          for (let k = 0; k < 20; k++) {
            displacementInto(field, px, py, d);
            const nx = x - d[0]!;
            const ny = y - d[1]!;
            const done = Math.abs(nx - px) < 1e-4 && Math.abs(ny - py) < 1e-4;
            px = nx;
            py = ny;
            if (done) break;
          }
          return [px, py];
        },
      };
    }
  }
}

/** Brings a coordinate back onto [0, size] with the border rule, or returns NaN for `constant`. */
export function borderCoordinate(v: number, size: number, border: Border): number {
  if (v >= 0 && v <= size) return v;
  if (border === 'constant') return Number.NaN;
  if (border === 'replicate') return v < 0 ? 0 : size;
  const period = 2 * size;
  let m = v % period;
  if (m < 0) m += period;
  return m > size ? period - m : m;
}

/** The best interpolation asked for by a chain of warps (a fused warp samples only once). */
export function bestInterpolation(ops: readonly GeometricOp[]): Interpolation {
  if (ops.some((op) => op.interpolation === 'bicubic')) return 'bicubic';
  if (ops.some((op) => op.interpolation === 'bilinear')) return 'bilinear';
  return 'nearest';
}

/**
 * The p with inverse(p) = q, by fixed-point iteration p <- p + (q - inverse(p)) (converges for
 * maps close to a shift, as grid and optical distortions are).
 */
function solveInverse(
  inverse: (x: number, y: number, out: Float64Array) => void,
  x: number,
  y: number,
): [number, number] {
  let px = x;
  let py = y;
  const d = new Float64Array(2);
  for (let k = 0; k < 50; k++) {
    inverse(px, py, d);
    const ex = x - d[0]!;
    const ey = y - d[1]!;
    px += ex;
    py += ey;
    if (Math.abs(ex) < 1e-5 && Math.abs(ey) < 1e-5) break;
  }
  return [px, py];
}
