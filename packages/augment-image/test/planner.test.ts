import { type RawImage, Rng } from '@growset/core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  affine,
  augment,
  centerCrop,
  colorJitter,
  compose,
  gaussianBlur,
  horizontalFlip,
  invert,
  jpegCompression,
  normalize,
  parseRecipe,
  resize,
  rotate,
} from '../src/index.ts';
import { decode, encode, meanAbsDiff, picture } from './helpers/images.ts';
import { issueRecipe } from './helpers/recipes.ts';

const ISSUE_RECIPE = issueRecipe();

const photo = picture(512, 512);
const photoJpeg = await encode(photo, 'jpeg');

describe('the planner', () => {
  it('runs the issue recipe in 2 libvips passes, close to running every op on its own', async () => {
    const recipe = parseRecipe(ISSUE_RECIPE);
    for (let seed = 0; seed < 4; seed++) {
      const fused = await augment(recipe, { image: { kind: 'encoded', data: photoJpeg } }, Rng.create(seed), {
        output: 'png',
      });
      expect(fused.plan.engine).toBe('libvips');
      expect(fused.plan.passes).toBe(2);
      expect(fused.plan.steps[0]).toMatch(/^libvips\[decode/);
      // The blur runs on the resampled pixels (libvips' kernel, on typed arrays); the last pass only encodes.
      expect(fused.plan.steps.slice(1)).toEqual(['js[resample+colour+blur]', 'libvips[raw,png]']);
      const stepByStep = await recipe.apply({ image: { kind: 'encoded', data: photoJpeg } }, fused.params, {
        output: 'png',
        engine: 'js',
      });
      const a = await decode((fused.target.image as { data: Uint8Array }).data);
      const b = await decode((stepByStep.target.image as { data: Uint8Array }).data);
      expect([a.width, a.height, a.channels]).toEqual([224, 224, 3]);
      // libvips truncates its Gaussian at 0.2 of the peak, the typed-array engine at 3 sigma.
      expect(meanAbsDiff(a.data, b.data)).toBeLessThan(4);
    }
  });

  it('runs an axis-aligned chain (mirror, crop, resize, blur, brightness) in one pass', async () => {
    const recipe = compose([
      horizontalFlip({ p: 1 }),
      centerCrop({ width: 400, height: 300 }),
      resize({ width: 200, height: 150 }),
      gaussianBlur({ sigma: 1 }),
      colorJitter({ brightness: [1.2, 1.2] }),
    ]);
    const fused = await augment(recipe, { image: { kind: 'encoded', data: photoJpeg } }, Rng.create(1), {
      output: 'png',
    });
    expect(fused.plan.steps).toEqual(['libvips[decode,extract,resize,mirror,blur,linear,png]']);
    const js = await augment(recipe, { image: { kind: 'encoded', data: photoJpeg } }, Rng.create(1), {
      output: 'png',
      engine: 'js',
    });
    const a = await decode((fused.target.image as { data: Uint8Array }).data);
    const b = await decode((js.target.image as { data: Uint8Array }).data);
    expect([a.width, a.height]).toEqual([200, 150]);
    expect(meanAbsDiff(a.data, b.data)).toBeLessThan(3);
  });

  it('shrinks JPEGs on load when the output is much smaller than the input', async () => {
    const big = await encode(picture(1200, 900), 'jpeg');
    const plain = await augment(
      resize({ width: 200, height: 150 }),
      { image: { kind: 'encoded', data: big } },
      Rng.create(1),
      { output: 'raw' },
    );
    expect(plain.plan.steps).toEqual(['libvips[decode/4,resize,raw]']);
    const rotated = await augment(
      compose([rotate({ limit: [10, 10] }), resize({ width: 300, height: 225 })]),
      { image: { kind: 'encoded', data: big } },
      Rng.create(1),
      { output: 'raw' },
    );
    expect(rotated.plan.steps[0]).toBe('libvips[decode/2,resize,raw]');
    const out = rotated.target.image as RawImage;
    expect([out.width, out.height]).toEqual([300, 225]);
  });

  it('gives raw pixels or float32 tensors without encoding', async () => {
    const recipe = parseRecipe(ISSUE_RECIPE);
    const raw = await augment(recipe, { image: { kind: 'encoded', data: photoJpeg } }, Rng.create(5), {
      output: 'raw',
    });
    const float = await augment(recipe, { image: { kind: 'encoded', data: photoJpeg } }, Rng.create(5), {
      output: 'float32',
    });
    const r = raw.target.image as RawImage;
    const f = float.target.image as RawImage;
    expect([r.kind, r.dtype, r.width, r.height, r.channels]).toEqual(['raw', 'uint8', 224, 224, 3]);
    expect([f.dtype, f.width, f.height, f.channels]).toEqual(['float32', 224, 224, 3]);
    expect(f.data).toBeInstanceOf(Float32Array);
    for (let i = 0; i < f.data.length; i += 997) expect(f.data[i]).toBeCloseTo(r.data[i]! / 255, 6);
    expect(raw.plan.steps.some((s) => /jpeg|png/.test(s))).toBe(false);
  });

  it('keeps 16-bit depth and the alpha channel through libvips passes', async () => {
    const deep = picture(300, 200, 3, 'uint16');
    const recipe = compose([
      rotate({ limit: [8, 8] }),
      colorJitter({ brightness: [0.9, 0.9] }),
      gaussianBlur({ sigma: 1 }),
    ]);
    const r16 = await augment(
      recipe,
      { image: { kind: 'encoded', data: await encode(deep, 'png') } },
      Rng.create(2),
      { output: 'raw' },
    );
    const out16 = r16.target.image as RawImage;
    expect(out16.dtype).toBe('uint16');
    expect(Array.from(out16.data).reduce((m, v) => Math.max(m, v), 0)).toBeGreaterThan(255 * 60);
    expect(r16.plan.engine).toBe('libvips');

    const rgba = picture(300, 200, 4);
    const r4 = await augment(
      rotate({ limit: [20, 20] }),
      { image: { kind: 'encoded', data: await encode(rgba, 'png') } },
      Rng.create(2),
      {
        output: 'raw',
      },
    );
    const out4 = r4.target.image as RawImage;
    expect(out4.channels).toBe(4);
    expect(out4.data[3]).toBe(0); // a corner revealed by the rotation is transparent
    const centre = (100 * 300 + 150) * 4 + 3;
    expect(Math.abs(out4.data[centre]! - rgba.data[centre]!)).toBeLessThanOrEqual(2);
  });

  it('folds contrast with the image mean exactly as the step-by-step engine computes it', async () => {
    const recipe = compose([
      rotate({ limit: [5, 5] }),
      colorJitter({ contrast: [0.5, 0.5] }),
      gaussianBlur({ sigma: 0.8 }),
    ]);
    const input = { image: { kind: 'encoded' as const, data: photoJpeg } };
    const fused = await augment(recipe, input, Rng.create(1), { output: 'raw' });
    const js = await augment(recipe, input, Rng.create(1), { output: 'raw', engine: 'js' });
    expect(fused.plan.steps.join(' ')).toContain('js[colour]');
    expect(
      meanAbsDiff((fused.target.image as RawImage).data, (js.target.image as RawImage).data),
    ).toBeLessThan(1.5);
  });

  it('does not fold geometry across an intermediate canvas that cuts content off', async () => {
    // Rotate (corners cut to black), then zoom out: the cut corners must stay black.
    const recipe = compose([rotate({ limit: [30, 30] }), affine({ scale: 0.6 })]);
    const input = { image: { kind: 'encoded' as const, data: photoJpeg } };
    const fused = await augment(recipe, input, Rng.create(1), { output: 'raw' });
    const js = await augment(recipe, input, Rng.create(1), { output: 'raw', engine: 'js' });
    expect(fused.plan.steps.join(' ')).toContain('js[remap(affine+affine)]');
    expect(
      meanAbsDiff((fused.target.image as RawImage).data, (js.target.image as RawImage).data),
    ).toBeLessThan(1);
  });

  it('reflects borders instead of filling them when asked', async () => {
    const white = picture(200, 160, 3);
    const r = await augment(rotate({ limit: [30, 30], border: 'reflect' }), { image: white }, Rng.create(1), {
      output: 'raw',
      engine: 'libvips',
    });
    const out = r.target.image as RawImage;
    expect(r.plan.steps.join(' ')).toContain('js[remap(affine)]');
    expect(out.data[0]! + out.data[1]! + out.data[2]!).toBeGreaterThan(0);
  });

  it('runs a JPEG round trip mid-chain as its own encode', async () => {
    const recipe = compose([rotate({ limit: [10, 10] }), jpegCompression({ quality: [15, 15] }), invert()]);
    const input = { image: { kind: 'encoded' as const, data: photoJpeg } };
    const r = await augment(recipe, input, Rng.create(1), { output: 'raw' });
    expect(r.plan.steps.some((s) => s.endsWith(',jpeg]'))).toBe(true);
    const clean = await augment(compose([rotate({ limit: [10, 10] }), invert()]), input, Rng.create(1), {
      output: 'raw',
    });
    expect(
      meanAbsDiff((r.target.image as RawImage).data, (clean.target.image as RawImage).data),
    ).toBeGreaterThan(0.5);
  });

  it('normalizes to float32 with mean and std at the end of a recipe', async () => {
    const image = picture(64, 48);
    const r = await augment(
      compose([invert(), normalize({ mean: [0.5], std: [0.25] })]),
      { image },
      Rng.create(1),
    );
    const out = r.target.image as RawImage;
    expect(out.dtype).toBe('float32');
    expect(out.data[0]).toBeCloseTo((255 - image.data[0]!) / 255 / 0.25 - 2, 5);
  });

  it("sends outputs above a megapixel through libvips' affine, cropped to the window libvips sizes by its own rounding", async () => {
    const big = { image: { kind: 'encoded' as const, data: await encode(picture(1100, 1000), 'jpeg') } };
    const recipe = compose([affine({ rotate: 20, scale: 1.3, shearX: 10, translateX: 0.1 })]);
    const fused = await augment(recipe, big, Rng.create(1), { output: 'raw' });
    const js = await augment(recipe, big, Rng.create(1), { output: 'raw', engine: 'js' });
    expect(fused.plan.steps).toEqual(['libvips[decode,extract,affine,raw]']);
    const out = fused.target.image as RawImage;
    expect([out.width, out.height]).toEqual([1100, 1000]);
    expect(meanAbsDiff(out.data, (js.target.image as RawImage).data)).toBeLessThan(1);
  });

  it('applies EXIF orientation first, on both engines', async () => {
    const stored = picture(120, 80);
    const oriented = new Uint8Array(
      await sharp(stored.data as Uint8Array, { raw: { width: 120, height: 80, channels: 3 } })
        .jpeg({ quality: 95 })
        .withMetadata({ orientation: 6 })
        .toBuffer(),
    );
    const upright = new Uint8Array(await sharp(oriented).autoOrient().jpeg({ quality: 95 }).toBuffer());
    const recipe = compose([rotate({ limit: [10, 10] }), resize({ width: 40, height: 60 })]);
    for (const engine of ['libvips', 'js'] as const) {
      const a = await augment(recipe, { image: { kind: 'encoded', data: oriented } }, Rng.create(1), {
        output: 'raw',
        engine,
      });
      const b = await augment(recipe, { image: { kind: 'encoded', data: upright } }, Rng.create(1), {
        output: 'raw',
        engine,
      });
      const out = a.target.image as RawImage;
      expect([out.width, out.height]).toEqual([40, 60]);
      expect(meanAbsDiff(out.data, (b.target.image as RawImage).data)).toBeLessThan(3);
    }
  });

  it('returns the input bytes untouched when nothing applies', async () => {
    const r = await augment(
      horizontalFlip({ p: 0 }),
      { image: { kind: 'encoded', data: photoJpeg } },
      Rng.create(1),
    );
    expect(r.plan.passes).toBe(0);
    expect((r.target.image as { data: Uint8Array }).data).toBe(photoJpeg);
  });
});
