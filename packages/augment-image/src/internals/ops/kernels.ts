/** A 1-D Gaussian kernel of radius ceil(3 sigma), normalized to sum to 1. */
export function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    kernel[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum;
  return kernel;
}

/**
 * The 1-D Gaussian libvips' `gaussblur` convolves with when sharp runs `blur(sigma)` (integer
 * precision, `min_ampl` 0.2): weights rint(20 exp(-x^2 / 2 sigma^2)) out to the last x whose
 * amplitude is at least `minAmpl` of the peak (so sigma below ~0.56 gives the identity),
 * normalized to sum to 1. The planner uses it where it blurs on typed arrays in place of libvips.
 */
export function vipsGaussianKernel(sigma: number, minAmpl = 0.2): Float64Array {
  const sig2 = 2 * sigma * sigma;
  const maxX = Math.trunc(Math.min(Math.max(8 * sigma, 0), 5000));
  let x = 0;
  while (x < maxX && Math.exp(-(x * x) / sig2) >= minAmpl) x++;
  const radius = Math.max(x - 1, 0);
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.round(20 * Math.exp(-(i * i) / sig2));
    kernel[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum || 1;
  return kernel;
}

/**
 * A motion-blur kernel: a line of `size` px through the centre at `angle` degrees, drawn with
 * sub-pixel weights and normalized to sum to 1.
 */
export function motionKernel(
  size: number,
  angle: number,
): { width: number; height: number; kernel: number[] } {
  const kernel = new Array<number>(size * size).fill(0);
  const c = (size - 1) / 2;
  const t = (angle * Math.PI) / 180;
  const dx = Math.cos(t);
  const dy = -Math.sin(t);
  const samples = size * 8;
  for (let k = 0; k <= samples; k++) {
    const s = -c + (2 * c * k) / samples;
    const x = c + s * dx;
    const y = c + s * dy;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    splat(kernel, size, x0, y0, (1 - fx) * (1 - fy));
    splat(kernel, size, x0 + 1, y0, fx * (1 - fy));
    splat(kernel, size, x0, y0 + 1, (1 - fx) * fy);
    splat(kernel, size, x0 + 1, y0 + 1, fx * fy);
  }
  const sum = kernel.reduce((a, b) => a + b, 0);
  return { width: size, height: size, kernel: kernel.map((v) => v / sum) };
}

function splat(kernel: number[], size: number, x: number, y: number, w: number): void {
  if (x < 0 || y < 0 || x >= size || y >= size || w === 0) return;
  kernel[y * size + x]! += w;
}

/**
 * The 3x3 sharpening kernel of albumentations' Sharpen: identity blended with a Laplacian
 * emphasis by `alpha`; `lightness` is the weight of the centre beyond the Laplacian (1 keeps the
 * mean brightness).
 */
export function sharpenKernel(
  alpha: number,
  lightness: number,
): { width: number; height: number; kernel: number[] } {
  const effect = [-1, -1, -1, -1, 8 + lightness, -1, -1, -1, -1];
  const identity = [0, 0, 0, 0, 1, 0, 0, 0, 0];
  return { width: 3, height: 3, kernel: identity.map((v, i) => (1 - alpha) * v + alpha * effect[i]!) };
}

export function kernelSum(kernel: readonly number[]): number {
  let s = 0;
  for (const v of kernel) s += v;
  return s;
}
