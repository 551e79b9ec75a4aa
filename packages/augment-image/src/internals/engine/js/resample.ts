import type { RawImage } from '@growset/core';
import { type Affine, invert } from '../../geometry/matrix.ts';
import { allocate, colourChannels, maxValue, unitScale } from '../../image/shape.ts';
import { type FoldedColour, foldForGrey } from '../../ops/colour.ts';
import type { Interpolation } from '../../ops/types.ts';
import { RESAMPLE_WASM_BASE64 } from './resample-wasm.generated.ts';
import { ensureMemory, instantiate, type WasmMemory } from './wasm-module.ts';

export interface ResampleOptions {
  /** Maps source edge coordinates to output edge coordinates. */
  matrix: Affine;
  width: number;
  height: number;
  /** Per channel, in 8-bit units. */
  fill: readonly number[];
  interpolation: Interpolation;
  /** A folded colour map to apply to every output pixel in the same loop. */
  colour?: FoldedColour;
  /** Run the 8-bit RGB bilinear path in JavaScript, not WebAssembly (tests compare the two). */
  javascript?: boolean;
}

/**
 * One affine resampling of an 8- or 16-bit image at the output size, with an optional colour
 * matrix applied in the same loop: the hot path of the planner for recipes like flip + rotate +
 * random-resized-crop + colour jitter. Sampling and borders follow the typed-array remap exactly
 * (pixel centres, constant fill outside [0, w] x [0, h], replicated neighbours inside).
 */
export function resampleAffine(src: RawImage, options: ResampleOptions): RawImage {
  if (src.dtype === 'uint8' && src.channels === 3 && options.interpolation === 'bilinear')
    return bilinearRgb8(src, options);
  const { width: W, height: H } = options;
  const { width: w, height: h, channels } = src;
  const data = src.data;
  const out = allocate(src.dtype, W * H * channels);
  const max = maxValue(src.dtype);
  const unit = unitScale(src.dtype);
  const fill = Array.from({ length: channels }, (_, c) =>
    Math.round((options.fill.length === 1 ? options.fill[0]! : (options.fill[c] ?? 0)) * unit),
  );
  const colour = colourChannels(channels);
  const m = options.colour?.matrix;
  const b = options.colour ? options.colour.offset.map((v) => v * unit) : undefined;
  const grey = options.colour && colour === 1 ? foldForGrey(options.colour) : undefined;
  const [ia, ib, ic, id, ie, iff] = invert(options.matrix);
  const value = new Float64Array(channels);
  const nearest = options.interpolation === 'nearest';
  const bicubic = options.interpolation === 'bicubic';
  const wx = new Float64Array(4);
  const wy = new Float64Array(4);
  for (let y = 0; y < H; y++) {
    const cy = y + 0.5;
    const u0 = ia * 0.5 + ib * cy + ic;
    const v0 = id * 0.5 + ie * cy + iff;
    for (let x = 0; x < W; x++) {
      const u = u0 + ia * x;
      const v = v0 + id * x;
      const o = (y * W + x) * channels;
      if (!(u >= 0 && u <= w && v >= 0 && v <= h)) {
        for (let c = 0; c < channels; c++) out[o + c] = fill[c]!;
        continue;
      }
      if (nearest) {
        const i = (Math.min(h - 1, Math.floor(v)) * w + Math.min(w - 1, Math.floor(u))) * channels;
        for (let c = 0; c < channels; c++) value[c] = data[i + c]!;
      } else if (bicubic) {
        const sx = u - 0.5;
        const sy = v - 0.5;
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        catmullRom(sx - x0, wx);
        catmullRom(sy - y0, wy);
        for (let c = 0; c < channels; c++) {
          let sum = 0;
          for (let j = 0; j < 4; j++) {
            const row = Math.min(h - 1, Math.max(0, y0 - 1 + j)) * w;
            let line = 0;
            for (let k = 0; k < 4; k++)
              line += wx[k]! * data[(row + Math.min(w - 1, Math.max(0, x0 - 1 + k))) * channels + c]!;
            sum += wy[j]! * line;
          }
          value[c] = sum;
        }
      } else {
        const sx = u - 0.5;
        const sy = v - 0.5;
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        const fx = sx - x0;
        const fy = sy - y0;
        const xa = Math.max(x0, 0);
        const xb = Math.min(x0 + 1, w - 1);
        const ya = Math.max(y0, 0);
        const yb = Math.min(y0 + 1, h - 1);
        const i00 = (ya * w + xa) * channels;
        const i10 = (ya * w + xb) * channels;
        const i01 = (yb * w + xa) * channels;
        const i11 = (yb * w + xb) * channels;
        for (let c = 0; c < channels; c++) {
          const top = data[i00 + c]! + (data[i10 + c]! - data[i00 + c]!) * fx;
          const bottom = data[i01 + c]! + (data[i11 + c]! - data[i01 + c]!) * fx;
          value[c] = top + (bottom - top) * fy;
        }
      }
      if (m && b) {
        if (grey) {
          value[0] = value[0]! * grey.scale + grey.offset * unit;
        } else {
          const r = value[0]!;
          const g = value[1]!;
          const bl = value[2]!;
          value[0] = m[0]! * r + m[1]! * g + m[2]! * bl + b[0]!;
          value[1] = m[3]! * r + m[4]! * g + m[5]! * bl + b[1]!;
          value[2] = m[6]! * r + m[7]! * g + m[8]! * bl + b[2]!;
        }
      }
      for (let c = 0; c < channels; c++) {
        const r = Math.round(value[c]!);
        out[o + c] = r < 0 ? 0 : Math.min(r, max);
      }
    }
  }
  return { kind: 'raw', data: out, width: W, height: H, channels, dtype: src.dtype };
}

