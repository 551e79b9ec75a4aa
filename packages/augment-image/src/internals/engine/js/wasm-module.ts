/** The part of the WebAssembly API used here (the repo's TypeScript lib has no WebAssembly types). */
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

/** A module's linear memory, as its exports show it. */
export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** Instantiates a module shipped as base64 (synchronously: the modules are a few hundred bytes). */
export function instantiate<T>(base64: string): T {
  const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;
  const bytes = Buffer.from(base64, 'base64');
  return new wasm.Instance(new wasm.Module(bytes)).exports as T;
}

/** Grows `memory` to hold at least `bytes` bytes. */
export function ensureMemory(memory: WasmMemory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
}
