import type { RawImage } from '@growset/core';
import { allocate, expandFill, unitScale } from '../../image/shape.ts';
import { foldColour, LUMA } from '../../ops/colour.ts';
import { gaussianKernel, kernelSum } from '../../ops/kernels.ts';
import type { ColourOp, PlanOp } from '../../ops/types.ts';
import type { VipsPass } from './pass.ts';

export type Window = { width: number; height: number };

/** Colour steps folded so far in a pass, with the mean carried through them (for contrast). */
export interface ColourAccumulator {
  matrix: number[];
  offset: number[];
  mean: number[] | undefined;
}

/** A libvips pass being assembled. */
export interface Pending {
  pass: Omit<VipsPass, 'output'>;
  /** Whether pixel slots may still be filled (false once the pass ends on a cropped affine). */
  open: boolean;
  /** The output window when the pass output is larger (to crop afterwards). */
  window: Window | undefined;
  colour: ColourAccumulator;
  /** Whether the pass decodes the caller's input (its failures are bad input). */
  fromSource: boolean;
}

export function emptyColour(mean: number[] | undefined): ColourAccumulator {
  return { matrix: [1, 0, 0, 0, 1, 0, 0, 0, 1], offset: [0, 0, 0], mean };
}

/**
 * Adds a blur, convolution or colour op to a pass. libvips runs blur, then convolution, then
 * colour; the ops commute (both sides linear), except that a filter whose kernel sums to s
 * scales any colour offset folded before it by s, which is applied here.
 */
export function addPixelOp(p: Pending, op: PlanOp): void {
  const acc = p.colour;
  if (op.op === 'blur') {
    // libvips' gaussblur needs sigma >= 0.3; smaller blurs go through the convolution slot.
    if (op.sigma < 0.3) p.pass.convolve = separableToKernel(gaussianKernel(op.sigma));
    else p.pass.blur = p.pass.blur === undefined ? op.sigma : Math.sqrt(p.pass.blur ** 2 + op.sigma ** 2);
    return;
  }
  if (op.op === 'convolve') {
    if (p.pass.convolve) throw new Error('addPixelOp: convolution slot taken');
    p.pass.convolve = { width: op.width, height: op.height, kernel: op.kernel };
    const s = kernelSum(op.kernel);
    acc.offset = acc.offset.map((v) => v * s);
    if (acc.mean) acc.mean = acc.mean.map((v) => v * s);
    return;
  }
  if (op.op === 'colour') foldInto(acc, op);
}

function foldInto(acc: ColourAccumulator, op: ColourOp): void {
  const mean = acc.mean ?? [128, 128, 128];
  const folded = foldColour(op.steps, mean);
  const m = folded.matrix;
  const prev = acc.matrix;
  const row = (r: number, v: readonly number[]) =>
    m[r * 3]! * v[0]! + m[r * 3 + 1]! * v[1]! + m[r * 3 + 2]! * v[2]!;
  const matrix: number[] = [];
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++)
      matrix.push(m[r * 3]! * prev[c]! + m[r * 3 + 1]! * prev[3 + c]! + m[r * 3 + 2]! * prev[6 + c]!);
  acc.offset = [0, 1, 2].map((r) => row(r, acc.offset) + folded.offset[r]!);
  acc.mean = acc.mean ? [0, 1, 2].map((r) => row(r, mean) + folded.offset[r]!) : undefined;
  acc.matrix = matrix;
}

/** Puts the folded colour map into the recomb and linear slots for the image's channels. */
export function finishColour(pass: VipsPass, acc: ColourAccumulator, channels: number): VipsPass {
  const identity =
    acc.matrix.every((v, i) => v === (i % 4 === 0 ? 1 : 0)) && acc.offset.every((v) => v === 0);
  if (identity) return pass;
  if (channels === 1) {
    let scale = 0;
    let offset = 0;
    for (let r = 0; r < 3; r++) {
      scale += LUMA[r]! * (acc.matrix[r * 3]! + acc.matrix[r * 3 + 1]! + acc.matrix[r * 3 + 2]!);
      offset += LUMA[r]! * acc.offset[r]!;
    }
    return { ...pass, linear: { a: [scale], b: [offset] } };
  }
  const isDiagonal = [1, 2, 3, 5, 6, 7].every((k) => acc.matrix[k] === 0);
  const alpha = channels === 4;
  const a = isDiagonal ? [acc.matrix[0]!, acc.matrix[4]!, acc.matrix[8]!] : [1, 1, 1];
  return {
    ...pass,
    ...(isDiagonal ? {} : { recomb: acc.matrix }),
    linear: { a: alpha ? [...a, 1] : a, b: alpha ? [...acc.offset, 0] : acc.offset },
  };
}

function separableToKernel(k: Float64Array): { width: number; height: number; kernel: number[] } {
  const n = k.length;
  const kernel: number[] = [];
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) kernel.push(k[y]! * k[x]!);
  return { width: n, height: n, kernel };
}

export function cropTopLeft(raw: RawImage, window: Window): RawImage {
  if (raw.width === window.width && raw.height === window.height) return raw;
  const { channels } = raw;
  const out = allocate(raw.dtype, window.width * window.height * channels);
  const row = window.width * channels;
  for (let y = 0; y < window.height; y++) {
    const from = y * raw.width * channels;
    out.set(raw.data.subarray(from, from + row), y * row);
  }
  return { ...raw, data: out, width: window.width, height: window.height };
}

export function blank(
  width: number,
  height: number,
  channels: number,
  dtype: RawImage['dtype'],
  fill: readonly number[],
): RawImage {
  const values = expandFill(fill, channels).map((v) => v * unitScale(dtype));
  const data = allocate(dtype, width * height * channels);
  for (let i = 0; i < width * height; i++)
    for (let c = 0; c < channels; c++) data[i * channels + c] = values[c]!;
  return { kind: 'raw', data, width, height, channels: channels as 1 | 2 | 3 | 4, dtype };
}

/** Mean colour of the top-left window in 8-bit units (grey images repeat theirs three times). */
export function meanOf(raw: RawImage, window: Window | undefined, channels: number): number[] {
  const w = window?.width ?? raw.width;
  const h = window?.height ?? raw.height;
  const colour = channels >= 3 ? 3 : 1;
  const sums = [0, 0, 0];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const base = (y * raw.width + x) * channels;
      for (let c = 0; c < colour; c++) sums[c]! += raw.data[base + c]!;
    }
  const unit = unitScale(raw.dtype);
  const means = sums.map((s) => s / (w * h) / unit);
  return colour === 1 ? [means[0]!, means[0]!, means[0]!] : means;
}