interface ResampleModule {
  memory: WasmMemory;
  bilinear: (
    src: number,
    w: number,
    h: number,
    dst: number,
    W: number,
    H: number,
    rows: number,
    du: number,
    dv: number,
    f0: number,
    f1: number,
    f2: number,
    colour: number,
    ...matrixAndOffset: number[]
  ) => void;
}

let module: ResampleModule | undefined;

function resampleModule(): ResampleModule {
  module ??= instantiate<ResampleModule>(RESAMPLE_WASM_BASE64);
  return module;
}

/**
 * The hot path (8-bit RGB, bilinear): 16.16 fixed-point coordinates and 8-bit weights, channels
 * written out, no inner loops. Same sampling and borders as the general loop (weights rounded
 * to 1/256). Runs in WebAssembly (resample.wat, the same arithmetic: the same bytes, about
 * twice as fast) unless the coordinates could leave 32-bit integers.
 */
function bilinearRgb8(src: RawImage, options: ResampleOptions): RawImage {
  const { width: W, height: H } = options;
  const { width: w, height: h } = src;
  const data = src.data as Uint8Array;
  const out = new Uint8Array(W * H * 3);
  const fill = [0, 1, 2].map((c) =>
    Math.round(options.fill.length === 1 ? options.fill[0]! : (options.fill[c] ?? 0)),
  );
  const f0 = fill[0]!;
  const f1 = fill[1]!;
  const f2 = fill[2]!;
  const colour = options.colour;
  const m = colour?.matrix ?? [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const b = colour?.offset ?? [0, 0, 0];
  // Interpolated values carry 16 fractional bits: fold the 1/65536 into the matrix, and +0.5
  // into the offset so that truncation rounds to nearest.
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8] = m.map((v) => v / 65536) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const b0 = b[0]! + 0.5;
  const b1 = b[1]! + 0.5;
  const b2 = b[2]! + 0.5;
  const [ia, ib, ic, id, ie, iff] = invert(options.matrix);
  const stride = w * 3;
  const du = Math.round(ia * 65536);
  const dv = Math.round(id * 65536);
  // Row starts, as the loop below computes them; the WebAssembly loop runs the same arithmetic
  // in 32-bit integers, so it takes every image whose coordinates stay well inside that range.
  const rows = new Int32Array(2 * H);
  let inRange = !options.javascript && w < 16384 && h < 16384;
  for (let y = 0; y < H && inRange; y++) {
    const cy = y + 0.5;
    const su = Math.round((ia * 0.5 + ib * cy + ic - 0.5) * 65536);
    const sv = Math.round((id * 0.5 + ie * cy + iff - 0.5) * 65536);
    const limit = 2 ** 30;
    inRange =
      Math.abs(su) < limit &&
      Math.abs(sv) < limit &&
      Math.abs(su + du * W) < limit &&
      Math.abs(sv + dv * W) < limit;
    rows[2 * y] = su;
    rows[2 * y + 1] = sv;
  }
  if (inRange) {
    const wasm = resampleModule();
    const srcBytes = (w * h * 3 + 7) & ~7;
    const rowsAt = srcBytes;
    const dstAt = rowsAt + 8 * H;
    ensureMemory(wasm.memory, dstAt + W * H * 3);
    const heap = new Uint8Array(wasm.memory.buffer);
    heap.set(data, 0);
    new Int32Array(wasm.memory.buffer, rowsAt, 2 * H).set(rows);
    wasm.bilinear(
      0,
      w,
      h,
      dstAt,
      W,
      H,
      rowsAt,
      du,
      dv,
      f0,
      f1,
      f2,
      colour ? 1 : 0,
      m0,
      m1,
      m2,
      m3,
      m4,
      m5,
      m6,
      m7,
      m8,
      b0,
      b1,
      b2,
    );
    return {
      kind: 'raw',
      data: heap.slice(dstAt, dstAt + W * H * 3),
      width: W,
      height: H,
      channels: 3,
      dtype: 'uint8',
    };
  }
  const minU = -32768;
  const maxU = (w - 0.5) * 65536;
  const maxV = (h - 0.5) * 65536;
  const lastX = w - 1;
  const lastY = h - 1;
  let o = 0;
  for (let y = 0; y < H; y++) {
    const cy = y + 0.5;
    // Sample coordinates (edge coordinates minus half a pixel), 16.16 fixed point.
    let su = Math.round((ia * 0.5 + ib * cy + ic - 0.5) * 65536);
    let sv = Math.round((id * 0.5 + ie * cy + iff - 0.5) * 65536);
    for (let x = 0; x < W; x++, su += du, sv += dv, o += 3) {
      if (su < minU || sv < minU || su > maxU || sv > maxV) {
        out[o] = f0;
        out[o + 1] = f1;
        out[o + 2] = f2;
        continue;
      }
      const x0 = su >> 16;
      const y0 = sv >> 16;
      const fx = (su >> 8) & 255;
      const fy = (sv >> 8) & 255;
      const xa = Math.max(x0, 0) * 3;
      const xb = (x0 >= lastX ? lastX : x0 + 1) * 3;
      const ra = Math.max(y0, 0) * stride;
      const rb = (y0 >= lastY ? lastY : y0 + 1) * stride;
      const w00 = (256 - fx) * (256 - fy);
      const w10 = fx * (256 - fy);
      const w01 = (256 - fx) * fy;
      const w11 = fx * fy;
      const i00 = ra + xa;
      const i10 = ra + xb;
      const i01 = rb + xa;
      const i11 = rb + xb;
      const r = data[i00]! * w00 + data[i10]! * w10 + data[i01]! * w01 + data[i11]! * w11;
      const g = data[i00 + 1]! * w00 + data[i10 + 1]! * w10 + data[i01 + 1]! * w01 + data[i11 + 1]! * w11;
      const bl = data[i00 + 2]! * w00 + data[i10 + 2]! * w10 + data[i01 + 2]! * w01 + data[i11 + 2]! * w11;
      if (colour) {
        const vr = m0 * r + m1 * g + m2 * bl + b0;
        const vg = m3 * r + m4 * g + m5 * bl + b1;
        const vb = m6 * r + m7 * g + m8 * bl + b2;
        out[o] = vr <= 0 ? 0 : Math.min(vr, 255);
        out[o + 1] = vg <= 0 ? 0 : Math.min(vg, 255);
        out[o + 2] = vb <= 0 ? 0 : Math.min(vb, 255);
      } else {
        out[o] = (r + 32768) >> 16;
        out[o + 1] = (g + 32768) >> 16;
        out[o + 2] = (bl + 32768) >> 16;
      }
    }
  }
  return { kind: 'raw', data: out, width: W, height: H, channels: 3, dtype: 'uint8' };
}

/** Applies a folded colour map to the top-left `width` x `height` window of an image. */
export function colourWindow(
  src: RawImage,
  folded: FoldedColour,
  width = src.width,
  height = src.height,
): RawImage {
  const identity: Affine = [1, 0, 0, 0, 1, 0];
  return resampleAffine(src, {
    matrix: identity,
    width,
    height,
    fill: [0],
    interpolation: 'nearest',
    colour: folded,
  });
}

function catmullRom(t: number, w: Float64Array): void {
  const t2 = t * t;
  const t3 = t2 * t;
  w[0] = -0.5 * t3 + t2 - 0.5 * t;
  w[1] = 1.5 * t3 - 2.5 * t2 + 1;
  w[2] = -1.5 * t3 + 2 * t2 + 0.5 * t;
  w[3] = 0.5 * t3 - 0.5 * t2;
}
