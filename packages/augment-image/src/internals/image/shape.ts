import type { PixelDType, RawImage } from '@growset/core';

/** What a transform needs to know about an image to draw its parameters. */
export interface ImageShape {
  readonly width: number;
  readonly height: number;
  /** 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
  readonly channels: 1 | 2 | 3 | 4;
  readonly dtype: PixelDType;
  /**
   * The target's boxes as pixel corners, when it has any: for transforms that draw around them
   * (bboxSafeRandomCrop). Moved along by the geometric ops of a composition.
   */
  readonly boxes?: readonly {
    readonly x0: number;
    readonly y0: number;
    readonly x1: number;
    readonly y1: number;
  }[];
}

export function shapeOf(image: RawImage): ImageShape {
  return { width: image.width, height: image.height, channels: image.channels, dtype: image.dtype };
}

export function hasAlpha(channels: number): boolean {
  return channels === 2 || channels === 4;
}

/** Channels that carry colour (alpha excluded). */
export function colourChannels(channels: number): 1 | 3 {
  return channels >= 3 ? 3 : 1;
}

/** Largest value of a dtype: 255, 65535, or 1 for float images. */
export function maxValue(dtype: PixelDType): number {
  return dtype === 'uint8' ? 255 : dtype === 'uint16' ? 65535 : 1;
}

/** Factor from 8-bit units (how fills and offsets are given) to the image's own units. */
export function unitScale(dtype: PixelDType): number {
  return maxValue(dtype) / 255;
}

/** A fill value given per channel or once for all, expanded to `channels` values in 8-bit units. */
export function expandFill(fill: readonly number[], channels: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < channels; c++) out.push(fill.length === 1 ? fill[0]! : (fill[c] ?? 0));
  return out;
}

export function allocate(dtype: PixelDType, length: number): Uint8Array | Uint16Array | Float32Array {
  return dtype === 'uint8'
    ? new Uint8Array(length)
    : dtype === 'uint16'
      ? new Uint16Array(length)
      : new Float32Array(length);
}
