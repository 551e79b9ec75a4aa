/**
 * A minimal WebAssembly (core 2.0 + fixed-width SIMD) assembler for kernels generated at run time:
 * one function per module, i32 pointer parameters, the memory imported from the tfjs wasm backend,
 * so a kernel reads and writes tensors where they already live on the backend's heap. The same
 * technique as `@growset/tables`' neighbour search (no build step, no binary blob), with
 * loops, pointers and vector locals wrapped in a small builder so that a kernel can be specialized
 * to one convolution geometry (every size a constant, inner loops unrolled).
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

export const I32 = WASM_TYPE.i32;
export const V128 = WASM_TYPE.v128;
const EMPTY = WASM_TYPE.empty;
const op = WASM_OP;
/** SIMD opcodes (after the 0xfd prefix). */
const simd = WASM_SIMD;

/**
 * Builds the body of one function. Parameters are i32 locals `0..params-1`; `i32()` and `v128()`
 * allocate further locals. Byte offsets passed to loads and stores must be non-negative.
 */
export class FunctionBuilder {
  readonly #code: number[] = [];
  readonly #localTypes: number[] = [];
  readonly params: number;

  constructor(params: number) {
    this.params = params;
  }

  /** A new i32 local. */
  i32(): number {
    this.#localTypes.push(I32);
    return this.params + this.#localTypes.length - 1;
  }

  /** A new v128 local. */
  v128(): number {
    this.#localTypes.push(V128);
    return this.params + this.#localTypes.length - 1;
  }

