/**
 * Pieces of the WebAssembly binary format, for the small SIMD kernels growset assembles at run
 * time from opcodes (augment-tabular's neighbour search, train's convolution kernels): no build
 * step and no binary blob in the repository.
 */

/** Unsigned LEB128 of a 32-bit value. */
export function uleb128(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit value. */
export function sleb128(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** A section: its id, then its body's size and the body. */
export function wasmSection(id: number, body: number[]): number[] {
  return [id, ...uleb128(body.length), ...body];
}

/** A vector: the count, then the items. */
export function wasmVector(items: number[][]): number[] {
  return [...uleb128(items.length), ...items.flat()];
}

/** A name: UTF-8 bytes preceded by their count. */
export function wasmName(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb128(bytes.length), ...bytes];
}
