import { type RawImage, Rng } from '@growset/core';
import { expect } from 'vitest';
import {
  affine,
  augment,
  centerCrop,
  channelShuffle,
  colorJitter,
  compose,
  cutmix,
  elasticTransform,
  equalize,
  gamma,
  gaussianBlur,
  gaussianNoise,
  grayscale,
  horizontalFlip,
  invert,
  jpegCompression,
  mixup,
  motionBlur,
  normalize,
  oneOf,
  pad,
  perspective,
  posterize,
  randomCrop,
  randomErasing,
  randomResizedCrop,
  resize,
  rotate,
  sharpen,
  someOf,
  type Transform,
  verticalFlip,
} from '../../src/index.ts';
import { betaSample } from '../../src/internals/ops/beta.ts';
import { displacementInto, elasticField } from '../../src/internals/ops/elastic.ts';
import { gaussianKernel } from '../../src/internals/ops/kernels.ts';
import { makeImage } from '../helpers/images.ts';
import {
  at,
  clamp8,
  difference,
  expectPixels,
  expectWarp,
  flat,
  golden,
  type PixelCheck,
  ramp,
  run,
  shareWithin,
  texture,
} from './support.ts';

/** ITU-R 601 luma weights as torchvision's rgb_to_grayscale, normalized to sum to 1. */
export const LUMA = [0.2989, 0.587, 0.114].map((w) => w / (0.2989 + 0.587 + 0.114)) as [
  number,
  number,
  number,
];
export const luma = (img: RawImage, x: number, y: number) =>
  LUMA[0] * at(img, x, y, 0) + LUMA[1] * at(img, x, y, 1) + LUMA[2] * at(img, x, y, 2);

function meanGrey(img: RawImage): number {
  let sum = 0;
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) sum += luma(img, x, y);
  return sum / (img.width * img.height);
}

/** An image of `value` with one brighter pixel `peak` at the centre. */
export function impulse(size: number, value: number, peak: number, channels: 1 | 3 = 3): RawImage {
  const c = (size - 1) / 2;
  return makeImage(size, size, channels, 'uint8', (x, y) => (x === c && y === c ? peak : value));
}

/** Output pixel centre to input point for `scale`, `rotate` (degrees) and shear about the centre, then a shift. */
function affineInverse(
  width: number,
  height: number,
  p: { scale: number; rotate: number; shearX: number; shearY: number; tx: number; ty: number },
): (x: number, y: number) => [number, number] {
  const r = (p.rotate * Math.PI) / 180;
  const [c, s] = [Math.cos(r), Math.sin(r)];
  const [hx, hy] = [Math.tan((p.shearX * Math.PI) / 180), Math.tan((p.shearY * Math.PI) / 180)];
  // forward linear part L = R * Sh * S, with R = [c s; -s c], Sh = [1 hx; hy 1], S = scale.
  const sh = [p.scale, hx * p.scale, hy * p.scale, p.scale];
  const L = [
    c * sh[0]! + s * sh[2]!,
    c * sh[1]! + s * sh[3]!,
    -s * sh[0]! + c * sh[2]!,
    -s * sh[1]! + c * sh[3]!,
  ];
  const det = L[0]! * L[3]! - L[1]! * L[2]!;
  const [cx, cy] = [width / 2, height / 2];
  return (x, y) => {
    const dx = x - cx - p.tx;
    const dy = y - cy - p.ty;
    return [cx + (L[3]! * dx - L[1]! * dy) / det, cy + (-L[2]! * dx + L[0]! * dy) / det];
  };
}

const asTransform = (t: unknown) => t as Transform;

