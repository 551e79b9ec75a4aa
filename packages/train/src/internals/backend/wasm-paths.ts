import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Folder (with a trailing separator) holding the `.wasm` binaries of `@tensorflow/tfjs-backend-wasm`
 * in node_modules. Resolved from this module, so it works from the main thread and from worker
 * threads alike, without a network fetch.
 */
export function wasmBinaryFolder(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return `${join(dirname(packageJson), 'dist')}/`;
}
