import { type ImagePayload, isRawImage } from '@growset/core';
import sharp, { type Sharp } from 'sharp';

/** sharp options shared by every decode: fail on truncated data, refuse oversized images. */
export interface DecodeLimits {
  /** Largest width x height decoded; larger inputs fail before any pixel is read. */
  maxPixels: number;
  /** `warning` catches truncated files (libjpeg's "premature end"); `error` accepts them. */
  failOn: 'warning' | 'error';
}

/** A sharp pipeline over an encoded or raw image payload (first frame only). */
export function sharpFor(payload: ImagePayload, limits: DecodeLimits): Sharp {
  if (isRawImage(payload)) {
    const { width, height, channels } = payload;
    let data: Uint8Array | Uint16Array = payload.data as Uint8Array | Uint16Array;
    if (payload.dtype === 'float32') {
      const src = payload.data as Float32Array;
      const bytes = new Uint8Array(src.length);
      for (let i = 0; i < src.length; i++) bytes[i] = Math.max(0, Math.min(255, Math.round(src[i]! * 255)));
      data = bytes;
    }
    const input = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return sharp(input, {
      raw: { width, height, channels, ...(payload.dtype === 'uint16' ? { depth: 'ushort' as const } : {}) },
      limitInputPixels: limits.maxPixels,
    });
  }
  return sharp(payload.data, {
    failOn: limits.failOn,
    limitInputPixels: limits.maxPixels >= Number.MAX_SAFE_INTEGER ? false : limits.maxPixels,
    pages: 1,
  });
}
