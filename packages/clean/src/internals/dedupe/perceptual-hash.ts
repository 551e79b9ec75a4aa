import type { ImagePayload } from '@growset/core';
import { type DecodeLimits, sharpFor } from '../images/sharp-input.ts';
import { type Hash64, hashToHex } from './bk-tree.ts';

/** Perceptual hashes, as in the `imagehash` Python package. */
export type PerceptualHashKind = 'dhash' | 'phash';

const DEFAULT_LIMITS: DecodeLimits = { maxPixels: 268_402_689, failOn: 'warning' };

/**
 * dHash (difference hash) of a 9x8 grey image: bit i is set when a pixel is brighter than its
 * left neighbour. Robust to scaling, recompression and small colour changes.
 */
export function dhashFromPixels(grey: Uint8Array): Hash64 {
  let hi = 0;
  let lo = 0;
  let bit = 0;
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      const set = grey[y * 9 + x + 1]! > grey[y * 9 + x]! ? 1 : 0;
      if (bit < 32) hi = (hi << 1) | set;
      else lo = (lo << 1) | set;
      bit += 1;
    }
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

const N = 32;
const K = 8;
/** DCT-II basis, first 8 frequencies over 32 samples (scale does not matter: bits compare to the median). */
const BASIS: Float64Array = (() => {
  const basis = new Float64Array(K * N);
  for (let k = 0; k < K; k++) {
    for (let n = 0; n < N; n++) basis[k * N + n] = Math.cos((Math.PI * k * (2 * n + 1)) / (2 * N));
  }
  return basis;
})();

/**
 * pHash of a 32x32 grey image: the 8x8 lowest frequencies of its 2-D DCT, each bit set when the
 * coefficient is above their median (imagehash's `phash`). Robust to scaling, blur and gamma.
 */
export function phashFromPixels(grey: Uint8Array): Hash64 {
  const rows = new Float64Array(K * N);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < N; j++) {
      let sum = 0;
      for (let i = 0; i < N; i++) sum += BASIS[k * N + i]! * grey[i * N + j]!;
      rows[k * N + j] = sum;
    }
  }
  const low = new Float64Array(K * K);
  for (let k = 0; k < K; k++) {
    for (let l = 0; l < K; l++) {
      let sum = 0;
      for (let j = 0; j < N; j++) sum += rows[k * N + j]! * BASIS[l * N + j]!;
      low[k * K + l] = sum;
    }
  }
  const sorted = Float64Array.from(low).sort();
  const median = (sorted[31]! + sorted[32]!) / 2;
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 64; i++) {
    const set = low[i]! > median ? 1 : 0;
    if (i < 32) hi = (hi << 1) | set;
    else lo = (lo << 1) | set;
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

/** Size of the grey thumbnail each hash is computed from. */
export function hashInputSize(kind: PerceptualHashKind): { width: number; height: number } {
  return kind === 'dhash' ? { width: 9, height: 8 } : { width: N, height: N };
}

/**
 * Decodes an image (first frame) into the grey thumbnail of a hash and returns the hash as 16 hex
 * digits. Decoding reads every pixel, so it also fails on truncated or corrupt data.
 */
export async function perceptualHash(
  payload: ImagePayload,
  kind: PerceptualHashKind,
  limits: DecodeLimits = DEFAULT_LIMITS,
): Promise<string> {
  const { width, height } = hashInputSize(kind);
  const grey = await sharpFor(payload, limits)
    .removeAlpha()
    .greyscale()
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw({ depth: 'uchar' })
    .toBuffer();
  const pixels = new Uint8Array(grey.buffer, grey.byteOffset, grey.byteLength);
  return hashToHex(kind === 'dhash' ? dhashFromPixels(pixels) : phashFromPixels(pixels));
}
