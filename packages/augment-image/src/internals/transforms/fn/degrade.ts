import { Rng } from '@growset/core';
import type { FloatImage } from '../../engine/js/filters.ts';
import type { PixelContext } from '../../engine/js/pixel.ts';
import { gaussianKernel } from '../../ops/kernels.ts';

/**
 * Downscale then upscale back (albumentations' Downscale, loss of detail): the image is
 * shrunk to round(scale * size) by averaging the source pixels whose centres fall in each
 * small cell (area interpolation), then enlarged back with nearest neighbour, so every pixel
 * shows the mean of its cell.
 */
export function downscale(image: FloatImage, scale: number): FloatImage {
  const { width: W, height: H, channels, data } = image;
  const w = Math.max(1, Math.round(W * scale));
  const h = Math.max(1, Math.round(H * scale));
  const sums = new Float64Array(w * h * channels);
  const counts = new Float64Array(w * h);
  const cellX = (x: number) => Math.min(w - 1, Math.floor(((x + 0.5) * w) / W));
  const cellY = (y: number) => Math.min(h - 1, Math.floor(((y + 0.5) * h) / H));
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const cell = cellY(y) * w + cellX(x);
      counts[cell]!++;
      for (let c = 0; c < channels; c++) sums[cell * channels + c]! += data[(y * W + x) * channels + c]!;
    }
  const out = new Float32Array(data.length);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const cell = cellY(y) * w + cellX(x);
      for (let c = 0; c < channels; c++)
        out[(y * W + x) * channels + c] = sums[cell * channels + c]! / counts[cell]!;
    }
  return { data: out, width: W, height: H, channels };
}

/** Bilinear taps along one axis: for each output index, the two source indices and the weight of the second. */
function taps(size: number, centre: number, f: number): { i0: Int32Array; i1: Int32Array; w: Float32Array } {
  const i0 = new Int32Array(size);
  const i1 = new Int32Array(size);
  const w = new Float32Array(size);
  for (let k = 0; k < size; k++) {
    const s = Math.min(size - 1, Math.max(0, centre + (k + 0.5 - centre) / f - 0.5));
    const a = Math.min(Math.floor(s), Math.max(0, size - 2));
    i0[k] = a;
    i1[k] = Math.min(a + 1, size - 1);
    w[k] = s - a;
  }
  return { i0, i1, w };
}

/**
 * albumentations' ZoomBlur: the mean of the image and copies of it zoomed about the centre by
 * each factor in `factors` (a copy zoomed by f shows, at p, the image at c + (p - c) / f; bilinear,
 * borders replicated). The sampling is separable: taps are computed once per row and column.
 */
export function zoomBlur(image: FloatImage, factors: readonly number[]): FloatImage {
  const { width: W, height: H, channels, data } = image;
  const out = new Float32Array(data);
  for (const f of factors) {
    const tx = taps(W, W / 2, f);
    const ty = taps(H, H / 2, f);
    for (let y = 0; y < H; y++) {
      const r0 = ty.i0[y]! * W;
      const r1 = ty.i1[y]! * W;
      const wy = ty.w[y]!;
      for (let x = 0; x < W; x++) {
        const wx = tx.w[x]!;
        const a = (r0 + tx.i0[x]!) * channels;
        const b = (r0 + tx.i1[x]!) * channels;
        const c = (r1 + tx.i0[x]!) * channels;
        const d = (r1 + tx.i1[x]!) * channels;
        const o = (y * W + x) * channels;
        for (let ch = 0; ch < channels; ch++) {
          const top = data[a + ch]! + (data[b + ch]! - data[a + ch]!) * wx;
          const bottom = data[c + ch]! + (data[d + ch]! - data[c + ch]!) * wx;
          out[o + ch]! += top + (bottom - top) * wy;
        }
      }
    }
  }
  const k = factors.length + 1;
  for (let i = 0; i < out.length; i++) out[i]! /= k;
  return { data: out, width: W, height: H, channels };
}

/** The zoom factors of ZoomBlur: 1 + step, 1 + 2 step, ... below `max`. */
export function zoomFactors(max: number, step: number): number[] {
  const out: number[] = [];
  for (let k = 1; 1 + k * step < max && out.length < 200; k++) out.push(1 + k * step);
  return out;
}

/**
 * albumentations' Defocus kernel: a disc of `radius` px (x^2 + y^2 <= r^2), normalized, smoothed
 * by a Gaussian of `aliasBlur` px (none at 0).
 */
