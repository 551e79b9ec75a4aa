import { describe, expect, it } from 'vitest';
import { sleb128, uleb128, wasmName, wasmSection, wasmVector } from '../src/index.ts';

describe('WebAssembly binary pieces', () => {
  it('encodes LEB128 as the specification does', () => {
    expect(uleb128(0)).toEqual([0x00]);
    expect(uleb128(127)).toEqual([0x7f]);
    expect(uleb128(128)).toEqual([0x80, 0x01]);
    expect(uleb128(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb128(0xffffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(sleb128(0)).toEqual([0x00]);
    expect(sleb128(63)).toEqual([0x3f]);
    expect(sleb128(64)).toEqual([0xc0, 0x00]);
    expect(sleb128(-1)).toEqual([0x7f]);
    expect(sleb128(-64)).toEqual([0x40]);
    expect(sleb128(-65)).toEqual([0xbf, 0x7f]);
    expect(sleb128(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  it('assembles a module that WebAssembly accepts and runs', async () => {
    const i32 = 0x7f;
    // (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    const bytes = [
      ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      ...wasmSection(1, wasmVector([[0x60, ...wasmVector([[i32], [i32]]), ...wasmVector([[i32]])]])),
      ...wasmSection(3, wasmVector([[0x00]])),
      ...wasmSection(7, wasmVector([[...wasmName('add'), 0x00, 0x00]])),
      ...wasmSection(
        10,
        wasmVector([
          (() => {
            const body = [0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b];
            return [...uleb128(body.length), ...body];
          })(),
        ]),
      ),
    ];
    const { instance } = await WebAssembly.instantiate(new Uint8Array(bytes));
    expect((instance.exports.add as (a: number, b: number) => number)(40, 2)).toBe(42);
    expect(wasmName('é')).toEqual([2, 0xc3, 0xa9]);
  });
});
