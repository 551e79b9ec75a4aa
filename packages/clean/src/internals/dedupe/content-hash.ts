import { createHash } from 'node:crypto';
import type { Cell } from '@growset/core';

/** SHA-256 of bytes, hex: the identity of a file's content. */
export function bytesHash(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * A hash of a row's cells, independent of key order: two rows with the same values in the same
 * columns get the same hash. Numbers and their text (`1` and `"1"`) differ; validate first to
 * compare typed values.
 */
export function rowHash(values: { readonly [column: string]: Cell }, columns?: readonly string[]): string {
  const keys = columns ?? Object.keys(values).sort();
  const parts: Cell[] = [];
  for (const key of keys) parts.push(key, values[key] ?? null);
  return createHash('sha1').update(JSON.stringify(parts)).digest('base64');
}
