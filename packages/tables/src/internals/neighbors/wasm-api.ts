/**
 * The part of the WebAssembly JavaScript API this package uses. The project's `lib` (ES2023, no
 * DOM) does not declare `WebAssembly`, and a runtime may lack it; reading it from `globalThis`
 * covers both.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

export const wasmApi: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** A growable byte buffer with the same interface as a WebAssembly memory. */
export function plainMemory(pages: number): WasmMemory {
  if (wasmApi) return new wasmApi.Memory({ initial: pages });
  let buffer = new ArrayBuffer(pages * 65536);
  return {
    get buffer() {
      return buffer;
    },
    grow(more: number) {
      const before = buffer.byteLength / 65536;
      const next = new ArrayBuffer(buffer.byteLength + more * 65536);
      new Uint8Array(next).set(new Uint8Array(buffer));
      buffer = next;
      return before;
    },
  };
}
