import { DataError, type ImagePayload, type RawImage, sniffImageFormat } from '@growset/core';
import sharp, { type Metadata } from 'sharp';
import { readHeader } from './header.ts';
import type { ImageShape } from './shape.ts';

/** An input image whose header has been read and checked. */
export type SourceImage =
  | {
      readonly kind: 'encoded';
      readonly data: Uint8Array;
      readonly format: string;
      readonly shape: ImageShape;
      /** EXIF orientation (1 = as stored). */
      readonly orientation: number;
    }
  | { readonly kind: 'raw'; readonly image: RawImage; readonly shape: ImageShape };

/** Default pixel limit: larger inputs are refused before decoding (pixel bombs). */
export const DEFAULT_MAX_PIXELS = 50_000_000;

/**
 * Reads the header of an input image and checks it: empty data, bytes that are not an image (a
 * text file named `.png`), headers libvips cannot parse, and images above `maxPixels` (a small
 * file that would decode to gigabytes) are {@link DataError}s, so a stage quarantines them.
 * Truncated data passes this check and fails when decoded, also as a DataError.
 */
export async function inspectImage(payload: ImagePayload, maxPixels: number): Promise<SourceImage> {
  if (payload.kind === 'raw')
    return { kind: 'raw', image: checkRaw(payload, maxPixels), shape: rawShape(payload) };
  const data = payload.data;
  if (data.length === 0) throw new DataError('empty file', 'the image has zero bytes');
  const format = sniffImageFormat(data);
  if (format === undefined) throw new DataError('not an image', `unrecognised content: ${preview(data)}`);
  const header = readHeader(data, format);
  if (header) {
    checkPixels(header.shape.width, header.shape.height, maxPixels);
    return { kind: 'encoded', data, format, shape: header.shape, orientation: header.orientation };
  }
  let meta: Metadata;
  try {
    meta = await sharp(data, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new DataError('undecodable image', `${format} header: ${message(error)}`, { cause: error });
  }
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!(width > 0 && height > 0)) throw new DataError('undecodable image', `${format} header has no size`);
  checkPixels(width, height, maxPixels);
  const grey = meta.space === 'b-w' || meta.space === 'grey16';
  const alpha = meta.hasAlpha === true;
  const channels = ((grey ? 1 : 3) + (alpha ? 1 : 0)) as 1 | 2 | 3 | 4;
  const dtype = meta.depth === 'ushort' ? 'uint16' : 'uint8';
  return {
    kind: 'encoded',
    data,
    format,
    shape: { width, height, channels, dtype },
    orientation: meta.orientation ?? 1,
  };
}

function checkPixels(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new DataError(
      'pixel limit exceeded',
      `${width}x${height} = ${width * height} pixels is more than the limit of ${maxPixels} (option \`maxPixels\`)`,
    );
  }
}

function rawShape(image: RawImage): ImageShape {
  return { width: image.width, height: image.height, channels: image.channels, dtype: image.dtype };
}

function checkRaw(image: RawImage, maxPixels: number): RawImage {
  const { width, height, channels, dtype, data } = image;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0))
    throw new DataError('invalid raw image', `size ${width}x${height} is not two positive integers`);
  if (![1, 2, 3, 4].includes(channels))
    throw new DataError('invalid raw image', `${channels} channels (expected 1 to 4)`);
  if (width * height > maxPixels)
    throw new DataError(
      'pixel limit exceeded',
      `${width}x${height} is more than the limit of ${maxPixels} pixels`,
    );
  const expectedType = dtype === 'uint8' ? Uint8Array : dtype === 'uint16' ? Uint16Array : Float32Array;
  if (!(data instanceof expectedType))
    throw new DataError(
      'invalid raw image',
      `dtype ${dtype} needs a ${expectedType.name}, got ${data.constructor.name}`,
    );
  if (data.length !== width * height * channels)
    throw new DataError(
      'invalid raw image',
      `${data.length} values for ${width}x${height}x${channels} (expected ${width * height * channels})`,
    );
  return image;
}

function preview(data: Uint8Array): string {
  const head = data.subarray(0, 24);
  const printable = head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
  return printable
    ? `starts with text ${JSON.stringify(Buffer.from(head).toString('latin1'))}`
    : `starts with bytes ${Buffer.from(head.subarray(0, 8)).toString('hex')}`;
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message.trim() : String(error);
}
