import { readFileSync } from 'node:fs';
import type { JsonObject, RawImage } from '@growset/core';
import { Rng } from '@growset/core';
import { expect } from 'vitest';
import { type AppliedParams, augment, type Transform } from '../../src/index.ts';
import { makeImage } from '../helpers/images.ts';

export type Engine = 'js' | 'libvips';

/**
 * A pixel check: runs a transform on a tiny synthetic image with the given engine and compares
 * its output with a closed-form expectation or an OpenCV golden. Every registered transform
 * needs one (the conformance suite fails otherwise).
 */
export type PixelCheck = (engine: Engine) => Promise<void>;

/** Applies `params` (or params drawn from `seed`) and returns raw pixels. */
export async function run(
  t: Transform,
  image: RawImage,
  engine: Engine,
  paramsOrSeed: JsonObject | string = 'pixel',
): Promise<{ out: RawImage; params: JsonObject }> {
  if (typeof paramsOrSeed === 'string') {
    const result = await augment(t, { image }, Rng.create(paramsOrSeed), { output: 'raw', engine });
    return { out: result.target.image as RawImage, params: result.params.params ?? {} };
  }
  const applied: AppliedParams = { type: t.type, applied: true, params: paramsOrSeed };
  const result = await t.apply({ image }, applied, { output: 'raw', engine });
  return { out: result.target.image as RawImage, params: paramsOrSeed };
}

export function at(image: RawImage, x: number, y: number, c: number): number {
  return image.data[(y * image.width + x) * image.channels + c]!;
}

/** A deterministic texture with distinct neighbouring values (for exact moves). */
export function texture(width: number, height: number, channels: 1 | 3 | 4 = 3): RawImage {
  return makeImage(width, height, channels, 'uint8', (x, y, c) =>
    c === 3 ? 200 : (x * 37 + y * 91 + c * 53 + ((x * y) % 7) * 11) % 256,
  );
}

/** A constant image. */
export function flat(width: number, height: number, values: readonly number[]): RawImage {
  return makeImage(width, height, values.length as 1 | 3, 'uint8', (_x, _y, c) => values[c]!);
}

/**
 * Linear ramps in pixel-centre coordinates (R = 5x + 2y + 10, G = 2x + 5y + 5, B = 128; up to 32 x 32 px), so a
 * bilinear or bicubic sample at any point inside is known in closed form.
 */
export const RAMP = {
  r: (x: number, y: number) => 5 * x + 2 * y + 10,
  g: (x: number, y: number) => 2 * x + 5 * y + 5,
  b: () => 128,
};
export function ramp(width: number, height: number): RawImage {
  if (width > 32 || height > 32) throw new Error('ramp: at most 32 x 32 (values must fit in 8 bits)');
  return makeImage(width, height, 3, 'uint8', (x, y, c) =>
    c === 0 ? RAMP.r(x, y) : c === 1 ? RAMP.g(x, y) : RAMP.b(),
  );
}

/** Compares every pixel with `expected(x, y, c)`; reports the first mismatch beyond `tolerance`. */
export function expectPixels(
  out: RawImage,
  expected: (x: number, y: number, c: number) => number | undefined,
  tolerance: number,
  label: string,
): void {
  let compared = 0;
  for (let y = 0; y < out.height; y++)
    for (let x = 0; x < out.width; x++)
      for (let c = 0; c < out.channels; c++) {
        const want = expected(x, y, c);
        if (want === undefined) continue;
        compared++;
        const got = at(out, x, y, c);
        if (Math.abs(got - want) > tolerance)
          expect.fail(`${label}: pixel (${x}, ${y}) channel ${c} is ${got}, expected ${want} ± ${tolerance}`);
      }
  expect(compared, `${label}: pixels compared`).toBeGreaterThan(0);
}

/**
 * Checks a warp against the ramp: output pixel (x, y) samples the input at `inverse` of its
 * centre (edge coordinates); pixels sampling within `margin` px of the border of `region` (pixel
 * centres [x0, y0, x1, y1], @default the whole input) are skipped.
 * Requires at least `minShare` of the output pixels to be compared.
 */
export function expectWarp(
  out: RawImage,
  input: { width: number; height: number },
  inverse: (x: number, y: number) => [number, number],
  label: string,
  {
    tolerance = 1.5,
    margin = 1,
    minShare = 0.25,
    region = [0, 0, input.width - 1, input.height - 1],
  }: { tolerance?: number; margin?: number; minShare?: number; region?: readonly number[] } = {},
): void {
  let compared = 0;
  const [rx0, ry0, rx1, ry1] = region as [number, number, number, number];
  expectPixels(
    out,
    (x, y, c) => {
      const [u, v] = inverse(x + 0.5, y + 0.5);
      const px = u - 0.5;
      const py = v - 0.5;
      if (px < rx0 + margin || py < ry0 + margin || px > rx1 - margin || py > ry1 - margin) return undefined;
      if (c === 0) compared++;
      return c === 0 ? RAMP.r(px, py) : c === 1 ? RAMP.g(px, py) : RAMP.b();
    },
    tolerance,
    label,
  );
  expect(compared / (out.width * out.height), `${label}: share of pixels compared`).toBeGreaterThanOrEqual(
    minShare,
  );
}

export function clamp8(v: number): number {
  return Math.min(255, Math.max(0, v));
}

/** Mean absolute difference and the largest difference between two images. */
export function difference(a: ArrayLike<number>, b: ArrayLike<number>): { mean: number; max: number } {
  expect(a.length).toBe(b.length);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    sum += d;
    max = Math.max(max, d);
  }
  return { mean: sum / a.length, max };
}

export interface GoldenCase {
  name: string;
  note: string;
  width: number;
  height: number;
  channels: 1 | 3;
  input: number[];
  params: JsonObject;
  output: number[];
}

let goldens: GoldenCase[] | undefined;

/** A case of test/golden/opencv.generated.json (made by scripts/goldens.py with OpenCV 4.6). */
export function golden(name: string): { input: RawImage; output: RawImage; params: JsonObject } {
  goldens ??= (
    JSON.parse(readFileSync(new URL('../golden/opencv.generated.json', import.meta.url), 'utf8')) as {
      cases: GoldenCase[];
    }
  ).cases;
  const g = goldens.find((c) => c.name === name);
  if (!g) throw new Error(`no golden case ${name}: run /usr/bin/python3 scripts/goldens.py`);
  const image = (data: number[]): RawImage => ({
    kind: 'raw',
    data: Uint8Array.from(data),
    width: g.width,
    height: g.height,
    channels: g.channels,
    dtype: 'uint8',
  });
  return { input: image(g.input), output: image(g.output), params: g.params };
}

/** The share of values of `a` within `tolerance` of `b`. */
export function shareWithin(a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number): number {
  expect(a.length).toBe(b.length);
  let close = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) <= tolerance) close++;
  return close / a.length;
}
