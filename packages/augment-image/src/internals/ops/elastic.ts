import { Rng } from '@growset/core';
import { gaussianKernel } from './kernels.ts';

/** Displacements per output pixel, in pixels: the pixel at p samples the input at p + (dx, dy). */
export interface DisplacementField {
  readonly width: number;
  readonly height: number;
  readonly dx: Float32Array;
  readonly dy: Float32Array;
}

const cache = new Map<string, DisplacementField>();
const CACHE_LIMIT = 64;

/**
 * The displacement field of Simard et al. (2003): uniform noise in [-1, 1] per pixel, smoothed
 * by a Gaussian of `sigma` px (zero outside the image, as scipy's `mode='constant'` in the
 * usual implementation), scaled by `alpha`. Drawn from `seed` alone, so replaying the
 * recorded seed gives the same field. Recent fields are cached (they are pure).
 */
export function elasticField(
  width: number,
  height: number,
  alpha: number,
  sigma: number,
  seed: number,
): DisplacementField {
  const key = `${width}x${height}:${alpha}:${sigma}:${seed}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const noiseX = new Float32Array(width * height);
  const noiseY = new Float32Array(width * height);
  uniformNoise(Rng.create(`elastic:${seed}`), noiseX, noiseY);
  const kernel = gaussianKernel(sigma);
  const dx = smoothZeroBorder(noiseX, width, height, kernel, alpha);
  const dy = smoothZeroBorder(noiseY, width, height, kernel, alpha);
  const field = { width, height, dx, dy };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, field);
  return field;
}

/**
 * Fills both arrays with uniform noise in [-1, 1], interleaved. A function of its own: inside
 * `elasticField` this hot loop got the caller compiled by on-stack replacement, and that code then
 * bailed out on every call at the cache eviction below it (hundreds of times per study).
 */
function uniformNoise(rng: Rng, noiseX: Float32Array, noiseY: Float32Array): void {
  for (let i = 0; i < noiseX.length; i++) {
    noiseX[i] = (rng.nextUint32() / 4294967296) * 2 - 1;
    noiseY[i] = (rng.nextUint32() / 4294967296) * 2 - 1;
  }
}

/** Separable convolution with zero outside the image, times `scale` (rows, then columns). */
function smoothZeroBorder(
  src: Float32Array,
  width: number,
  height: number,
  kernel: Float64Array,
  scale: number,
): Float32Array {
  const r = (kernel.length - 1) / 2;
  const tmp = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const lo = Math.max(0, x - r);
      const hi = Math.min(width - 1, x + r);
      let sum = 0;
      for (let j = lo; j <= hi; j++) sum += kernel[j - x + r]! * src[row + j]!;
      tmp[row + x] = sum;
    }
  }
  // Columns: accumulate whole rows (contiguous memory) weighted by the kernel.
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const lo = Math.max(0, y - r);
    const hi = Math.min(height - 1, y + r);
    const o = y * width;
    for (let j = lo; j <= hi; j++) {
      const w = kernel[j - y + r]! * scale;
      const row = j * width;
      for (let x = 0; x < width; x++) out[o + x]! += w * tmp[row + x]!;
    }
  }
  return out;
}

/**
 * The displacement at a continuous edge-coordinate point, bilinear between pixel centres,
 * written into `out` (no allocation: called per pixel).
 */
export function displacementInto(field: DisplacementField, x: number, y: number, out: Float64Array): void {
  const { width, height, dx, dy } = field;
  const sx = Math.min(width - 1, Math.max(0, x - 0.5));
  const sy = Math.min(height - 1, Math.max(0, y - 0.5));
  const x0 = Math.min(Math.floor(sx), Math.max(0, width - 2));
  const y0 = Math.min(Math.floor(sy), Math.max(0, height - 2));
  const x1 = Math.min(x0 + 1, width - 1);
  const y1 = Math.min(y0 + 1, height - 1);
  const fx = sx - x0;
  const fy = sy - y0;
  const i00 = y0 * width + x0;
  const i10 = y0 * width + x1;
  const i01 = y1 * width + x0;
  const i11 = y1 * width + x1;
  const w00 = (1 - fx) * (1 - fy);
  const w10 = fx * (1 - fy);
  const w01 = (1 - fx) * fy;
  const w11 = fx * fy;
  out[0] = dx[i00]! * w00 + dx[i10]! * w10 + dx[i01]! * w01 + dx[i11]! * w11;
  out[1] = dy[i00]! * w00 + dy[i10]! * w10 + dy[i01]! * w01 + dy[i11]! * w11;
}
