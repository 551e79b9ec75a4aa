import { GrowsetError, type RawImage, Rng } from '@growset/core';
import { loadMnist } from '@growset/fixtures';
import { describe, expect, it } from 'vitest';
import {
  affine,
  augmentRaw,
  compose,
  elasticTransform,
  jpegCompression,
  normalize,
  paramsFromJson,
  paramsToJson,
  replayRaw,
} from '../src/index.ts';

const digits = await loadMnist({ limit: 40 });
const recipe = compose([
  affine({
    rotate: [-10, 10],
    scale: [0.9, 1.1],
    translateX: [-0.08, 0.08],
    translateY: [-0.08, 0.08],
    shearX: [-8, 8],
  }),
  elasticTransform({ alpha: 34, sigma: 4 }),
]);

const mass = (image: RawImage, max: number) => Array.from(image.data).reduce((a, v) => a + v / max, 0);

describe('augmentRaw on real 28x28 MNIST digits', () => {
  it('is deterministic for a generator key and differs across keys', () => {
    const digit = digits[0]!.payload;
    const a = augmentRaw(recipe, digit, Rng.create(1).fork('trial-3').fork('epoch-0'));
    const b = augmentRaw(recipe, digit, Rng.create(1).fork('trial-3').fork('epoch-0'));
    const c = augmentRaw(recipe, digit, Rng.create(1).fork('trial-3').fork('epoch-1'));
    expect(b.image.data).toEqual(a.image.data);
    expect(b.params).toEqual(a.params);
    expect(c.image.data).not.toEqual(a.image.data);
  });

  it('keeps 28x28x1 uint8, or gives float32 in [0, 1] for the trainer', () => {
    for (const { payload } of digits.slice(0, 10)) {
      const raw = augmentRaw(recipe, payload, Rng.create(payload.data.length));
      expect([raw.image.width, raw.image.height, raw.image.channels, raw.image.dtype]).toEqual([
        28,
        28,
        1,
        'uint8',
      ]);
      const float = augmentRaw(recipe, payload, Rng.create(payload.data.length), { output: 'float32' });
      expect(float.image.dtype).toBe('float32');
      expect(float.image.data).toBeInstanceOf(Float32Array);
      for (let i = 0; i < 784; i++) {
        expect(float.image.data[i]).toBeGreaterThanOrEqual(0);
        expect(float.image.data[i]).toBeLessThanOrEqual(1);
        // The float output is the unrounded value; the uint8 one is it rounded to 1/255.
        expect(Math.abs(float.image.data[i]! - raw.image.data[i]! / 255)).toBeLessThanOrEqual(
          0.5 / 255 + 1e-6,
        );
      }
    }
  });

  it('deforms the strokes (Simard 2003) but keeps the digit roughly in place and its ink within bounds', () => {
    const elastic = elasticTransform({ alpha: 34, sigma: 4 });
    const centroid = (image: RawImage) => {
      let [sx, sy, sw] = [0, 0, 0];
      for (let i = 0; i < 784; i++) {
        sx += (i % 28) * image.data[i]!;
        sy += Math.floor(i / 28) * image.data[i]!;
        sw += image.data[i]!;
      }
      return [sx / sw, sy / sw];
    };
    for (const { id, payload } of digits) {
      const out = augmentRaw(compose([elastic]), payload, Rng.create(`ink:${id}`)).image;
      let changed = 0;
      for (let i = 0; i < 784; i++) if (Math.abs(out.data[i]! - payload.data[i]!) > 32) changed++;
      expect(changed).toBeGreaterThan(10);
      // Simard's field stretches locally by about +-25% (std), so the ink varies, within bounds.
      const ratio = mass(out, 255) / mass(payload, 255);
      expect(ratio).toBeGreaterThan(0.4);
      expect(ratio).toBeLessThan(2.2);
      const [ax, ay] = centroid(payload);
      const [bx, by] = centroid(out);
      expect(Math.hypot(ax! - bx!, ay! - by!)).toBeLessThan(4);
    }
  });

  it('replays recorded params (as JSON, as a lineage stores them) to the same pixels', () => {
    const digit = digits[5]!.payload;
    const { image, params } = augmentRaw(recipe, digit, Rng.create(9));
    const stored = paramsFromJson(JSON.parse(JSON.stringify(paramsToJson(params))));
    expect(replayRaw(recipe, digit, stored).data).toEqual(image.data);
  });

  it('ends in normalized float32 when the recipe ends with normalize', () => {
    const digit = digits[1]!.payload;
    const { image } = augmentRaw(
      compose([affine({ rotate: 5 }), normalize({ mean: [0.1307], std: [0.3081] })]),
      digit,
      Rng.create(1),
    );
    expect(image.dtype).toBe('float32');
    expect(image.data[0]).toBeCloseTo((0 - 0.1307) / 0.3081, 5);
  });

  it('refuses recipes that need libvips, saying what to use instead', () => {
    expect(() => augmentRaw(compose([jpegCompression()]), digits[0]!.payload, Rng.create(1))).toThrow(
      GrowsetError,
    );
    expect(() => augmentRaw(compose([jpegCompression()]), digits[0]!.payload, Rng.create(1))).toThrow(
      /use augment\(\)/,
    );
  });
});
