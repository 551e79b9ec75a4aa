import { Rng } from '@growset/core';
import { type FoldedColour, foldForGrey } from '../../ops/colour.ts';
import type { EraseOp, NoiseOp, NormalizeOp } from '../../ops/types.ts';
import type { FloatImage } from './filters.ts';

/**
 * Pointwise pixel ops on float images in the image's own units (0..255 for uint8, 0..65535 for
 * uint16, 0..1 for float32). `unit` converts 8-bit units to those; `colour` is the number of
 * colour channels (alpha, when present, is the last channel and is left alone).
 */
export interface PixelContext {
  unit: number;
  max: number;
  colour: 1 | 3;
}

export function applyColour(image: FloatImage, folded: FoldedColour, ctx: PixelContext): void {
  const { data, channels } = image;
  const n = image.width * image.height;
  if (ctx.colour === 1) {
    const { scale, offset } = foldForGrey(folded);
    const b = offset * ctx.unit;
    for (let i = 0; i < n; i++) data[i * channels] = data[i * channels]! * scale + b;
    return;
  }
  const m = folded.matrix;
  const b0 = folded.offset[0]! * ctx.unit;
  const b1 = folded.offset[1]! * ctx.unit;
  const b2 = folded.offset[2]! * ctx.unit;
  for (let i = 0; i < n; i++) {
    const k = i * channels;
    const r = data[k]!;
    const g = data[k + 1]!;
    const b = data[k + 2]!;
    data[k] = m[0]! * r + m[1]! * g + m[2]! * b + b0;
    data[k + 1] = m[3]! * r + m[4]! * g + m[5]! * b + b1;
    data[k + 2] = m[6]! * r + m[7]! * g + m[8]! * b + b2;
  }
}

/** Mean of each colour channel in 8-bit units (grey images repeat theirs three times). */
export function meanColour(image: FloatImage, ctx: PixelContext): number[] {
  const { data, channels } = image;
  const n = image.width * image.height;
  const sums = [0, 0, 0];
  for (let i = 0; i < n; i++) for (let c = 0; c < ctx.colour; c++) sums[c]! += data[i * channels + c]!;
  const means = sums.map((s) => s / n / ctx.unit);
  return ctx.colour === 1 ? [means[0]!, means[0]!, means[0]!] : means;
}

export function clampColour(image: FloatImage, ctx: PixelContext): void {
  const { data } = image;
  const max = ctx.max;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < 0) data[i] = 0;
    else if (v > max) data[i] = max;
  }
}

function forColour(image: FloatImage, ctx: PixelContext, fn: (v: number) => number): void {
  const { data, channels } = image;
  const n = image.width * image.height;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < ctx.colour; c++) data[i * channels + c] = fn(data[i * channels + c]!);
}

export function applyGamma(image: FloatImage, gamma: number, ctx: PixelContext): void {
  forColour(image, ctx, (v) => ctx.max * (Math.max(0, v) / ctx.max) ** gamma);
}

/** Keeps the top `bits` bits of each 8-bit value. */
export function applyPosterize(image: FloatImage, bits: number, ctx: PixelContext): void {
  const mask = 0xff & ~((1 << (8 - bits)) - 1);
  forColour(image, ctx, (v) => (Math.min(255, Math.max(0, Math.round(v / ctx.unit))) & mask) * ctx.unit);
}

/** Histogram equalization of each colour channel over 256 levels (as cv2.equalizeHist). */
export function applyEqualize(image: FloatImage, ctx: PixelContext): void {
  const { data, channels } = image;
  const n = image.width * image.height;
  for (let c = 0; c < ctx.colour; c++) {
    const hist = new Float64Array(256);
    const level = (v: number) => Math.min(255, Math.max(0, Math.round(v / ctx.unit)));
    for (let i = 0; i < n; i++) hist[level(data[i * channels + c]!)]! += 1;
    let cdfMin = 0;
    for (let i = 0; i < 256; i++)
      if (hist[i]! > 0) {
        cdfMin = hist[i]!;
        break;
      }
    const lut = new Float64Array(256);
    let cdf = 0;
    for (let i = 0; i < 256; i++) {
      cdf += hist[i]!;
      lut[i] = n === cdfMin ? i : Math.round(((cdf - cdfMin) / (n - cdfMin)) * 255);
    }
    for (let i = 0; i < n; i++) data[i * channels + c] = lut[level(data[i * channels + c]!)]! * ctx.unit;
  }
}

/** Adds Gaussian noise drawn from the op's seed (Box-Muller on the core generator). */
export function applyNoise(image: FloatImage, op: NoiseOp, ctx: PixelContext): void {
  const rng = Rng.create(`noise:${op.seed}`);
  const { data, channels } = image;
  const n = image.width * image.height;
  const std = op.std * ctx.max;
  const mean = op.mean * ctx.max;
  let spare = Number.NaN;
  const normal = () => {
    if (!Number.isNaN(spare)) {
      const v = spare;
      spare = Number.NaN;
      return v;
    }
    const u = (rng.nextUint32() + 1) / 4294967297;
    const t = (2 * Math.PI * rng.nextUint32()) / 4294967296;
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
  for (let i = 0; i < n; i++) {
    const shared = op.perChannel ? 0 : normal() * std + mean;
    for (let c = 0; c < ctx.colour; c++)
      data[i * channels + c]! += op.perChannel ? normal() * std + mean : shared;
  }
}

export function applyErase(image: FloatImage, op: EraseOp, ctx: PixelContext): void {
  const { data, channels, width, height } = image;
  const rng = Rng.create(`erase:${op.seed}`);
  for (const rect of op.rects) {
    const x0 = Math.max(0, Math.round(rect.x));
    const y0 = Math.max(0, Math.round(rect.y));
    const x1 = Math.min(width, Math.round(rect.x + rect.width));
    const y1 = Math.min(height, Math.round(rect.y + rect.height));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const base = (y * width + x) * channels;
        for (let c = 0; c < ctx.colour; c++) {
          data[base + c] =
            op.fill === 'random'
              ? (rng.nextUint32() / 4294967295) * ctx.max
              : (op.fill.length === 1 ? op.fill[0]! : (op.fill[c] ?? 0)) * ctx.unit;
        }
      }
    }
  }
}

/** (v / maxPixelValue - mean) / std on colour channels; alpha becomes v / maxPixelValue. */
export function applyNormalize(image: FloatImage, op: NormalizeOp, ctx: PixelContext): void {
  const { data, channels } = image;
  const n = image.width * image.height;
  const pick = (values: readonly number[], c: number) => (values.length === 1 ? values[0]! : values[c]!);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < channels; c++) {
      const k = i * channels + c;
      const v = data[k]! / op.maxPixelValue;
      data[k] = c < ctx.colour ? (v - pick(op.mean, c)) / pick(op.std, c) : v;
    }
  }
}
