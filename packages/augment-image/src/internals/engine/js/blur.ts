import type { RawImage } from '@growset/core';
import { BLUR_WASM_BASE64 } from './blur-wasm.generated.ts';
import { ensureMemory, instantiate, type WasmMemory } from './wasm-module.ts';

/** Kernels up to this radius run in {@link blurRgb8} (the WebAssembly loop has 3 tap pairs). */
export const MAX_FAST_BLUR_RADIUS = 3;

/** Weights are integers summing to this (7 bits: every 8-bit weighted sum fits in 16 bits). */
const WEIGHT_SUM = 128;

interface BlurModule {
  memory: WasmMemory;
  conv: (
    src: number,
    dst: number,
    start: number,
    end: number,
    step: number,
    k0: number,
    k1: number,
    k2: number,
    k3: number,
  ) => void;
}

let module: BlurModule | undefined;

function blurModule(): BlurModule {
  module ??= instantiate<BlurModule>(BLUR_WASM_BASE64);
  return module;
}

/**
 * The integer weights {@link blurRgb8} uses for a normalized symmetric kernel: `[k0, k1, k2, k3]`
 * (centre, then each side), rounded to 1/128 with the centre taking the rounding remainder.
 */
export function fastBlurWeights(kernel: Float64Array): [number, number, number, number] {
  const radius = (kernel.length - 1) >> 1;
  if (kernel.length % 2 !== 1 || radius > MAX_FAST_BLUR_RADIUS)
    throw new Error(`fastBlurWeights: kernel of length ${kernel.length} (odd, radius <= 3 expected)`);
  const side = [1, 2, 3].map((t) => (t <= radius ? Math.round(WEIGHT_SUM * kernel[radius + t]!) : 0));
  const centre = WEIGHT_SUM - 2 * (side[0]! + side[1]! + side[2]!);
  return [centre, side[0]!, side[1]!, side[2]!];
}

/**
 * Blurs an 8-bit image (any channel count, interleaved) with a symmetric kernel along x, then
 * along y, borders replicated, each pass rounded to 8 bits as libvips' integer separable
 * convolution does. The interior runs in WebAssembly SIMD, 8 samples at a time; the borders in
 * JavaScript with the same integer arithmetic, so the result is exact and deterministic.
 */
export function blurRgb8(raw: RawImage, kernel: Float64Array): RawImage {
  if (raw.dtype !== 'uint8') throw new Error('blurRgb8: 8-bit images only');
  const radius = (kernel.length - 1) >> 1;
  const weights = fastBlurWeights(kernel);
  if (radius === 0) return raw;
  const { width, height, channels } = raw;
  const rowLength = width * channels;
  const n = rowLength * height;
  const wasm = blurModule();
  // Layout: pad | src | pad | tmp | pad | dst | pad, pads of 3 steps down a column plus 16 bytes.
  const pad = (3 * Math.max(rowLength, channels) + 16 + 15) & ~15;
  const span = (n + 15) & ~15;
  const src = pad;
  const tmp = src + span + pad;
  const dst = tmp + span + pad;
  const needed = dst + span + pad;
  ensureMemory(wasm.memory, needed);
  const heap = new Uint8Array(wasm.memory.buffer);
  heap.set(raw.data as Uint8Array, src);
  const [k0, k1, k2, k3] = weights;
  const k = [k0, k1, k2, k3];

  // Along x: the whole image as one run of samples, then the first and last `radius` pixels of
  // every row again with clamped neighbours (the run reads across row ends there).
  const xEdge = radius * channels;
  if (n - 2 * xEdge > 0) wasm.conv(src, tmp, xEdge, n - xEdge, channels, k0, k1, k2, k3);
  const lastColumn = rowLength - channels;
  for (let y = 0; y < height; y++) {
    const row = y * rowLength;
    for (let j = 0; j < rowLength; j++) {
      if (j === xEdge && rowLength - xEdge > xEdge) j = rowLength - xEdge;
      const c = j % channels;
      let sum = k0 * heap[src + row + j]! + 64;
      for (let t = 1; t <= radius; t++) {
        const left = j - t * channels;
        const right = j + t * channels;
        sum +=
          k[t]! *
          (heap[src + row + (left < 0 ? c : left)]! + heap[src + row + Math.min(right, lastColumn + c)]!);
      }
      heap[tmp + row + j] = sum >> 7;
    }
  }

  // Along y: the rows that have `radius` rows on both sides, then the first and last rows.
  if (height > 2 * radius)
    wasm.conv(tmp, dst, radius * rowLength, n - radius * rowLength, rowLength, k0, k1, k2, k3);
  for (let y = 0; y < height; y++) {
    if (y === radius && height - radius > radius) y = height - radius;
    const row = y * rowLength;
    for (let j = 0; j < rowLength; j++) {
      let sum = k0 * heap[tmp + row + j]! + 64;
      for (let t = 1; t <= radius; t++) {
        const up = Math.max(0, y - t) * rowLength;
        const down = Math.min(height - 1, y + t) * rowLength;
        sum += k[t]! * (heap[tmp + up + j]! + heap[tmp + down + j]!);
      }
      heap[dst + row + j] = sum >> 7;
    }
  }
  return { ...raw, data: heap.slice(dst, dst + n) };
}
