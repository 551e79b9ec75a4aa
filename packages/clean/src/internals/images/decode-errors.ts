import { basename, extname } from 'node:path';
import { type Drop, errorMessage, quarantined } from '@growset/core';

const TRUNCATED = /premature end|truncat|unexpected end|end of (?:file|stream|data)|not enough data|eof/i;
const PIXEL_LIMIT = /pixel limit/i;

/**
 * The quarantine outcome for an error thrown while decoding an image. Truncation is read from the
 * bytes (a missing end marker) as well as from the message: libvips keeps one error buffer for
 * all threads, so under concurrent decodes sharp sometimes reports only "Warning treated as error
 * due to failOn setting" for a truncated JPEG.
 */
export function describeDecodeError(error: unknown, format: string, data?: Uint8Array): Drop {
  const message = errorMessage(error);
  if (PIXEL_LIMIT.test(message)) return quarantined('pixel limit', { detail: message, cause: error });
  const missingEnd = data !== undefined && lacksEndMarker(data, format);
  if (TRUNCATED.test(message) || missingEnd) {
    const why = missingEnd && !TRUNCATED.test(message) ? `no ${format} end marker; ${message}` : message;
    return quarantined('truncated image', { detail: `${format}: ${why}`, cause: error });
  }
  return quarantined('undecodable image', { detail: `${format}: ${message}`, cause: error });
}

/** Whether a file of a format with an end marker (JPEG EOI, PNG IEND, GIF trailer) lacks it. */
export function lacksEndMarker(data: Uint8Array, format: string): boolean {
  // Trailing padding after the end marker is common; look at the last bytes, not just the last one.
  const tail = data.subarray(Math.max(0, data.length - 64));
  const has = (marker: readonly number[]) => {
    for (let i = tail.length - marker.length; i >= 0; i--) {
      if (marker.every((b, k) => tail[i + k] === b)) return true;
    }
    return false;
  };
  switch (format) {
    case 'jpeg':
      return !has([0xff, 0xd9]);
    case 'png':
      return !has([0x49, 0x45, 0x4e, 0x44]); // IEND
    case 'gif':
      return !has([0x3b]);
    default:
      return false;
  }
}

/** Explains bytes that start with no known image signature, showing them as text or hex. */
export function describeSignature(data: Uint8Array, file?: string): string {
  const head = data.subarray(0, 16);
  const printable = head.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d);
  const shown = printable
    ? JSON.stringify(Buffer.from(head).toString('latin1'))
    : Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const named = file ? ` (named ${basename(file)}${extname(file) ? '' : ', no extension'})` : '';
  return `no known image signature${named}: the file starts with ${shown}${printable ? ', which is text' : ''}`;
}