export const BASIC_CHECKS: { [type: string]: PixelCheck } = {
  // A flip moves pixel (x, y) to (w - 1 - x, y).
  horizontalFlip: async (engine) => {
    const img = texture(7, 5);
    const { out } = await run(horizontalFlip({ p: 1 }), img, engine);
    expectPixels(out, (x, y, c) => at(img, 6 - x, y, c), 0, 'horizontalFlip');
  },
  verticalFlip: async (engine) => {
    const img = texture(7, 5);
    const { out } = await run(verticalFlip({ p: 1 }), img, engine);
    expectPixels(out, (x, y, c) => at(img, x, 4 - y, c), 0, 'verticalFlip');
  },
  // Counter-clockwise: 90 degrees takes the top-right pixel to the top-left; 30 degrees against OpenCV.
  rotate: async (engine) => {
    const img = texture(8, 8);
    const t = rotate();
    const quarter = await run(t, img, engine, { angle: 90 });
    expectPixels(quarter.out, (x, y, c) => at(img, 7 - y, x, c), 1, 'rotate 90');
    const half = await run(t, img, engine, { angle: 180 });
    expectPixels(half.out, (x, y, c) => at(img, 7 - x, 7 - y, c), 1, 'rotate 180');
    const g = golden('rotate');
    const { out } = await run(t, g.input, engine, { angle: g.params.angle as number });
    // Tolerance: 90% of the values within 2 levels; the rest lie on the rotated picture's edges,
    // where OpenCV blends with the black border and growset does not.
    expect(
      shareWithin(out.data, g.output.data, 2),
      `rotate vs cv2.warpAffine (${engine})`,
    ).toBeGreaterThanOrEqual(0.9);
  },
  affine: async (engine) => {
    const img = ramp(20, 16);
    const params = { scale: 1.2, rotate: 10, translateX: 0.1, translateY: -0.05, shearX: 5, shearY: -3 };
    const { out } = await run(affine(), img, engine, params);
    const inverse = affineInverse(20, 16, { ...params, tx: 2, ty: -0.8 });
    expectWarp(out, img, inverse, 'affine');
    const shift = await run(affine({ interpolation: 'nearest' }), texture(10, 6), engine, {
      ...params,
      scale: 1,
      rotate: 0,
      shearX: 0,
      shearY: 0,
      translateX: 0.2,
      translateY: 0,
    });
    expectPixels(shift.out, (x, y, c) => (x < 2 ? 0 : at(texture(10, 6), x - 2, y, c)), 0, 'affine shift');
  },
  randomResizedCrop: async (engine) => {
    const img = texture(12, 10);
    const crop = { x: 3, y: 2, width: 8, height: 6 };
    const same = await run(randomResizedCrop({ width: 8, height: 6 }), img, engine, crop);
    expectPixels(same.out, (x, y, c) => at(img, x + 3, y + 2, c), 0, 'randomResizedCrop at its size');
    const up = await run(randomResizedCrop({ width: 16, height: 12 }), ramp(12, 10), engine, crop);
    // Half-pixel centres (as OpenCV and torchvision). libvips' upsampling puts its samples up to
    // half a pixel off that grid (measured), so its tolerance is half a step of the ramp (5) more.
    expectWarp(
      up.out,
      img,
      (x, y) => [3 + x / 2, 2 + y / 2],
      `randomResizedCrop 2x inside the crop (${engine})`,
      {
        margin: 0.5,
        region: [3, 2, 10, 7],
        tolerance: engine === 'libvips' ? 4 : 1.5,
      },
    );
    // Drawn crops stay inside the image and keep their area within the scale range.
    for (let seed = 0; seed < 5; seed++) {
      const { params } = await run(
        randomResizedCrop({ width: 8, height: 8, scale: [0.25, 0.5] }),
        img,
        engine,
        `rrc${seed}`,
      );
      const p = params as typeof crop;
      expect(p.x + p.width).toBeLessThanOrEqual(12);
      expect(p.y + p.height).toBeLessThanOrEqual(10);
      expect((p.width * p.height) / 120).toBeGreaterThan(0.2);
      expect((p.width * p.height) / 120).toBeLessThan(0.6);
    }
  },
  randomCrop: async (engine) => {
    const img = texture(7, 5);
    const inside = await run(randomCrop({ width: 5, height: 4 }), img, engine, { x: 2, y: 1 });
    expectPixels(inside.out, (x, y, c) => at(img, x + 2, y + 1, c), 0, 'randomCrop');
    const larger = await run(randomCrop({ width: 10, height: 8, fill: 50 }), img, engine, { x: -2, y: -1 });
    expectPixels(
      larger.out,
      (x, y, c) => (x >= 2 && x < 9 && y >= 1 && y < 6 ? at(img, x - 2, y - 1, c) : 50),
      0,
      'randomCrop larger than the image',
    );
  },
  centerCrop: async (engine) => {
    const img = texture(9, 7);
    const { out } = await run(centerCrop({ width: 4, height: 4 }), img, engine);
    expectPixels(
      out,
      (x, y, c) => at(img, x + 2, y + 1, c),
      0,
      'centerCrop offsets floor((9-4)/2), floor((7-4)/2)',
    );
  },
  resize: async (engine) => {
    const img = texture(5, 4);
    const up = await run(resize({ width: 10, height: 8, interpolation: 'nearest' }), img, engine);
    expectPixels(up.out, (x, y, c) => at(img, x >> 1, y >> 1, c), 0, 'resize 2x nearest');
    const down = await run(resize({ width: 12, height: 8 }), ramp(24, 16), engine);
    expectWarp(down.out, { width: 24, height: 16 }, (x, y) => [2 * x, 2 * y], 'resize 1/2 bilinear', {
      margin: 0,
    });
  },
  pad: async (engine) => {
    const img = texture(6, 4);
    const { out } = await run(pad({ padding: [1, 2, 3, 4], fill: 9 }), img, engine);
    expect([out.width, out.height]).toEqual([12, 8]);
    expectPixels(
      out,
      (x, y, c) => (x >= 4 && x < 10 && y >= 1 && y < 5 ? at(img, x - 4, y - 1, c) : 9),
      0,
      'pad [top, right, bottom, left]',
    );
    const mirrored = await run(pad({ padding: 2, border: 'reflect' }), img, engine);
    const reflect = (v: number, n: number) => (v < 0 ? -v - 1 : v >= n ? 2 * n - v - 1 : v);
    expectPixels(
      mirrored.out,
      (x, y, c) => at(img, reflect(x - 2, 6), reflect(y - 2, 4), c),
      0,
      'pad reflect (edge pixel repeated, as cv2.BORDER_REFLECT)',
    );
  },
  // Every corner moving inward by the same fraction a is a zoom by 1 / (1 - 2a) about the centre.
  perspective: async (engine) => {
    const img = ramp(20, 16);
    const { out } = await run(perspective(), img, engine, { corners: Array(8).fill(0.1) });
    expectWarp(out, img, (x, y) => [10 + (x - 10) * 0.8, 8 + (y - 8) * 0.8], 'perspective zoom', {
      margin: 0,
      minShare: 0.9,
    });
  },
  // Output p samples the input at p + d(p), d from the recorded seed; d's spread is alpha * sum(k^2) / sqrt(3).
  elasticTransform: async (engine) => {
    const img = ramp(32, 32);
    const { out, params } = await run(elasticTransform({ alpha: 6, sigma: 3 }), img, engine, 'elastic');
    const field = elasticField(32, 32, 6, 3, params.seed as number);
    const d = new Float64Array(2);
    expectWarp(
      out,
      img,
      (x, y) => {
        displacementInto(field, x, y, d);
        return [x + d[0]!, y + d[1]!];
      },
      'elasticTransform',
    );
    const big = elasticField(96, 96, 34, 4, 7);
    const k = gaussianKernel(4);
    let k2 = 0;
    for (const w of k) k2 += w * w;
    let sum = 0;
    let sq = 0;
    let n = 0;
    for (let y = 16; y < 80; y++)
      for (let x = 16; x < 80; x++) {
        const v = big.dx[y * 96 + x]!;
        sum += v;
        sq += v * v;
        n++;
      }
    const std = Math.sqrt(sq / n - (sum / n) ** 2);
    expect(std / ((34 * k2) / Math.sqrt(3))).toBeGreaterThan(0.7);
    expect(std / ((34 * k2) / Math.sqrt(3))).toBeLessThan(1.3);
  },
  colorJitter: async (engine) => {
    const img = texture(6, 5);
    const bright = await run(colorJitter({ brightness: [1.3, 1.3] }), img, engine, 'cj');
    expect(bright.params.brightness).toBe(1.3);
    expectPixels(bright.out, (x, y, c) => clamp8(1.3 * at(img, x, y, c)), 1, 'brightness v * f');
    const mean = meanGrey(img);
    const contrast = await run(colorJitter({ contrast: [0.6, 0.6] }), img, engine, 'cj');
    expectPixels(
      contrast.out,
      (x, y, c) => clamp8(0.6 * at(img, x, y, c) + 0.4 * mean),
      1,
      'contrast f * v + (1 - f) * mean grey',
    );
    const sat = await run(colorJitter({ saturation: [0.4, 0.4] }), img, engine, 'cj');
    expectPixels(
      sat.out,
      (x, y, c) => clamp8(0.4 * at(img, x, y, c) + 0.6 * luma(img, x, y)),
      1,
      'saturation f * v + (1 - f) * luma',
    );
    // Hue turns about the grey axis: grey stays, luminance (0.213, 0.715, 0.072) is kept.
    const mixed = makeImage(4, 2, 3, 'uint8', (x, y, c) =>
      y === 0 ? 90 + 30 * x : [150, 100, 80][c]! - 10 * x,
    );
    const hue = await run(colorJitter({ hue: [0.25, 0.25] }), mixed, engine, 'cj');
    const lum = (i: RawImage, x: number, y: number) =>
      0.213 * at(i, x, y, 0) + 0.715 * at(i, x, y, 1) + 0.072 * at(i, x, y, 2);
    for (let x = 0; x < 4; x++) {
      for (let c = 0; c < 3; c++)
        expect(Math.abs(at(hue.out, x, 0, c) - at(mixed, x, 0, c))).toBeLessThanOrEqual(1);
      expect(Math.abs(lum(hue.out, x, 1) - lum(mixed, x, 1))).toBeLessThanOrEqual(1);
      expect(at(hue.out, x, 1, 0)).not.toBe(at(mixed, x, 1, 0));
    }
  },
  gamma: async (engine) => {
    const img = texture(6, 5);
    const { out } = await run(gamma(), img, engine, { gamma: 1.7 });
    expectPixels(out, (x, y, c) => 255 * (at(img, x, y, c) / 255) ** 1.7, 0.51, 'gamma 255 (v / 255)^g');
  },
  grayscale: async (engine) => {
    const img = texture(6, 5);
    const { out } = await run(grayscale(), img, engine);
    expectPixels(out, (x, y) => luma(img, x, y), 0.51, 'grayscale: every channel is the 601 luma');
  },
  channelShuffle: async (engine) => {
    const img = texture(6, 5);
    const { out } = await run(channelShuffle(), img, engine, { order: [2, 0, 1] });
    expectPixels(out, (x, y, c) => at(img, x, y, [2, 0, 1][c]!), 0, 'channelShuffle');
  },
  invert: async (engine) => {
    const img = texture(6, 5, 4);
    const { out } = await run(invert(), img, engine);
    expectPixels(out, (x, y, c) => (c === 3 ? 200 : 255 - at(img, x, y, c)), 0, 'invert 255 - v, alpha kept');
  },
  posterize: async (engine) => {
    const img = texture(6, 5);
    const { out } = await run(posterize(), img, engine, { bits: 3 });
    expectPixels(out, (x, y, c) => at(img, x, y, c) & 0b11100000, 0, 'posterize keeps the top 3 bits');
  },
  equalize: async (engine) => {
    const g = golden('equalize');
    const { out } = await run(equalize(), g.input, engine);
    expectPixels(out, (x, y, c) => at(g.output, x, y, c), 1, 'equalize vs cv2.equalizeHist');
  },
  normalize: async (engine) => {
    const img = texture(4, 3);
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const { out } = await run(normalize(), img, engine);
    expect(out.dtype).toBe('float32');
    expectPixels(out, (x, y, c) => (at(img, x, y, c) / 255 - mean[c]!) / std[c]!, 1e-5, 'normalize');
  },
  gaussianBlur: async (engine) => {
    const g = golden('gaussianBlur');
    const sigma = g.params.sigma as number;
    const { out } = await run(gaussianBlur(), g.input, engine, { sigma });
    // Tolerance: mean 1.5, max 8 (libvips' blur uses a shorter integer kernel than OpenCV's).
    const d = difference(out.data, g.output.data);
    expect(d.mean, `gaussianBlur vs cv2.GaussianBlur (${engine})`).toBeLessThanOrEqual(1.5);
    expect(d.max).toBeLessThanOrEqual(8);
    const still = await run(gaussianBlur(), flat(6, 6, [80, 120, 200]), engine, { sigma: 2 });
    expectPixels(still.out, (_x, _y, c) => [80, 120, 200][c]!, 0, 'blur keeps a flat image');
  },
  // A line kernel: a single bright pixel spreads along the angle only, its mass kept.
  motionBlur: async (engine) => {
    for (const [angle, along] of [
      [0, 'row'],
      [90, 'column'],
    ] as const) {
      const { out } = await run(motionBlur(), impulse(11, 0, 250, 1), engine, { size: 5, angle });
      let total = 0;
      for (let y = 0; y < 11; y++)
        for (let x = 0; x < 11; x++) {
          const v = at(out, x, y, 0);
          total += v;
          const offLine = along === 'row' ? y !== 5 : x !== 5;
          if (offLine) expect(v, `motionBlur ${angle}: (${x}, ${y}) off the line`).toBeLessThanOrEqual(2);
          const beyond = along === 'row' ? Math.abs(x - 5) > 2 : Math.abs(y - 5) > 2;
          if (beyond) expect(v).toBe(0);
        }
      expect(Math.abs(total - 250), `motionBlur ${angle} keeps the mass`).toBeLessThanOrEqual(6);
    }
  },
  // albumentations' kernel (1 - a) * identity + a * [-1 x8, 8 + lightness]: closed form on an impulse.
  sharpen: async (engine) => {
    const img = impulse(7, 100, 110, 1);
    const { out } = await run(sharpen(), img, engine, { alpha: 0.5, lightness: 1 });
    expectPixels(
      out,
      (x, y) => {
        const d = Math.max(Math.abs(x - 3), Math.abs(y - 3));
        return d === 0 ? 110 * 5 - 0.5 * 800 : d === 1 ? 100 * 5 - 0.5 * 810 : 100;
      },
      1,
      'sharpen',
    );
  },
  gaussianNoise: async (engine) => {
    const img = flat(32, 32, [128, 128, 128]);
    const { out } = await run(gaussianNoise({ std: 0.05, mean: 0.02 }), img, engine, 'noise');
    let sum = 0;
    let sq = 0;
    for (const v of out.data) {
      sum += v - 128;
      sq += (v - 128) ** 2;
    }
    const n = out.data.length;
    const std = Math.sqrt(sq / n - (sum / n) ** 2);
    expect(Math.abs(sum / n - 0.02 * 255), 'noise mean (0.02 * 255)').toBeLessThanOrEqual(1);
    expect(Math.abs(std - 0.05 * 255) / (0.05 * 255), 'noise std (0.05 * 255)').toBeLessThanOrEqual(0.1);
    const shared = await run(gaussianNoise({ std: 0.05, perChannel: false }), img, engine, 'noise');
    expectPixels(shared.out, (x, y) => at(shared.out, x, y, 0), 0, 'perChannel false: one draw per pixel');
  },
  jpegCompression: async (engine) => {
    const g = golden('jpegCompression');
    const { out } = await run(jpegCompression(), g.input, engine, { quality: g.params.quality as number });
    // Tolerance: mean 1.5 (libjpeg-turbo in libvips vs OpenCV's libjpeg at the same quality).
    const d = difference(out.data, g.output.data);
    expect(d.mean, `jpegCompression vs cv2.imencode (${engine})`).toBeLessThanOrEqual(1.5);
    expect(difference(out.data, g.input.data).mean).toBeGreaterThan(0.3);
  },
  randomErasing: async (engine) => {
    const img = texture(8, 6);
    const rects = [{ x: 2, y: 1, width: 3, height: 2 }];
    const inRect = (x: number, y: number) => x >= 2 && x < 5 && y >= 1 && y < 3;
    const { out } = await run(randomErasing({ fill: [10, 20, 30], p: 1 }), img, engine, { rects, seed: 1 });
    expectPixels(out, (x, y, c) => (inRect(x, y) ? [10, 20, 30][c]! : at(img, x, y, c)), 0, 'randomErasing');
    const noisy = await run(randomErasing({ fill: 'random', p: 1 }), img, engine, { rects, seed: 1 });
    expectPixels(noisy.out, (x, y, c) => (inRect(x, y) ? undefined : at(img, x, y, c)), 0, 'outside kept');
  },
  // lambda * a + (1 - lambda) * b; the label weight is lambda.
  mixup: async () => {
    const a = texture(6, 4);
    const b = makeImage(6, 4, 3, 'uint8', (x, y, c) => 255 - ((x * 11 + y * 5 + c) % 256));
    const t = mixup();
    const result = t.mix(a, b, { type: 'mixup', applied: true, params: { lambda: 0.3 } });
    expect(result.weight).toBe(0.3);
    expectPixels(result.image, (x, y, c) => 0.3 * at(a, x, y, c) + 0.7 * at(b, x, y, c), 0.51, 'mixup');
  },
  // A box of b pasted into a; weight = 1 - box area / image area, and the box side is W * sqrt(1 - lambda).
  cutmix: async () => {
    const a = flat(20, 16, [10, 10, 10]);
    const b = flat(20, 16, [240, 240, 240]);
    const t = cutmix();
    const box = { x: 4, y: 3, width: 6, height: 5 };
    const result = t.mix(a, b, { type: 'cutmix', applied: true, params: box });
    const inBox = (x: number, y: number) => x >= 4 && x < 10 && y >= 3 && y < 8;
    expectPixels(result.image, (x, y) => (inBox(x, y) ? 240 : 10), 0, 'cutmix box from b');
    expect(result.weight).toBeCloseTo(1 - 30 / 320, 12);
    let unclipped = 0;
    for (let seed = 0; seed < 40; seed++) {
      const shape = { width: 20, height: 16, channels: 3 as const, dtype: 'uint8' as const };
      const drawn = t.sampleParams(Rng.create(seed), shape, true).params as typeof box;
      const lambda = betaSample(Rng.create(seed), 1, 1);
      const clipped =
        drawn.x === 0 || drawn.y === 0 || drawn.x + drawn.width === 20 || drawn.y + drawn.height === 16;
      if (clipped) continue;
      unclipped++;
      expect(drawn.width).toBe(Math.round(20 * Math.sqrt(1 - lambda)));
      expect(drawn.height).toBe(Math.round(16 * Math.sqrt(1 - lambda)));
      const weight = t.mix(a, b, { type: 'cutmix', applied: true, params: drawn }).weight;
      expect(Math.abs(weight - lambda), `cutmix weight ~ lambda (seed ${seed})`).toBeLessThanOrEqual(0.12);
    }
    expect(unclipped).toBeGreaterThan(5);
  },
  compose: async (engine) => {
    const img = texture(7, 5);
    const t = compose([horizontalFlip({ p: 1 }), verticalFlip({ p: 1 }), invert()]);
    const { out } = await run(asTransform(t), img, engine);
    expectPixels(out, (x, y, c) => 255 - at(img, 6 - x, 4 - y, c), 0, 'compose applies every child in order');
  },
  oneOf: async (engine) => {
    const img = texture(7, 5);
    const t = oneOf([invert(), horizontalFlip({ p: 1 })]);
    const seen = new Set<number>();
    for (let seed = 0; seed < 8; seed++) {
      const result = await augment1(t, img, engine, `one${seed}`);
      const chosen = result.chosen[0]!;
      seen.add(chosen);
      const want = (x: number, y: number, c: number) =>
        chosen === 0 ? 255 - at(img, x, y, c) : at(img, 6 - x, y, c);
      expectPixels(result.out, want, 0, `oneOf chose ${chosen}`);
    }
    expect(seen.size).toBe(2);
  },
  someOf: async (engine) => {
    const img = texture(7, 5);
    const t = someOf({ transforms: [invert(), horizontalFlip({ p: 1 }), verticalFlip({ p: 1 })], n: 2 });
    for (let seed = 0; seed < 4; seed++) {
      const result = await augment1(t, img, engine, `some${seed}`);
      const chosen = new Set(result.chosen);
      expect(chosen.size).toBe(2);
      const want = (x: number, y: number, c: number) => {
        const v = at(img, chosen.has(1) ? 6 - x : x, chosen.has(2) ? 4 - y : y, c);
        return chosen.has(0) ? 255 - v : v;
      };
      expectPixels(result.out, want, 0, `someOf chose ${[...chosen]}`);
    }
  },
};

async function augment1(
  t: Transform,
  image: RawImage,
  engine: 'js' | 'libvips',
  seed: string,
): Promise<{ out: RawImage; chosen: number[] }> {
  const result = await augment(t, { image }, Rng.create(seed), { output: 'raw', engine });
  return { out: result.target.image as RawImage, chosen: [...(result.params.chosen ?? [])] };
}
