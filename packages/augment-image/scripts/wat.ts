import wabtFactory from 'wabt';

/** The WebAssembly modules of the package: `<name>.wat` compiles into `<name>-wasm.generated.ts`. */
export const WASM_MODULES = [
  { name: 'blur', constant: 'BLUR_WASM_BASE64' },
  { name: 'resample', constant: 'RESAMPLE_WASM_BASE64' },
] as const;

/** WebAssembly text to binary with WABT (SIMD enabled), without names or debug info. */
export async function compileWat(text: string): Promise<Uint8Array> {
  const wabt = await wabtFactory();
  const module = wabt.parseWat('blur.wat', text, { simd: true });
  try {
    module.validate();
    return new Uint8Array(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}
