import { DataError, type EncodedImage, errorMessage, sniffImageFormat } from '@growset/core';
import sharp from 'sharp';

/** What an image asset must be. */
export interface ImageCheckOptions {
  url: string;
  contentType: string | undefined;
  /** Smallest side accepted, in pixels. @default 1 */
  minSide?: number;
}

/**
 * Verifies fetched image bytes before they become a sample: the Content-Type must be an image
 * (or a generic binary type, then the bytes decide), the bytes must be a known image format, and
 * sharp must decode every pixel (a truncated or corrupt file fails here, not in training).
 * Throws a {@link DataError} whose reason groups the failure.
 */
export async function verifyImage(
  body: Uint8Array,
  options: ImageCheckOptions,
): Promise<EncodedImage & { width: number; height: number }> {
  const source = { url: options.url };
  const type = (options.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (
    type !== '' &&
    !type.startsWith('image/') &&
    type !== 'application/octet-stream' &&
    type !== 'binary/octet-stream'
  ) {
    throw new DataError('asset not an image', `Content-Type ${JSON.stringify(type)} at ${options.url}`, {
      source,
    });
  }
  if (body.length === 0) throw new DataError('empty image', `no bytes at ${options.url}`, { source });
  const format = sniffImageFormat(body);
  if (format === undefined) {
    throw new DataError('undecodable image', `the bytes at ${options.url} are not a known image format`, {
      source,
    });
  }
  let width: number;
  let height: number;
  try {
    const { info } = await sharp(body, { failOn: 'warning', limitInputPixels: 100_000_000 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    width = info.width;
    height = info.height;
  } catch (error) {
    throw new DataError(
      'undecodable image',
      `sharp cannot decode the ${format} at ${options.url}: ${errorMessage(error)}`,
      {
        source,
        cause: error,
      },
    );
  }
  const minSide = options.minSide ?? 1;
  if (width < minSide || height < minSide) {
    throw new DataError('image too small', `${width}x${height} at ${options.url} is below ${minSide} px`, {
      source,
    });
  }
  return { kind: 'encoded', data: body, format, width, height };
}
