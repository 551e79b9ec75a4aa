import { GrowsetError } from '../errors.ts';
import type { RawImage } from '../sample.ts';

type SharpModule = typeof import('sharp');
let sharpPromise: Promise<SharpModule['default']> | undefined;

/**
 * Loads sharp on first use. Core does not need it unless raw pixels must be encoded; a clear
 * error says what to install if it is missing.
 */
export function loadSharp(): Promise<SharpModule['default']> {
  sharpPromise ??= import('sharp').then(
    (mod) => mod.default,
    (cause: unknown) => {
      sharpPromise = undefined;
      throw new GrowsetError('Encoding raw pixels needs the `sharp` package: run `npm install sharp`', {
        code: 'ERR_MISSING_DEPENDENCY',
        cause,
      });
    },
  );
  return sharpPromise;
}

/**
 * Encodes raw pixels as PNG (lossless). uint8 and uint16 keep their depth; float32 values are
 * taken as intensities in [0, 1] and stored as 8-bit.
 */
export async function encodeRawAsPng(image: RawImage): Promise<Uint8Array> {
  const sharp = await loadSharp();
  const { width, height, channels } = image;
  const expected = width * height * channels;
  if (image.data.length !== expected) {
    throw new GrowsetError(
      `Raw image has ${image.data.length} values but ${width}x${height}x${channels} needs ${expected}`,
      { code: 'ERR_BAD_IMAGE' },
    );
  }
  let data: Uint8Array | Uint16Array;
  if (image.dtype === 'float32') {
    const bytes = new Uint8Array(expected);
    const src = image.data as Float32Array;
    for (let i = 0; i < expected; i++) bytes[i] = Math.max(0, Math.min(255, Math.round(src[i]! * 255)));
    data = bytes;
  } else {
    data = image.data as Uint8Array | Uint16Array;
  }
  // sharp infers 16-bit input from a Uint16Array (a Buffer would be read as 8-bit).
  const input =
    data instanceof Uint16Array ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const depth = image.dtype === 'uint16' ? 'ushort' : 'uchar';
  // Keep grey images grey and 16-bit images 16-bit (sharp would otherwise convert to 8-bit sRGB).
  const colourspace =
    channels <= 2 ? (depth === 'ushort' ? 'grey16' : 'b-w') : depth === 'ushort' ? 'rgb16' : 'srgb';
  const output = await sharp(input, {
    raw: { width, height, channels },
  })
    .toColourspace(colourspace)
    .png({ compressionLevel: 6 })
    .toBuffer();
  return new Uint8Array(output.buffer, output.byteOffset, output.byteLength);
}
