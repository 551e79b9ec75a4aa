import type { PixelDType, RawImage } from '@growset/core';
import sharp from 'sharp';

/** A raw image whose pixel (x, y, c) is `value(x, y, c)` (in the dtype's units). */
export function makeImage(
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
  dtype: PixelDType,
  value: (x: number, y: number, c: number) => number,
): RawImage {
  const n = width * height * channels;
  const data =
    dtype === 'uint8' ? new Uint8Array(n) : dtype === 'uint16' ? new Uint16Array(n) : new Float32Array(n);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = value(x, y, c);
  return { kind: 'raw', data, width, height, channels, dtype };
}

/** A textured test picture: gradients, a checkerboard and a disc, so every transform shows. */
export function picture(
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4 = 3,
  dtype: PixelDType = 'uint8',
): RawImage {
  const max = dtype === 'uint8' ? 255 : dtype === 'uint16' ? 65535 : 1;
  return makeImage(width, height, channels, dtype, (x, y, c) => {
    if ((channels === 2 && c === 1) || (channels === 4 && c === 3)) return max * (0.5 + 0.5 * (x / width));
    const disc = Math.hypot(x - width * 0.6, y - height * 0.4) < Math.min(width, height) / 5;
    const checker = ((x >> 3) + (y >> 3)) % 2 === 0;
    const base = c === 0 ? x / width : c === 1 ? y / height : 0.5;
    const v = disc ? 0.95 - 0.3 * c : checker ? base * 0.8 + 0.1 : base * 0.5;
    return dtype === 'float32' ? v : Math.round(v * max);
  });
}

export async function encode(
  image: RawImage,
  format: 'png' | 'jpeg' | 'webp',
  quality = 92,
): Promise<Uint8Array> {
  const { width, height, channels } = image;
  let s = sharp(image.data as Uint8Array | Uint16Array, { raw: { width, height, channels } });
  if (channels <= 2) s = s.toColourspace(image.dtype === 'uint16' ? 'grey16' : 'b-w');
  else if (image.dtype === 'uint16') s = s.toColourspace('rgb16');
  const out = await (format === 'png'
    ? s.png()
    : format === 'jpeg'
      ? s.jpeg({ quality })
      : s.webp({ quality })
  ).toBuffer();
  return new Uint8Array(out);
}

/** Decoded pixels of encoded bytes (for comparing outputs). */
export async function decode(
  data: Uint8Array,
): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { data: pixels, info } = await sharp(data).raw().toBuffer({ resolveWithObject: true });
  return { data: pixels, width: info.width, height: info.height, channels: info.channels };
}

/** Mean absolute difference between two equally sized pixel arrays. */
export function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`sizes differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

export function bytesOf(image: RawImage | { kind: 'encoded'; data: Uint8Array }): Uint8Array {
  const data = image.data;
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
