/**
 * The inner loop of the exact neighbour search as a tiny WebAssembly SIMD module, assembled here
 * from opcodes (no build step, no binary blob in the repository).
 *
 * `scan` computes, for a tile of 4 queries and a "super-group" of 8 points, the 32 dot products
 * in f32x4 lanes (lanes run over points, so no horizontal sums are needed), subtracts each point's
 * half squared norm and compares the result with each query's cut-off. A tile/group pair whose mask
 * is not empty is written out as `(query, group << 8 | mask)`; JavaScript then re-ranks those
 * candidates with exact float64 distances. The f32 pass is only a filter with a proven error
 * margin (see `knn.ts`), so the final neighbours are exact.
 *
 * Memory layout (byte offsets chosen by the caller, 16-byte aligned):
 * - queries: tile `t` at `qt + t*d*16`, dimension `j` holds the 4 queries' values (f32x4);
 * - points: super-group `g` at `xt + g*d*32`, dimension `j` holds the 8 points' values (2 x f32x4);
 * - half norms: f32 per point, group `g` at `hx + g*32`;
 * - cut-offs: f32 per query, tile `t` at `cut + t*16`;
 * - output: pairs of i32.
 */

import {
  wasmName as name,
  wasmSection as section,
  sleb128 as sleb,
  uleb128 as uleb,
  wasmVector as vec,
  WASM_OP,
  WASM_SIMD,
  WASM_TYPE,
  wasmModule,
} from '@growset/core';

import { type WasmMemory, wasmApi } from './wasm-api.ts';

// Value types and opcodes (WebAssembly core 2.0 + fixed-width SIMD): core's tables.
const { i32: I32, v128: V128, empty: EMPTY } = WASM_TYPE;
const op = WASM_OP;
const simd = WASM_SIMD;

/** Parameters and locals of `scan`, by index. */
const P = { qt: 0, tiles: 1, xt: 2, g0: 3, g1: 4, d: 5, hx: 6, cut: 7, out: 8 } as const;
const L = {
  t: 9,
  g: 10,
  j: 11,
  qp: 12,
  xp: 13,
  count: 14,
  mask: 15,
  tileBase: 16,
  // v128 locals
  acc: 17, // 17..24: acc[r*2 + h] for query r (0..3), half h (0: points 0-3, 1: points 4-7)
  xa: 25,
  xb: 26,
  s: 27,
  ha: 28,
  hb: 29,
  c: 30,
} as const;

function get(index: number): number[] {
  return [op.localGet, ...uleb(index)];
}
function set(index: number): number[] {
  return [op.localSet, ...uleb(index)];
}
function i32(value: number): number[] {
  return [op.i32Const, ...sleb(value)];
}
function simdOp(code: number, ...imm: number[]): number[] {
  return [0xfd, ...uleb(code), ...imm];
}
/** memarg: alignment exponent, offset. */
function mem(align: number, offset: number): number[] {
  return [...uleb(align), ...uleb(offset)];
}