export function defocusKernel(
  radius: number,
  aliasBlur: number,
): { width: number; height: number; kernel: number[] } {
  const size = 2 * radius + 1;
  let disc = new Float64Array(size * size);
  let count = 0;
  for (let y = -radius; y <= radius; y++)
    for (let x = -radius; x <= radius; x++)
      if (x * x + y * y <= radius * radius) {
        disc[(y + radius) * size + x + radius] = 1;
        count++;
      }
  for (let i = 0; i < disc.length; i++) disc[i]! /= count;
  if (aliasBlur > 0) {
    const g = gaussianKernel(aliasBlur);
    const r = (g.length - 1) / 2;
    const smooth = (src: Float64Array, horizontal: boolean) => {
      const dst = new Float64Array(src.length);
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++) {
          let s = 0;
          for (let k = -r; k <= r; k++) {
            const xx = horizontal ? x + k : x;
            const yy = horizontal ? y : y + k;
            if (xx < 0 || yy < 0 || xx >= size || yy >= size) continue;
            s += g[k + r]! * src[yy * size + xx]!;
          }
          dst[y * size + x] = s;
        }
      return dst;
    };
    disc = smooth(smooth(disc, true), false);
    const total = disc.reduce((a, b) => a + b, 0);
    for (let i = 0; i < disc.length; i++) disc[i]! /= total;
  }
  return { width: size, height: size, kernel: Array.from(disc) };
}

// RGB (0..1) <-> HLS as OpenCV's float conversion (H in degrees).
function rgbToHls(r: number, g: number, b: number): [number, number, number] {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  if (max === min) return [0, l, 0];
  const d = max - min;
  const s = l < 0.5 ? d / (max + min) : d / (2 - max - min);
  let h = max === r ? (g - b) / d : max === g ? 2 + (b - r) / d : 4 + (r - g) / d;
  h *= 60;
  if (h < 0) h += 360;
  return [h, l, s];
}

function hlsToRgb(h: number, l: number, s: number): [number, number, number] {
  if (s === 0) return [l, l, l];
  const q = l <= 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t0: number) => {
    let t = t0;
    if (t < 0) t += 360;
    if (t >= 360) t -= 360;
    if (t < 60) return p + ((q - p) * t) / 60;
    if (t < 180) return q;
    if (t < 240) return p + ((q - p) * (240 - t)) / 60;
    return p;
  };
  return [channel(h + 120), channel(h), channel(h - 120)];
}

/**
 * Poisson(lambda) draws by inversion of a cumulative table built once (lambda is the same for
 * every pixel): one uniform and a binary search per draw.
 */
function poissonSampler(lambda: number): (rng: Rng) => number {
  if (!(lambda > 0)) return () => 0;
  const cdf: number[] = [];
  let p = Math.exp(-lambda);
  let sum = p;
  cdf.push(sum);
  const top = lambda + 12 * Math.sqrt(lambda) + 20;
  for (let k = 1; k < top; k++) {
    p *= lambda / k;
    sum += p;
    cdf.push(sum);
  }
  return (rng) => {
    const u = rng.float() * sum;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * albumentations' ISONoise (camera sensor noise) on RGB: in HLS, hue gets N(0, colorShift * 360 *
 * intensity) degrees per pixel, and lightness L gets + (P / 255) (1 - L) with P ~ Poisson(std(L) *
 * intensity * 255), std(L) over the image. The noise comes from `seed`. Grey images are left as
 * they are (the noise is defined on colour).
 */
export function isoNoise(
  image: FloatImage,
  intensity: number,
  colorShift: number,
  seed: number,
  ctx: PixelContext,
): FloatImage {
  const out = { ...image, data: new Float32Array(image.data) };
  if (ctx.colour !== 3) return out;
  const { data, channels } = out;
  const n = out.width * out.height;
  const hls = new Float64Array(n * 3);
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const k = i * channels;
    const v = rgbToHls(data[k]! / ctx.max, data[k + 1]! / ctx.max, data[k + 2]! / ctx.max);
    hls.set(v, i * 3);
    sum += v[1];
    sq += v[1] * v[1];
  }
  const stdL = Math.sqrt(Math.max(0, sq / n - (sum / n) ** 2));
  const rng = Rng.create(`isoNoise:${seed}`);
  const poisson = poissonSampler(stdL * intensity * 255);
  const hueStd = colorShift * 360 * intensity;
  for (let i = 0; i < n; i++) {
    let h = hls[i * 3]! + rng.normal(0, hueStd);
    if (h < 0) h += 360;
    if (h > 360) h -= 360;
    const l0 = hls[i * 3 + 1]!;
    const l = l0 + (poisson(rng) / 255) * (1 - l0);
    const rgb = hlsToRgb(h, l, hls[i * 3 + 2]!);
    for (let c = 0; c < 3; c++) data[i * channels + c] = rgb[c]! * ctx.max;
  }
  return out;
}

export { hlsToRgb, rgbToHls };