  #emit(...bytes: number[]): void {
    for (const b of bytes) this.#code.push(b);
  }

  #simd(code: number, ...imm: number[]): void {
    this.#emit(0xfd, ...uleb(code), ...imm);
  }

  #memarg(offset: number): number[] {
    if (!Number.isInteger(offset) || offset < 0 || offset > 0xffffffff)
      throw new RangeError(`wasm memarg offset ${offset} out of range`);
    return [0, ...uleb(offset)];
  }

  get(local: number): void {
    this.#emit(op.localGet, ...uleb(local));
  }

  set(local: number): void {
    this.#emit(op.localSet, ...uleb(local));
  }

  /** `local = value`. */
  setConst(local: number, value: number): void {
    this.#emit(op.i32Const, ...sleb(value));
    this.set(local);
  }

  /** `target = source + delta` (bytes). */
  addTo(target: number, source: number, delta: number): void {
    this.get(source);
    if (delta !== 0) {
      this.#emit(op.i32Const, ...sleb(delta), op.i32Add);
    }
    this.set(target);
  }

  /** `local += delta`. */
  bump(local: number, delta: number): void {
    if (delta !== 0) this.addTo(local, local, delta);
  }

  /**
   * Runs `body` `count` times (a constant known when the kernel is generated) with `counter` as
   * the down-counter: nothing for 0, inline for 1, a do-while loop otherwise.
   */
  repeat(counter: number, count: number, body: () => void): void {
    if (count <= 0) return;
    if (count === 1) {
      body();
      return;
    }
    this.setConst(counter, count);
    this.#emit(op.loop, EMPTY);
    body();
    this.get(counter);
    this.#emit(op.i32Const, 1, op.i32Sub, op.localTee, ...uleb(counter), op.brIf, 0, op.end);
  }

  /** `target = v128.load(pointer + offset)`. */
  load(target: number, pointer: number, offset: number): void {
    this.get(pointer);
    this.#simd(simd.load, ...this.#memarg(offset));
    this.set(target);
  }

  /** `target = f32x4.splat(f32.load(pointer + offset))`. */
  splat(target: number, pointer: number, offset: number): void {
    this.get(pointer);
    this.#simd(simd.load32Splat, ...this.#memarg(offset));
    this.set(target);
  }

  /** `v128.store(pointer + offset, value)`. */
  store(pointer: number, offset: number, value: number): void {
    this.get(pointer);
    this.get(value);
    this.#simd(simd.store, ...this.#memarg(offset));
  }

  /** `target = 0` (all lanes). */
  zero(target: number): void {
    this.#simd(simd.const, ...new Array<number>(16).fill(0));
    this.set(target);
  }

  /** `acc += a * b` (f32x4, a multiply then an add: no fused rounding). */
  mulAdd(acc: number, a: number, b: number): void {
    this.get(acc);
    this.get(a);
    this.get(b);
    this.#simd(simd.f32x4Mul);
    this.#simd(simd.f32x4Add);
    this.set(acc);
  }

  /** `target = a + b` (f32x4). */
  add(target: number, a: number, b: number): void {
    this.#binary(simd.f32x4Add, target, a, b);
  }

  /** `target = a - b` (f32x4). */
  sub(target: number, a: number, b: number): void {
    this.#binary(simd.f32x4Sub, target, a, b);
  }

  /** `target = a * b` (f32x4). */
  mul(target: number, a: number, b: number): void {
    this.#binary(simd.f32x4Mul, target, a, b);
  }

  /** `target = a / b` (f32x4). */
  div(target: number, a: number, b: number): void {
    this.#binary(simd.f32x4Div, target, a, b);
  }

  /** `target = max(a, b)` (f32x4). */
  max(target: number, a: number, b: number): void {
    this.#binary(simd.f32x4Max, target, a, b);
  }

  /** `target = sqrt(a)` (f32x4). */
  sqrt(target: number, a: number): void {
    this.get(a);
    this.#simd(simd.f32x4Sqrt);
    this.set(target);
  }

  /** `target = f32x4.splat(value)` (a constant). */
  splatConst(target: number, value: number): void {
    const bytes = new Uint8Array(new Float32Array([value]).buffer);
    this.#emit(0x43, ...bytes);
    this.#simd(simd.f32x4Splat);
    this.set(target);
  }

  /**
   * `target` = the first `lanes` (1 to 4) floats at `pointer + offset`, the other lanes zero; reads
   * nothing past them (for row tails that end a tensor).
   */
  loadPartial(target: number, pointer: number, offset: number, lanes: number): void {
    if (lanes >= 4) {
      this.load(target, pointer, offset);
      return;
    }
    this.get(pointer);
    this.#simd(simd.load32Zero, ...this.#memarg(offset));
    this.set(target);
    for (let lane = 1; lane < lanes; lane++) {
      this.get(pointer);
      this.get(target);
      this.#simd(simd.load32Lane, ...this.#memarg(offset + 4 * lane), lane);
      this.set(target);
    }
  }

  /** Stores the first `lanes` (1 to 4) floats of `value` at `pointer + offset`. */
  storePartial(pointer: number, offset: number, value: number, lanes: number): void {
    if (lanes >= 4) {
      this.store(pointer, offset, value);
      return;
    }
    for (let lane = 0; lane < lanes; lane++) {
      this.get(pointer);
      this.get(value);
      this.#simd(simd.store32Lane, ...this.#memarg(offset + 4 * lane), lane);
    }
  }

  #binary(code: number, target: number, a: number, b: number): void {
    this.get(a);
    this.get(b);
    this.#simd(code);
    this.set(target);
  }

  /** `acc += a` (f32x4). */
  addInto(acc: number, a: number): void {
    this.get(acc);
    this.get(a);
    this.#simd(simd.f32x4Add);
    this.set(acc);
  }

  /** `target = a == b` (f32x4 lane masks). */
  eq(target: number, a: number, b: number): void {
    this.get(a);
    this.get(b);
    this.#simd(simd.f32x4Eq);
    this.set(target);
  }

  /** `target = a > b` (f32x4 lane masks). */
  gt(target: number, a: number, b: number): void {
    this.get(a);
    this.get(b);
    this.#simd(simd.f32x4Gt);
    this.set(target);
  }

  and(target: number, a: number, b: number): void {
    this.get(a);
    this.get(b);
    this.#simd(simd.v128And);
    this.set(target);
  }

  /** `target = a & ~b`. */
  andNot(target: number, a: number, b: number): void {
    this.get(a);
    this.get(b);
    this.#simd(simd.v128AndNot);
    this.set(target);
  }

  or(target: number, a: number, b: number): void {
    this.get(a);
    this.get(b);
    this.#simd(simd.v128Or);
    this.set(target);
  }

  /** The function body: local declarations (runs of one type) and the code. */
  body(): number[] {
    const runs: number[][] = [];
    for (const type of this.#localTypes) {
      const last = runs[runs.length - 1];
      if (last && last[1] === type) last[0]!++;
      else runs.push([1, type]);
    }
    const locals = vec(runs.map(([count, type]) => [...uleb(count!), type!]));
    return [...locals, ...this.#code, op.end];
  }
}

/**
 * A module importing `env.memory` and exporting the single function `run` (`params` i32
 * parameters, no result).
 */
export function moduleBytes(fn: FunctionBuilder): Uint8Array {
  const type = section(1, vec([[0x60, ...vec(new Array(fn.params).fill([I32])), ...vec([])]]));
  const imports = section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(0)]]));
  const func = section(3, vec([uleb(0)]));
  const exports = section(7, vec([[...name('run'), 0x00, ...uleb(0)]]));
  const body = fn.body();
  const code = section(10, vec([[...uleb(body.length), ...body]]));
  return wasmModule([type, imports, func, exports, code]);
}