function scanBody(): number[] {
  const code: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const p of parts) code.push(...p);
  };
  // for (t = 0; t < tiles; t++)
  emit(i32(0), set(L.t));
  emit([op.block, EMPTY], [op.loop, EMPTY]);
  emit(get(L.t), get(P.tiles), [op.i32GeU], [op.brIf, 1]);
  // tileBase = qt + t * d * 16
  emit(get(P.qt), get(L.t), get(P.d), [op.i32Mul], i32(16), [op.i32Mul], [op.i32Add], set(L.tileBase));
  // for (g = g0; g < g1; g++)
  emit(get(P.g0), set(L.g));
  emit([op.block, EMPTY], [op.loop, EMPTY]);
  emit(get(L.g), get(P.g1), [op.i32GeU], [op.brIf, 1]);
  for (let a = 0; a < 8; a++) emit(simdOp(simd.const, ...new Array<number>(16).fill(0)), set(L.acc + a));
  emit(get(L.tileBase), set(L.qp));
  // xp = xt + g * d * 32
  emit(get(P.xt), get(L.g), get(P.d), [op.i32Mul], i32(32), [op.i32Mul], [op.i32Add], set(L.xp));
  emit(get(P.d), set(L.j));
  // do { ... } while (--j)
  emit([op.loop, EMPTY]);
  emit(get(L.xp), simdOp(simd.load, ...mem(4, 0)), set(L.xa));
  emit(get(L.xp), simdOp(simd.load, ...mem(4, 16)), set(L.xb));
  for (let r = 0; r < 4; r++) {
    emit(get(L.qp), simdOp(simd.load32Splat, ...mem(2, r * 4)), set(L.s));
    for (let h = 0; h < 2; h++) {
      const acc = L.acc + r * 2 + h;
      emit(
        get(acc),
        get(L.s),
        get(h === 0 ? L.xa : L.xb),
        simdOp(simd.f32x4Mul),
        simdOp(simd.f32x4Add),
        set(acc),
      );
    }
  }
  emit(get(L.qp), i32(16), [op.i32Add], set(L.qp));
  emit(get(L.xp), i32(32), [op.i32Add], set(L.xp));
  emit(get(L.j), i32(1), [op.i32Sub], [op.localTee, ...uleb(L.j)], [op.brIf, 0]);
  emit([op.end]);
  // half norms of the group
  emit(get(P.hx), get(L.g), i32(32), [op.i32Mul], [op.i32Add], [op.localTee, ...uleb(L.xp)]);
  emit(simdOp(simd.load, ...mem(4, 0)), set(L.ha));
  emit(get(L.xp), simdOp(simd.load, ...mem(4, 16)), set(L.hb));
  for (let r = 0; r < 4; r++) {
    // c = splat(cut[t*4 + r])
    emit(
      get(P.cut),
      get(L.t),
      i32(16),
      [op.i32Mul],
      [op.i32Add],
      simdOp(simd.load32Splat, ...mem(2, r * 4)),
      set(L.c),
    );
    // mask = bitmask((acc_a - ha) >= c) | bitmask((acc_b - hb) >= c) << 4
    emit(
      get(L.acc + r * 2),
      get(L.ha),
      simdOp(simd.f32x4Sub),
      get(L.c),
      simdOp(simd.f32x4Ge),
      simdOp(simd.i32x4Bitmask),
    );
    emit(
      get(L.acc + r * 2 + 1),
      get(L.hb),
      simdOp(simd.f32x4Sub),
      get(L.c),
      simdOp(simd.f32x4Ge),
      simdOp(simd.i32x4Bitmask),
    );
    emit(i32(4), [op.i32Shl], [op.i32Or], [op.localTee, ...uleb(L.mask)]);
    emit([op.if, EMPTY]);
    // out[0] = t*4 + r; out[1] = g << 8 | mask; out += 8; count++
    emit(get(P.out), get(L.t), i32(4), [op.i32Mul], i32(r), [op.i32Add], [op.i32Store, ...mem(2, 0)]);
    emit(get(P.out), get(L.g), i32(8), [op.i32Shl], get(L.mask), [op.i32Or], [op.i32Store, ...mem(2, 4)]);
    emit(get(P.out), i32(8), [op.i32Add], set(P.out));
    emit(get(L.count), i32(1), [op.i32Add], set(L.count));
    emit([op.end]);
  }
  emit(get(L.g), i32(1), [op.i32Add], set(L.g), [op.br, 0]);
  emit([op.end], [op.end]);
  emit(get(L.t), i32(1), [op.i32Add], set(L.t), [op.br, 0]);
  emit([op.end], [op.end]);
  emit(get(L.count), [op.end]);
  return code;
}

/** The module's bytes: one memory (exported as `memory`) and the `scan` function. */
export function scanModuleBytes(): Uint8Array {
  const params = new Array<number>(9).fill(I32);
  const type = section(1, vec([[0x60, ...vec(params.map((p) => [p])), ...vec([[I32]])]]));
  const func = section(3, vec([uleb(0)]));
  const memory = section(5, vec([[0x00, ...uleb(1)]]));
  const exports = section(
    7,
    vec([
      [...name('scan'), 0x00, ...uleb(0)],
      [...name('memory'), 0x02, ...uleb(0)],
    ]),
  );
  const locals = vec([
    [...uleb(8), I32],
    [...uleb(14), V128],
  ]);
  const body = [...locals, ...scanBody()];
  const codeSection = section(10, vec([[...uleb(body.length), ...body]]));
  return wasmModule([type, func, memory, exports, codeSection]);
}

export interface ScanKernel {
  readonly memory: WasmMemory;
  /** Returns the number of `(query, group << 8 | mask)` pairs written at `out`. */
  scan(
    qt: number,
    tiles: number,
    xt: number,
    g0: number,
    g1: number,
    d: number,
    hx: number,
    cut: number,
    out: number,
  ): number;
}

let compiled: object | null | undefined;

/**
 * A fresh instance of the kernel (each search owns its memory), or `null` where WebAssembly SIMD
 * is unavailable; callers then use the JavaScript kernel.
 */
export function createScanKernel(): ScanKernel | null {
  if (!wasmApi || compiled === null) return null;
  try {
    if (compiled === undefined) {
      const bytes = scanModuleBytes();
      compiled = wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
    }
    if (compiled === null) return null;
    const exports = new wasmApi.Instance(compiled, {}).exports as ScanKernel;
    return { memory: exports.memory, scan: exports.scan };
  } catch {
    compiled = null;
    return null;
  }
}
