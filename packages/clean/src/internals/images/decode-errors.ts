import { basename, extname } from 'node:path';
import { type Drop, errorMessage, quarantined } from '@growset/core';

const TRUNCATED = /premature end|truncat|unexpected end|end of (?:file|stream|data)|not enough data|eof/i;
const PIXEL_LIMIT = /pixel limit/i;

/** The quarantine outcome for an error thrown while decoding an image. */
export function describeDecodeError(error: unknown, format: string): Drop {
  const message = errorMessage(error);
  if (PIXEL_LIMIT.test(message)) return quarantined('pixel limit', { detail: message, cause: error });
  if (TRUNCATED.test(message)) {
    return quarantined('truncated image', { detail: `${format}: ${message}`, cause: error });
  }
  return quarantined('undecodable image', { detail: `${format}: ${message}`, cause: error });
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
