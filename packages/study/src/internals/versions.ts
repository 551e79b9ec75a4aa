import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const PACKAGES = [
  '@growset/core',
  '@growset/study',
  '@growset/train',
  '@growset/augment-image',
  '@growset/augment-tabular',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-node',
  'sharp',
];

/** Versions of Node and of the packages that shape results (those installed). */
export async function collectVersions(): Promise<{ [name: string]: string }> {
  const out: { [name: string]: string } = { node: process.version };
  for (const name of PACKAGES) {
    try {
      const path = require.resolve(`${name}/package.json`);
      out[name] = (JSON.parse(await readFile(path, 'utf8')) as { version: string }).version;
    } catch {
      // not installed: leave it out
    }
  }
  return out;
}
