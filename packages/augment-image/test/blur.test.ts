import { readFileSync } from 'node:fs';
import type { RawImage } from '@growset/core';
import { Rng } from '@growset/core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { compileWat } from '../scripts/wat.ts';
import { blurRgb8, fastBlurWeights } from '../src/internals/engine/js/blur.ts';
import { BLUR_WASM_BASE64 } from '../src/internals/engine/js/blur-wasm.generated.ts';
import { gaussianKernel, vipsGaussianKernel } from '../src/internals/ops/kernels.ts';
import { makeImage, meanAbsDiff, picture } from './helpers/images.ts';

/** The same integer arithmetic as blurRgb8, written plainly: x then y, clamped, rounded per pass. */
function reference(raw: RawImage, kernel: Float64Array): Uint8Array {
  const k = fastBlurWeights(kernel);
  const r = (kernel.length - 1) >> 1;
  const { width, height, channels } = raw;
  const at = (data: ArrayLike<number>, x: number, y: number, c: number) =>
    data[
      (Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))) * channels + c
    ]!;
  const pass = (data: ArrayLike<number>, dx: number, dy: number) => {
    const out = new Uint8Array(width * height * channels);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        for (let c = 0; c < channels; c++) {
          let sum = k[0] * at(data, x, y, c) + 64;
          for (let t = 1; t <= r; t++)
            sum += k[t]! * (at(data, x - t * dx, y - t * dy, c) + at(data, x + t * dx, y + t * dy, c));
          out[(y * width + x) * channels + c] = sum >> 7;
        }
    return out;
  };
  return pass(pass(raw.data, 1, 0), 0, 1);
}

describe('blurRgb8 (WebAssembly SIMD separable blur)', () => {
  it('matches the plain integer blur exactly, borders included, for any size and kernel radius', () => {
    const rng = Rng.create(3);
    const sizes: [number, number, 1 | 3 | 4][] = [
      [224, 224, 3],
      [37, 19, 3],
      [5, 7, 3],
      [1, 1, 3],
      [2, 9, 3],
      [9, 2, 1],
      [13, 11, 4],
    ];
    for (const [width, height, channels] of sizes) {
      const image = makeImage(width, height, channels, 'uint8', () => rng.int(0, 255));
      for (const kernel of [
        vipsGaussianKernel(0.8),
        vipsGaussianKernel(1.5),
        vipsGaussianKernel(1.9),
        gaussianKernel(0.25),
      ]) {
        const out = blurRgb8(image, kernel);
        expect([out.width, out.height, out.channels]).toEqual([width, height, channels]);
        expect(Buffer.from(out.data as Uint8Array).equals(Buffer.from(reference(image, kernel)))).toBe(true);
      }
    }
  });

  it("is libvips' blur (sharp's blur(sigma)) up to rounding, without its brightness drift", async () => {
    const image = picture(160, 120);
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    for (const sigma of [0.5, 0.8, 1, 1.2, 1.3, 1.5, 2]) {
      const ours = blurRgb8(image, vipsGaussianKernel(sigma)).data;
      const theirs = await sharp(image.data as Uint8Array, { raw: { width: 160, height: 120, channels: 3 } })
        .blur(sigma)
        .raw()
        .toBuffer();
      // Mostly identical; libvips' fixed-point mask can lose a level or two (sigma 1.3 darkens by 1.5).
      expect(meanAbsDiff(ours, theirs)).toBeLessThan(2);
      let max = 0;
      for (let i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(ours[i]! - theirs[i]!));
      expect(max).toBeLessThanOrEqual(4);
      expect(Math.abs(mean(ours) - mean(image.data))).toBeLessThan(0.25);
    }
  });

  it('gives the identity below the first libvips kernel width (sigma < ~0.56)', () => {
    expect(Array.from(vipsGaussianKernel(0.5))).toEqual([1]);
    expect(vipsGaussianKernel(1).length).toBe(3);
    expect(vipsGaussianKernel(1.5).length).toBe(5);
    const image = picture(20, 10);
    expect(blurRgb8(image, vipsGaussianKernel(0.5))).toBe(image);
  });

  it('ships the module compiled from blur.wat', async () => {
    const wat = readFileSync(new URL('../src/internals/engine/js/blur.wat', import.meta.url), 'utf8');
    const bytes = await compileWat(wat);
    expect(Buffer.from(bytes).toString('base64')).toBe(BLUR_WASM_BASE64);
  });
});
