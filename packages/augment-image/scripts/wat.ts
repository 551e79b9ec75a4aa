import wabtFactory from 'wabt';

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
