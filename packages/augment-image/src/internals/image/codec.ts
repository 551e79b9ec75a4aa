import { DataError, type PixelDType, type RawImage } from '@growset/core';
import sharp from 'sharp';
import type { FloatImage } from '../engine/js/filters.ts';
import { workingSpace } from '../engine/vips/pass.ts';
import { allocate, maxValue } from './shape.ts';
import { message, type SourceImage } from './source.ts';

export type EncodeFormat = 'jpeg' | 'png' | 'webp';

/** Decodes a source to raw pixels with its own channel count and depth (one libvips pass). */
export async function decodeSource(source: SourceImage, maxPixels: number): Promise<RawImage> {
  if (source.kind === 'raw') return source.image;
  const { shape } = source;
  const withAlphaGrey = shape.channels === 2;
  const space = withAlphaGrey ? workingSpace(4, shape.dtype) : workingSpace(shape.channels, shape.dtype);
  try {
    let image = sharp(source.data, { limitInputPixels: maxPixels });
    if (source.orientation > 1) image = image.autoOrient();
    const { data, info } = await image
      .toColourspace(space)
      .raw({ depth: shape.dtype === 'uint16' ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const pixels = typedView(data, shape.dtype);
    const raw: RawImage = {
      kind: 'raw',
      data: pixels,
      width: info.width,
      height: info.height,
      channels: info.channels as 1 | 2 | 3 | 4,
      dtype: shape.dtype,
    };
    return withAlphaGrey ? collapseToGreyAlpha(raw) : raw;
  } catch (error) {
    throw new DataError('undecodable image', `${source.format}: ${message(error)}`, { cause: error });
  }
}

export function typedView(data: Buffer, dtype: PixelDType): Uint8Array | Uint16Array {
  if (dtype === 'uint16') {
    const copy = new Uint16Array(data.length / 2);
    new Uint8Array(copy.buffer).set(data);
    return copy;
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** RGBA whose colour channels are equal to grey+alpha. */
export function collapseToGreyAlpha(image: RawImage): RawImage {
  const n = image.width * image.height;
  const out = allocate(image.dtype, n * 2);
  for (let i = 0; i < n; i++) {
    out[2 * i] = image.data[4 * i]!;
    out[2 * i + 1] = image.data[4 * i + 3]!;
  }
  return { ...image, data: out, channels: 2 };
}

/**
 * sharp's JPEG options for an output image: Huffman tables are not optimised (libjpeg's and
 * OpenCV's default), which halves the encode time of a 224x224 image for files a few percent
 * larger.
 */
export function jpegOutputOptions(quality: number): { quality: number; optimiseCoding: false } {
  return { quality, optimiseCoding: false };
}

/** Encodes raw pixels (uint8 or uint16; float32 taken as [0, 1]) keeping channels and depth. */
export async function encodeRaw(image: RawImage, format: EncodeFormat, quality: number): Promise<Uint8Array> {
  let raw = image;
  if (raw.dtype === 'float32') raw = { ...fromFloat(toFloatImage(raw), 'uint8', 255), dtype: 'uint8' };
  const { width, height, channels, dtype } = raw;
  let pipeline = sharp(raw.data as Uint8Array | Uint16Array, {
    raw: { width, height, channels },
  }).toColourspace(workingSpace(channels, dtype));
  pipeline =
    format === 'jpeg'
      ? pipeline.jpeg(jpegOutputOptions(quality))
      : format === 'png'
        ? pipeline.png()
        : pipeline.webp({ quality });
  const out = await pipeline.toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

export function toFloatImage(image: RawImage): FloatImage {
  return {
    data: Float32Array.from(image.data),
    width: image.width,
    height: image.height,
    channels: image.channels,
  };
}

/**
 * Rounds and clamps a float image into `dtype` (values are in that dtype's units). For float32
 * output the values are divided by `scale` (the source's largest value) and kept as they are.
 */
export function fromFloat(image: FloatImage, dtype: PixelDType, scale: number): RawImage {
  const { width, height, channels, data } = image;
  const out = allocate(dtype, data.length);
  if (dtype === 'float32') {
    for (let i = 0; i < data.length; i++) out[i] = data[i]! / scale;
  } else {
    const max = maxValue(dtype);
    for (let i = 0; i < data.length; i++) {
      const v = Math.round(data[i]!);
      out[i] = v < 0 ? 0 : Math.min(v, max);
    }
  }
  return { kind: 'raw', data: out, width, height, channels: channels as 1 | 2 | 3 | 4, dtype };
}
