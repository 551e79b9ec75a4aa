import type { PixelDType } from '@growset/core';
import sharp from 'sharp';
import { jpegOutputOptions } from '../../image/codec.ts';
import type { ImageShape } from '../../image/shape.ts';

/** An integer rectangle of an image. */
export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

export type PassInput =
  | { readonly kind: 'encoded'; readonly data: Uint8Array }
  | {
      readonly kind: 'raw';
      readonly data: Uint8Array | Uint16Array;
      readonly width: number;
      readonly height: number;
    };

export type EncodeFormat = 'jpeg' | 'png' | 'webp';

export type PassOutput =
  | { readonly kind: 'raw' }
  | { readonly kind: 'encode'; readonly format: EncodeFormat; readonly quality: number };

/**
 * One libvips pipeline: decode (or raw input), then the slots in the order sharp runs them. A
 * slot left undefined is skipped. See sharp's pipeline.cc for the order.
 */
export interface VipsPass {
  input: PassInput;
  /** Channels and dtype of the image this pass works on (1, 3 or 4 channels; uint8 or uint16). */
  shape: ImageShape;
  autoOrient?: boolean;
  /** The JPEG shrink-on-load factor libjpeg will use (sharp picks it from the resize); for plan summaries. */
  shrinkOnLoad?: number;
  preExtract?: Region;
  resize?: { width: number; height: number; kernel: 'nearest' | 'linear' | 'cubic' | 'lanczos3' };
  /** Mirror top-bottom / left-right (after resize). */
  flip?: boolean;
  flop?: boolean;
  affine?: {
    matrix: [number, number, number, number];
    odx: number;
    ody: number;
    interpolator: 'nearest' | 'bilinear' | 'bicubic';
    fill: readonly number[];
  };
  extend?: { right: number; bottom: number; fill: readonly number[] };
  blur?: number;
  convolve?: { width: number; height: number; kernel: readonly number[] };
  recomb?: readonly number[];
  linear?: { a: number[]; b: number[] };
  output: PassOutput;
}

export interface PassResult {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

/** The libvips colour space that keeps an image's channel count and depth. */
export function workingSpace(channels: number, dtype: PixelDType): string {
  const grey = channels <= 2;
  if (dtype === 'uint16') return grey ? 'grey16' : 'rgb16';
  return grey ? 'b-w' : 'srgb';
}

function background(
  fill: readonly number[],
  channels: number,
): { r: number; g: number; b: number; alpha: number } {
  const at = (i: number) => (fill.length === 1 ? fill[0]! : (fill[i] ?? 0));
  if (channels <= 2) {
    const v = at(0);
    return { r: v, g: v, b: v, alpha: channels === 2 ? at(1) / 255 : 1 };
  }
  return { r: at(0), g: at(1), b: at(2), alpha: channels === 4 ? at(3) / 255 : 1 };
}

/** Runs one pass and returns its output bytes (raw pixels or an encoded image). */
export async function runPass(pass: VipsPass, maxPixels: number): Promise<PassResult> {
  const { shape } = pass;
  const limit = { limitInputPixels: maxPixels };
  let image =
    pass.input.kind === 'encoded'
      ? sharp(pass.input.data, limit)
      : sharp(pass.input.data, {
          ...limit,
          raw: { width: pass.input.width, height: pass.input.height, channels: shape.channels },
        });
  if (pass.autoOrient) image = image.autoOrient();
  if (pass.preExtract) image = image.extract(pass.preExtract);
  if (pass.resize)
    image = image.resize({
      width: pass.resize.width,
      height: pass.resize.height,
      fit: 'fill',
      kernel: pass.resize.kernel,
    });
  if (pass.flip) image = image.flip();
  if (pass.flop) image = image.flop();
  if (pass.affine) {
    const { matrix, odx, ody, interpolator, fill } = pass.affine;
    image = image.affine(matrix, { odx, ody, interpolator, background: background(fill, shape.channels) });
  }
  if (pass.extend && (pass.extend.right > 0 || pass.extend.bottom > 0)) {
    image = image.extend({
      right: pass.extend.right,
      bottom: pass.extend.bottom,
      background: background(pass.extend.fill, shape.channels),
    });
  }
  if (pass.blur !== undefined) image = image.blur(pass.blur);
  if (pass.convolve) {
    const { width, height, kernel } = pass.convolve;
    // scale 1: sharp would otherwise divide by the kernel's sum (sharpen kernels need not sum to 1).
    image = image.convolve({ width, height, kernel: [...kernel], scale: 1 });
  }
  if (pass.recomb) {
    const m = pass.recomb;
    image = image.recomb([
      [m[0]!, m[1]!, m[2]!],
      [m[3]!, m[4]!, m[5]!],
      [m[6]!, m[7]!, m[8]!],
    ]);
  }
  if (pass.linear) image = image.linear(pass.linear.a, pass.linear.b);
  image = image.toColourspace(workingSpace(shape.channels, shape.dtype));
  if (pass.output.kind === 'raw') {
    image = image.raw({ depth: shape.dtype === 'uint16' ? 'ushort' : 'uchar' });
  } else if (pass.output.format === 'jpeg') {
    image = image.jpeg(jpegOutputOptions(pass.output.quality));
  } else if (pass.output.format === 'png') {
    image = image.png();
  } else {
    image = image.webp({ quality: pass.output.quality });
  }
  const { data, info } = await image.toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}
