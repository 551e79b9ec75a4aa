/**
 * Pieces of the WebAssembly binary format, for the small SIMD kernels growset assembles at run
 * time from opcodes (the tables package's neighbour search, train's convolution kernels): no build
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

/** Value and block types. */
export const WASM_TYPE = { i32: 0x7f, v128: 0x7b, empty: 0x40 } as const;

/** The core opcodes the kernels use. */
export const WASM_OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Store: 0x36,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32Or: 0x72,
  i32Shl: 0x74,
} as const;

/** Fixed-width SIMD opcodes (after the 0xfd prefix) the kernels use. */
export const WASM_SIMD = {
  load: 0x00,
  load32Splat: 0x09,
  store: 0x0b,
  const: 0x0c,
  f32x4Splat: 0x13,
  f32x4Eq: 0x41,
  f32x4Gt: 0x44,
  f32x4Ge: 0x46,
  v128And: 0x4e,
  v128AndNot: 0x4f,
  v128Or: 0x50,
  load32Lane: 0x56,
  store32Lane: 0x5a,
  load32Zero: 0x5c,
  i32x4Bitmask: 0xa4,
  f32x4Sqrt: 0xe3,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Max: 0xe9,
} as const;

/** A module: the magic number, version 1, then its sections in order. */
export function wasmModule(sections: readonly number[][]): Uint8Array {
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
}
