import { borderCoordinate, type WarpStage } from '../../geometry/warp.ts';
import type { Interpolation } from '../../ops/types.ts';
import type { FloatImage } from './filters.ts';

export interface RemapOptions {
  interpolation: Interpolation;
  /** Fill per stage, per channel, in the image's own units. */
  fills: readonly (readonly number[])[];
}

/**
 * Resamples `image` through a chain of warps in one pass: every output pixel centre is walked
 * back through each stage, checking that stage's canvas and border on the way (so the result
 * matches running the warps one after the other), and the source is interpolated only once.
 */
export function remap(image: FloatImage, stages: readonly WarpStage[], options: RemapOptions): FloatImage {
  const last = stages[stages.length - 1];
  if (!last) return image;
  const width = last.op.width;
  const height = last.op.height;
  const { channels } = image;
  const out = new Float32Array(width * height * channels);
  const sample = sampler(image, options.interpolation);
  const point = new Float64Array(2);
  const count = stages.length;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let px = x + 0.5;
      let py = y + 0.5;
      let filled = -1;
      for (let s = count - 1; s >= 0; s--) {
        const stage = stages[s]!;
        stage.inverse(px, py, point);
        const border = stage.op.border;
        px = borderCoordinate(point[0]!, stage.inWidth, border);
        py = borderCoordinate(point[1]!, stage.inHeight, border);
        if (Number.isNaN(px) || Number.isNaN(py)) {
          filled = s;
          break;
        }
      }
      const base = (y * width + x) * channels;
      if (filled >= 0) {
        const fill = options.fills[filled]!;
        for (let c = 0; c < channels; c++) out[base + c] = fill[c]!;
      } else {
        sample(px, py, out, base);
      }
    }
  }
  return { data: out, width, height, channels };
}

type Sampler = (x: number, y: number, out: Float32Array, offset: number) => void;

/** Interpolates at an edge-coordinate point inside [0, w] x [0, h]; neighbours are replicated. */
export function sampler(image: FloatImage, interpolation: Interpolation): Sampler {
  const { data, width, height, channels } = image;
  const maxX = width - 1;
  const maxY = height - 1;
  if (interpolation === 'nearest') {
    return (x, y, out, offset) => {
      const base =
        (Math.min(maxY, Math.max(0, Math.floor(y))) * width + Math.min(maxX, Math.max(0, Math.floor(x)))) *
        channels;
      for (let c = 0; c < channels; c++) out[offset + c] = data[base + c]!;
    };
  }
  if (interpolation === 'bilinear') {
    return (x, y, out, offset) => {
      const sx = x - 0.5;
      const sy = y - 0.5;
      const fx0 = Math.floor(sx);
      const fy0 = Math.floor(sy);
      const fx = sx - fx0;
      const fy = sy - fy0;
      const r0 = Math.min(maxY, Math.max(0, fy0)) * width;
      const r1 = Math.min(maxY, Math.max(0, fy0 + 1)) * width;
      const c0 = Math.min(maxX, Math.max(0, fx0));
      const c1 = Math.min(maxX, Math.max(0, fx0 + 1));
      const i00 = (r0 + c0) * channels;
      const i10 = (r0 + c1) * channels;
      const i01 = (r1 + c0) * channels;
      const i11 = (r1 + c1) * channels;
      for (let c = 0; c < channels; c++) {
        const top = data[i00 + c]! + (data[i10 + c]! - data[i00 + c]!) * fx;
        const bottom = data[i01 + c]! + (data[i11 + c]! - data[i01 + c]!) * fx;
        out[offset + c] = top + (bottom - top) * fy;
      }
    };
  }
  const wx = new Float64Array(4);
  const wy = new Float64Array(4);
  return (x, y, out, offset) => {
    const sx = x - 0.5;
    const sy = y - 0.5;
    const fx0 = Math.floor(sx);
    const fy0 = Math.floor(sy);
    catmullRom(sx - fx0, wx);
    catmullRom(sy - fy0, wy);
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let j = 0; j < 4; j++) {
        const row = Math.min(maxY, Math.max(0, fy0 - 1 + j)) * width;
        let line = 0;
        for (let i = 0; i < 4; i++)
          line += wx[i]! * data[(row + Math.min(maxX, Math.max(0, fx0 - 1 + i))) * channels + c]!;
        sum += wy[j]! * line;
      }
      out[offset + c] = sum;
    }
  };
}

/** Catmull-Rom weights (the interpolating cubic libvips' bicubic uses) for the 4 taps around t. */
function catmullRom(t: number, w: Float64Array): void {
  const t2 = t * t;
  const t3 = t2 * t;
  w[0] = -0.5 * t3 + t2 - 0.5 * t;
  w[1] = 1.5 * t3 - 2.5 * t2 + 1;
  w[2] = -1.5 * t3 + 2 * t2 + 0.5 * t;
  w[3] = 0.5 * t3 - 0.5 * t2;
}
