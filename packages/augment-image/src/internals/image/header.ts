import type { ImageShape } from './shape.ts';

export interface HeaderInfo {
  shape: ImageShape;
  orientation: number;
}

/**
 * Reads the size and layout of plain JPEG and PNG files from their first bytes, without a call
 * into libvips (a header read there costs a thread hop per image). Anything unusual (CMYK or
 * 12-bit JPEG, palette, sub-8-bit or transparent-colour PNG, a truncated header) returns
 * undefined, and libvips reads the header instead.
 */
export function readHeader(data: Uint8Array, format: string): HeaderInfo | undefined {
  try {
    if (format === 'jpeg') return jpegHeader(data);
    if (format === 'png') return pngHeader(data);
  } catch {
    return undefined;
  }
  return undefined;
}

const u16 = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u32 = (b: Uint8Array, i: number) =>
  ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;

function jpegHeader(b: Uint8Array): HeaderInfo | undefined {
  let i = 2;
  let orientation = 1;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const length = u16(b, i + 2);
    if (length < 2 || i + 2 + length > b.length) return undefined;
    const body = i + 4;
    if (
      marker === 0xe1 &&
      b[body] === 0x45 &&
      b[body + 1] === 0x78 &&
      b[body + 2] === 0x69 &&
      b[body + 3] === 0x66
    ) {
      orientation = exifOrientation(b, body + 6, i + 2 + length);
    }
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      const precision = b[body]!;
      const height = u16(b, body + 1);
      const width = u16(b, body + 3);
      const components = b[body + 5]!;
      if (precision !== 8 || (components !== 1 && components !== 3) || width === 0 || height === 0)
        return undefined;
      const swap = orientation >= 5 && orientation <= 8;
      return {
        shape: {
          width: swap ? height : width,
          height: swap ? width : height,
          channels: components === 1 ? 1 : 3,
          dtype: 'uint8',
        },
        orientation,
      };
    }
    if (marker === 0xda) return undefined;
    i += 2 + length;
  }
  return undefined;
}

/** Orientation (tag 0x0112) from the first IFD of an EXIF TIFF block starting at `start`. */
function exifOrientation(b: Uint8Array, start: number, end: number): number {
  const little = b[start] === 0x49;
  const r16 = (i: number) => (little ? b[i]! | (b[i + 1]! << 8) : u16(b, i));
  const r32 = (i: number) =>
    little ? (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0 : u32(b, i);
  const ifd = start + r32(start + 4);
  if (ifd + 2 > end) return 1;
  const count = r16(ifd);
  for (let k = 0; k < count; k++) {
    const entry = ifd + 2 + k * 12;
    if (entry + 12 > end) return 1;
    if (r16(entry) === 0x0112) {
      const value = r16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

function pngHeader(b: Uint8Array): HeaderInfo | undefined {
  if (b.length < 33 || String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!) !== 'IHDR') return undefined;
  const width = u32(b, 16);
  const height = u32(b, 20);
  const depth = b[24]!;
  const colourType = b[25]!;
  const channels =
    colourType === 0 ? 1 : colourType === 2 ? 3 : colourType === 4 ? 2 : colourType === 6 ? 4 : 0;
  if (channels === 0 || (depth !== 8 && depth !== 16) || width === 0 || height === 0) return undefined;
  // A tRNS chunk adds alpha to grey and RGB images; an eXIf chunk may rotate: leave both to libvips.
  let i = 33;
  while (i + 8 <= b.length) {
    const type = String.fromCharCode(b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!);
    if (type === 'IDAT') break;
    if (type === 'tRNS' || type === 'eXIf') return undefined;
    i += 12 + u32(b, i);
  }
  return {
    shape: { width, height, channels: channels as 1 | 2 | 3 | 4, dtype: depth === 16 ? 'uint16' : 'uint8' },
    orientation: 1,
  };
}
