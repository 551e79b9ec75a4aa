import { type RawImage, Rng } from '@growset/core';
import { expect } from 'vitest';
import {
  AUTOAUGMENT_POLICIES,
  augMix,
  augment,
  autoAugment,
  autocontrast,
  bboxSafeRandomCrop,
  clahe,
  coarseDropout,
  defocus,
  downscale,
  fog,
  gridDistortion,
  gridDropout,
  histogramMatching,
  imageCompression,
  isoNoise,
  opticalDistortion,
  rain,
  randAugment,
  SEPIA,
  shadow,
  sharpness,
  shiftScaleRotate,
  solarize,
  sunFlare,
  type Transform,
  thinPlateSpline,
  toSepia,
  trivialAugmentWide,
  zoomBlur,
} from '../../src/index.ts';
import { hlsToRgb, rgbToHls } from '../../src/internals/transforms/fn/degrade.ts';
import { fogField, rainDrops } from '../../src/internals/transforms/fn/weather.ts';
import { makeImage } from '../helpers/images.ts';
import { impulse } from './checks-basic.ts';
import {
  at,
  clamp8,
  difference,
  type Engine,
  expectPixels,
  expectWarp,
  flat,
  golden,
  type PixelCheck,
  RAMP,
  ramp,
  run,
  texture,
} from './support.ts';

const linspace = (a: number, b: number, n: number, i: number) => a + ((b - a) * i) / (n - 1);

/** Every drawn step's |magnitude| is the table's value at its bin (torchvision's tables, written out here). */
function expectFromTable(
  steps: { name: string; magnitude: number }[],
  table: (name: string) => number[] | undefined,
  label: string,
): void {
  for (const s of steps) {
    const allowed = table(s.name);
    expect(allowed, `${label}: ${s.name} is not in the table`).toBeDefined();
    const ok = allowed!.some((v) => Math.abs(Math.abs(s.magnitude) - v) < 1e-9);
    expect(ok, `${label}: ${s.name} magnitude ${s.magnitude} not in ${allowed}`).toBe(true);
  }
}

async function chosenOps(t: Transform, image: RawImage, engine: Engine, seed: string) {
  const result = await augment(t, { image }, Rng.create(seed), { output: 'raw', engine });
  return result.params.params as { ops: { name: string; magnitude: number }[]; subPolicy?: number };
}

export const NEW_CHECKS: { [type: string]: PixelCheck } = {
  bboxSafeRandomCrop: (engine) => bboxSafeCropCheck(engine),
  // Values at or above the threshold are inverted.
  solarize: async (engine) => {
    const img = texture(8, 6);
    const { out } = await run(solarize(), img, engine, { threshold: 100 });
    expectPixels(
      out,
      (x, y, c) => (at(img, x, y, c) >= 100 ? 255 - at(img, x, y, c) : at(img, x, y, c)),
      0,
      'solarize',
    );
  },
  autocontrast: async (engine) => {
    const img = golden('equalize').input;
    const lo = [0, 1, 2].map((c) =>
      Math.min(...Array.from({ length: img.width * img.height }, (_, i) => img.data[i * 3 + c]!)),
    );
    const hi = [0, 1, 2].map((c) =>
      Math.max(...Array.from({ length: img.width * img.height }, (_, i) => img.data[i * 3 + c]!)),
    );
    const { out } = await run(autocontrast(), img, engine);
    expectPixels(
      out,
      (x, y, c) => ((at(img, x, y, c) - lo[c]!) * 255) / (hi[c]! - lo[c]!),
      0.51,
      'autocontrast',
    );
    const still = await run(autocontrast(), flat(4, 4, [70, 70, 70]), engine);
    expectPixels(still.out, () => 70, 0, 'autocontrast keeps a constant channel');
  },
  // torchvision: factor v + (1 - factor) round(blur3x3[1 1 1; 1 5 1; 1 1 1] / 13) inside, borders kept.
  sharpness: async (engine) => {
    const img = texture(7, 6);
    const { out } = await run(sharpness(), img, engine, { factor: 1.8 });
    expectPixels(
      out,
      (x, y, c) => {
        const v = at(img, x, y, c);
        if (x === 0 || y === 0 || x === 6 || y === 5) return v;
        let sum = 4 * v;
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) sum += at(img, x + dx, y + dy, c);
        return clamp8(1.8 * v - 0.8 * Math.round(sum / 13));
      },
      0.51,
      'sharpness',
    );
  },
  clahe: async (engine) => {
    const grey = golden('claheGrey');
    const t = clahe({ clipLimit: 2, tileGrid: [3, 2] });
    const g = await run(t, grey.input, engine, { clipLimit: 2 });
    // Tolerance: exact but for rounding (OpenCV's single precision), 1 level.
    expectPixels(g.out, (x, y) => at(grey.output, x, y, 0), 1, 'clahe (grey) vs cv2.createCLAHE');
    const rgb = golden('claheExactLab');
    const c = await run(t, rgb.input, engine, { clipLimit: 2 });
    // Tolerance: 1 level (the same L*a*b* formulas on both sides, CLAHE from OpenCV).
    expectPixels(
      c.out,
      (x, y, ch) => at(rgb.output, x, y, ch),
      1,
      'clahe (RGB) vs OpenCV CLAHE on exact L*a*b*',
    );
    // Against albumentations' exact path (OpenCV's 8-bit L*a*b*, whose L* is up to 1 level off the
    // float one): CLAHE's table is steep where the histogram is narrow, so 1 level of L* can move
    // the output by several. Tolerance: mean 5, max 20.
    const albu = golden('clahe');
    const a = await run(t, albu.input, engine, { clipLimit: 2 });
    const d = difference(a.out.data, albu.output.data);
    expect(d.mean, 'clahe (RGB) vs albumentations/OpenCV 8-bit LAB').toBeLessThanOrEqual(5);
    expect(d.max).toBeLessThanOrEqual(20);
  },
  toSepia: async (engine) => {
    const img = texture(6, 5);
    const { out } = await run(toSepia(), img, engine);
    expectPixels(
      out,
      (x, y, c) =>
        clamp8(
          SEPIA[c * 3]! * at(img, x, y, 0) +
            SEPIA[c * 3 + 1]! * at(img, x, y, 1) +
            SEPIA[c * 3 + 2]! * at(img, x, y, 2),
        ),
      0.51,
      'toSepia',
    );
  },
  // Two levels against two levels: each source level goes to the reference level at its quantile.
  histogramMatching: async (engine) => {
    const img = makeImage(8, 4, 1, 'uint8', (_x, y) => (y < 2 ? 50 : 100));
    const ref = Array.from({ length: 256 }, (_, l) => (l === 10 || l === 200 ? 5 : 0));
    const t = histogramMatching({ references: [[ref]] });
    const full = await run(t, img, engine, { reference: 0, blend: 1 });
    expectPixels(full.out, (_x, y) => (y < 2 ? 10 : 200), 0, 'histogramMatching');
    const half = await run(t, img, engine, { reference: 0, blend: 0.5 });
    expectPixels(half.out, (_x, y) => (y < 2 ? 30 : 150), 0.51, 'histogramMatching blend 0.5');
  },
  imageCompression: async (engine) => {
    for (const format of ['jpeg', 'webp'] as const) {
      const g = golden(format === 'jpeg' ? 'jpegCompression' : 'webpCompression');
      const { out } = await run(imageCompression({ format }), g.input, engine, {
        quality: g.params.quality as number,
      });
      // Tolerance: mean 1.5 (libvips' libjpeg-turbo / libwebp against OpenCV's builds, same quality).
      const d = difference(out.data, g.output.data);
      expect(d.mean, `${format} vs cv2.imencode (${engine})`).toBeLessThanOrEqual(1.5);
      expect(difference(out.data, g.input.data).mean).toBeGreaterThan(0.3);
    }
  },
  // At scale 1/2 every pixel shows the mean of its 2 x 2 block.
  downscale: async (engine) => {
    const img = texture(8, 6);
    const { out } = await run(downscale(), img, engine, { scale: 0.5 });
    expectPixels(
      out,
      (x, y, c) => {
        const bx = x & ~1;
        const by = y & ~1;
        return (
          (at(img, bx, by, c) +
            at(img, bx + 1, by, c) +
            at(img, bx, by + 1, c) +
            at(img, bx + 1, by + 1, c)) /
          4
        );
      },
      0.51,
      'downscale 1/2',
    );
  },
  // A disc kernel: a bright pixel spreads evenly over the 13 pixels with x^2 + y^2 <= 4.
  defocus: async (engine) => {
    const { out } = await run(defocus(), impulse(11, 0, 247, 1), engine, { radius: 2, aliasBlur: 0 });
    expectPixels(out, (x, y) => ((x - 5) ** 2 + (y - 5) ** 2 <= 4 ? 19 : 0), 1, 'defocus disc');
    const still = await run(defocus(), flat(9, 9, [90, 140, 30]), engine, { radius: 3, aliasBlur: 0.5 });
    expectPixels(still.out, (_x, _y, c) => [90, 140, 30][c]!, 1, 'defocus keeps a flat image');
  },
  // The mean of the ramp seen at c + (p - c) / f for f = 1 and each zoom factor.
  zoomBlur: async (engine) => {
    const img = ramp(24, 16);
    const { out } = await run(zoomBlur(), img, engine, { maxFactor: 1.2, stepFactor: 0.05 });
    const factors = [1, 1.05, 1.1, 1.15];
    expectPixels(
      out,
      (x, y, c) => {
        let sum = 0;
        for (const f of factors) {
          const px = 12 + (x + 0.5 - 12) / f - 0.5;
          const py = 8 + (y + 0.5 - 8) / f - 0.5;
          sum += c === 0 ? RAMP.r(px, py) : c === 1 ? RAMP.g(px, py) : RAMP.b();
        }
        return sum / factors.length;
      },
      1,
      'zoomBlur',
    );
  },
  // Hue noise N(0, colorShift 360 intensity) degrees; lightness + Poisson(std(L) intensity 255) / 255 (1 - L).
  isoNoise: async (engine) => {
    expect(rgbToHls(1, 0, 0)).toEqual([0, 0.5, 1]);
    const back = hlsToRgb(210, 0.3, 0.6);
    expect(rgbToHls(back[0], back[1], back[2]).map((v) => Math.round(v * 1000) / 1000)).toEqual([
      210, 0.3, 0.6,
    ]);
    const img = makeImage(32, 32, 3, 'uint8', (_x, y, c) => (y < 16 ? [200, 60, 60][c]! : [40, 40, 120][c]!));
    const { out } = await run(isoNoise(), img, engine, { intensity: 0.5, colorShift: 0.05, seed: 3 });
    const hlsA = rgbToHls(200 / 255, 60 / 255, 60 / 255);
    const hlsB = rgbToHls(40 / 255, 40 / 255, 120 / 255);
    const stdL = Math.abs(hlsA[1] - hlsB[1]) / 2;
    const lambda = stdL * 0.5 * 255;
    let dl = 0;
    let dh2 = 0;
    const n = 32 * 16;
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 32; x++) {
        const [h, l] = rgbToHls(at(out, x, y, 0) / 255, at(out, x, y, 1) / 255, at(out, x, y, 2) / 255);
        dl += l - hlsA[1];
        const dh = ((h - hlsA[0] + 540) % 360) - 180;
        dh2 += dh * dh;
      }
    const wantDl = (lambda / 255) * (1 - hlsA[1]);
    expect(Math.abs(dl / n - wantDl) / wantDl, 'isoNoise lightness shift').toBeLessThanOrEqual(0.25);
    expect(Math.abs(Math.sqrt(dh2 / n) - 9) / 9, 'isoNoise hue spread (9 degrees)').toBeLessThanOrEqual(0.25);
  },
  fog: async (engine) => {
    const img = texture(12, 8);
    const { out, params } = await run(fog(), img, engine, { coef: 0.6, seed: 5 });
    const field = fogField(12, 8, params.seed as number);
    for (const a of field) expect(a >= 0.5 && a <= 1).toBe(true);
    expectPixels(
      out,
      (x, y, c) => {
        const a = 0.6 * field[y * 12 + x]!;
        return (1 - a) * at(img, x, y, c) + a * 255;
      },
      0.51,
      'fog: (1 - a) v + a 255',
    );
  },
  rain: async (engine) => {
    const img = texture(12, 10);
    const { out } = await run(rain({ length: 4, brightness: 0.5, colour: [200, 210, 220] }), img, engine, {
      count: 3,
      seed: 9,
      slant: 3,
      length: 4,
    });
    const drops = rainDrops(3, 9, 12, 10, 4);
    expect(drops).toHaveLength(3);
    for (const d of drops) expect(d.x >= 0 && d.x < 12 && d.y >= 0 && d.y <= 6).toBe(true);
    // Drop k covers (x + round(3 t / 3), y + t) for t = 0..3.
    const onDrop = (x: number, y: number) =>
      drops.some((d) => y >= d.y && y < d.y + 4 && x === d.x + (y - d.y));
    expectPixels(
      out,
      (x, y, c) => (onDrop(x, y) ? [200, 210, 220][c]! : 0.5 * at(img, x, y, c)),
      0.51,
      'rain',
    );
  },
  shadow: async (engine) => {
    const img = texture(10, 8);
    const polygons = [
      [
        [2, 2],
        [6, 2],
        [6, 5],
        [2, 5],
      ],
    ];
    const { out } = await run(shadow(), img, engine, { polygons, intensity: 0.4 });
    const inside = (x: number, y: number) => x >= 2 && x < 6 && y >= 2 && y < 5;
    expectPixels(out, (x, y, c) => (inside(x, y) ? 0.6 : 1) * at(img, x, y, c), 0.51, 'shadow');
    for (let seed = 0; seed < 4; seed++) {
      const drawn = await run(shadow(), img, engine, `shadow${seed}`);
      for (const polygon of drawn.params.polygons as [number, number][][])
        for (const [x, y] of polygon)
          expect(x >= 0 && x <= 10 && y >= 4 && y <= 8, 'vertices in the lower half').toBe(true);
    }
  },
  sunFlare: async (engine) => {
    const img = texture(12, 10);
    const flare = { x: 4, y: 3, radius: 5, intensity: 0.8 };
    const { out } = await run(sunFlare({ colour: [255, 250, 200] }), img, engine, flare);
    expectPixels(
      out,
      (x, y, c) => {
        const d = Math.hypot(x + 0.5 - 4, y + 0.5 - 3);
        const a = d >= 5 ? 0 : 0.8 * (1 - d / 5) ** 2;
        return (1 - a) * at(img, x, y, c) + a * [255, 250, 200][c]!;
      },
      0.51,
      'sunFlare',
    );
  },
  shiftScaleRotate: async (engine) => {
    const img = ramp(20, 16);
    const p = { dx: 0.05, dy: -0.1, scale: 1.1, angle: 12 };
    const { out } = await run(shiftScaleRotate({ border: 'constant' }), img, engine, p);
    const r = (12 * Math.PI) / 180;
    expectWarp(
      out,
      img,
      (x, y) => {
        // forward: q = c + t + R S (p - c) with R = [cos sin; -sin cos]; invert it.
        const ux = (x - 10 - 1) / 1.1;
        const uy = (y - 8 + 1.6) / 1.1;
        return [10 + Math.cos(r) * ux - Math.sin(r) * uy, 8 + Math.sin(r) * ux + Math.cos(r) * uy];
      },
      'shiftScaleRotate',
    );
  },
  // Output column k samples a source column of width proportional to xSteps[k] (likewise rows).
  gridDistortion: async (engine) => {
    const img = ramp(20, 16);
    const xSteps = [1.3, 0.8, 1.1, 0.8];
    const ySteps = [0.7, 1.3, 1, 1];
    const { out } = await run(gridDistortion({ steps: 4 }), img, engine, { xSteps, ySteps });
    const axis = (v: number, size: number, steps: number[]) => {
      const total = steps.reduce((a, b) => a + b, 0);
      const k = Math.min(3, Math.floor((v / size) * 4));
      let start = 0;
      for (let i = 0; i < k; i++) start += (steps[i]! / total) * size;
      return start + ((v / size) * 4 - k) * (steps[k]! / total) * size;
    };
    expectWarp(out, img, (x, y) => [axis(x, 20, xSteps), axis(y, 16, ySteps)], 'gridDistortion', {
      minShare: 0.6,
    });
  },
  // A thin-plate spline reproduces affine maps exactly: control points all shifted by (2, 3)
  // pixels give a shift; control points scaled by 0.8 about the centre give that scaling.
  thinPlateSpline: async (engine) => {
    const img = ramp(20, 16);
    const grid = (f: (u: number, v: number) => [number, number]) => {
      const controls: number[][] = [];
      for (let j = 0; j < 4; j++)
        for (let i = 0; i < 4; i++) controls.push([i / 3, j / 3, ...f(i / 3, j / 3)]);
      return { controls };
    };
    const shift = await run(
      thinPlateSpline({ border: 'constant' }),
      img,
      engine,
      grid((u, v) => [u + 2 / 20, v + 3 / 16]),
    );
    expectPixels(
      shift.out,
      (x, y, c) => (x + 2 >= 20 || y + 3 >= 16 ? 0 : at(img, x + 2, y + 3, c)),
      1,
      'thinPlateSpline: shift',
    );
    const scaled = await run(
      thinPlateSpline(),
      img,
      engine,
      grid((u, v) => [0.5 + 0.8 * (u - 0.5), 0.5 + 0.8 * (v - 0.5)]),
    );
    expectWarp(
      scaled.out,
      img,
      (x, y) => [10 + 0.8 * (x - 10), 8 + 0.8 * (y - 8)],
      'thinPlateSpline: scale',
      {
        minShare: 0.6,
      },
    );
  },
  opticalDistortion: async (engine) => {
    const g = golden('opticalDistortion');
    const t = opticalDistortion();
    const { out } = await run(t, g.input, engine, { k: g.params.k as number, dx: 0, dy: 0 });
    // Tolerance: 3 levels where both sample inside the image (OpenCV's fixed-point remap weights);
    // at the edges OpenCV blends with the black border and growset does not.
    const inside = (i: number) => out.data[i - (i % 3)] !== 0 && g.output.data[i - (i % 3)] !== 0;
    const both = Array.from(out.data.keys()).filter(inside);
    expect(both.length / out.data.length).toBeGreaterThan(0.7);
    const within = both.filter((i) => Math.abs(out.data[i]! - g.output.data[i]!) <= 3).length;
    expect(within / both.length, `opticalDistortion vs cv2.remap (${engine})`).toBeGreaterThanOrEqual(0.97);
    const img = ramp(24, 16);
    const k = -0.2;
    const shifted = await run(t, img, engine, { k, dx: 0.1, dy: 0 });
    expectWarp(
      shifted.out,
      img,
      (x, y) => {
        const [cx, cy] = [12 + 2.4, 8];
        const [qx, qy] = [(x - cx) / 24, (y - cy) / 16];
        const r2 = qx * qx + qy * qy;
        const s = 1 + k * r2 + k * r2 * r2;
        return [cx + 24 * qx * s, cy + 16 * qy * s];
      },
      'opticalDistortion',
    );
  },
  coarseDropout: async (engine) => {
    const img = texture(12, 10);
    const rects = [
      { x: 1, y: 1, width: 4, height: 3 },
      { x: 6, y: 5, width: 5, height: 4 },
    ];
    const inHole = (x: number, y: number) =>
      rects.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);
    const t = coarseDropout({ fill: [10, 20, 30], maskFill: 7 });
    const mask: RawImage = {
      kind: 'raw',
      data: new Uint8Array(120).fill(1),
      width: 12,
      height: 10,
      channels: 1,
      dtype: 'uint8',
    };
    const boxes = [
      { coords: [1, 1, 5, 4] as [number, number, number, number], label: 'covered' },
      { coords: [0, 0, 12, 10] as [number, number, number, number], label: 'whole' },
    ];
    const result = await t.apply(
      { image: img, mask, boxes },
      { type: 'coarseDropout', applied: true, params: { rects, seed: 0 } },
      { output: 'raw', engine, minVisibility: 0.1 },
    );
    const out = result.target.image as RawImage;
    expectPixels(
      out,
      (x, y, c) => (inHole(x, y) ? [10, 20, 30][c]! : at(img, x, y, c)),
      0,
      'coarseDropout image',
    );
    expectPixels(result.target.mask!, (x, y) => (inHole(x, y) ? 7 : 1), 0, 'coarseDropout mask');
    expect(result.target.boxes?.map((b) => b.label)).toEqual(['whole']);
    expect(result.dropped.boxes).toEqual([{ index: 0, label: 'covered', visibility: 0 }]);
  },
  gridDropout: async (engine) => {
    const img = texture(12, 10);
    // unit 4, hole round(4 * 0.5) = 2, offset (1, 2): holes at x = 1 + 4i, y = 2 + 4j (and the cells cut at the top left).
    const t = gridDropout({ ratio: 0.5, fill: 0, maskFill: 9 });
    const mask: RawImage = {
      kind: 'raw',
      data: new Uint8Array(120),
      width: 12,
      height: 10,
      channels: 1,
      dtype: 'uint8',
    };
    const result = await t.apply(
      { image: img, mask },
      { type: 'gridDropout', applied: true, params: { unit: 4, offsetX: 1, offsetY: 2, seed: 0 } },
      { output: 'raw', engine },
    );
    const inHole = (x: number, y: number) => (((x - 1) % 4) + 4) % 4 < 2 && (((y - 2) % 4) + 4) % 4 < 2;
    expectPixels(
      result.target.image as RawImage,
      (x, y, c) => (inHole(x, y) ? 0 : at(img, x, y, c)),
      0,
      'gridDropout',
    );
    expectPixels(result.target.mask!, (x, y) => (inHole(x, y) ? 9 : 0), 0, 'gridDropout mask');
  },
  randAugment: async (engine) => {
    const img = texture(8, 8);
    const t = randAugment({ interpolation: 'nearest' });
    const { out } = await run(t, img, engine, {
      ops: [
        { name: 'Rotate', magnitude: 90 },
        { name: 'Solarize', magnitude: 128 },
      ],
    });
    const solar = (v: number) => (v >= 128 ? 255 - v : v);
    expectPixels(
      out,
      (x, y, c) => solar(at(img, 7 - y, x, c)),
      0,
      'randAugment: rotate 90 then solarize 128',
    );
    // Magnitude 9 of 31 bins (torchvision): shear 0.09, translate 150/331 * size * 9/30, rotate 9,
    // colour factors 0.27, posterize 8 - round(9 / 7.5) = 7, solarize 255 - 9 * 8.5.
    const table = (name: string): number[] | undefined =>
      ({
        Identity: [0],
        ShearX: [0.09],
        ShearY: [0.09],
        TranslateX: [(150 / 331) * 8 * 0.3],
        TranslateY: [(150 / 331) * 8 * 0.3],
        Rotate: [9],
        Brightness: [0.27],
        Color: [0.27],
        Contrast: [0.27],
        Sharpness: [0.27],
        Posterize: [7],
        Solarize: [255 - 9 * 8.5],
        AutoContrast: [0],
        Equalize: [0],
      })[name];
    for (let seed = 0; seed < 6; seed++) {
      const { ops } = await chosenOps(t, img, engine, `ra${seed}`);
      expect(ops).toHaveLength(2);
      expectFromTable(ops, table, 'randAugment');
    }
  },
  trivialAugmentWide: async (engine) => {
    const img = ramp(20, 16);
    const t = trivialAugmentWide({ interpolation: 'bilinear' });
    // ShearX m (torchvision, about the top-left corner): output (x, y) samples (x + m y, y).
    const { out } = await run(t, img, engine, { ops: [{ name: 'ShearX', magnitude: 0.4 }] });
    expectWarp(out, img, (x, y) => [x + 0.4 * y, y], 'trivialAugmentWide ShearX');
    const bins = (name: string): number[] | undefined => {
      const wide: { [k: string]: [number, number] } = {
        ShearX: [0, 0.99],
        ShearY: [0, 0.99],
        TranslateX: [0, 32],
        TranslateY: [0, 32],
        Rotate: [0, 135],
        Brightness: [0, 0.99],
        Color: [0, 0.99],
        Contrast: [0, 0.99],
        Sharpness: [0, 0.99],
        Solarize: [255, 0],
      };
      if (name === 'Posterize') return Array.from({ length: 31 }, (_, i) => 8 - Math.round(i / 5));
      if (['Identity', 'AutoContrast', 'Equalize'].includes(name)) return [0];
      const r = wide[name];
      return r && Array.from({ length: 31 }, (_, i) => linspace(r[0], r[1], 31, i));
    };
    for (let seed = 0; seed < 8; seed++) {
      const { ops } = await chosenOps(t, img, engine, `ta${seed}`);
      expect(ops).toHaveLength(1);
      expectFromTable(ops, bins, 'trivialAugmentWide');
    }
  },
  autoAugment: async (engine) => {
    const img = texture(8, 6);
    const t = autoAugment();
    const { out } = await run(t, img, engine, {
      subPolicy: 13,
      ops: [
        { name: 'Invert', magnitude: 0 },
        { name: 'Posterize', magnitude: 4 },
      ],
    });
    expectPixels(
      out,
      (x, y, c) => (255 - at(img, x, y, c)) & 0xf0,
      0,
      'autoAugment: invert then posterize 4',
    );
    // 10 bins: rotate bin b is 30 b / 9, posterize 8 - round(b / 2.25), solarize 255 (1 - b / 9),
    // brightness, color, contrast and sharpness 0.9 b / 9, shears 0.3 b / 9, translations
    // (150 / 331) x size x b / 9.
    const value = (name: string, bin: number | null): number => {
      if (bin === null) return 0;
      const b = bin;
      return (
        {
          Rotate: (30 * b) / 9,
          Posterize: 8 - Math.round(b / 2.25),
          Solarize: 255 * (1 - b / 9),
          Brightness: (0.9 * b) / 9,
          Color: (0.9 * b) / 9,
          Contrast: (0.9 * b) / 9,
          Sharpness: (0.9 * b) / 9,
          ShearX: (0.3 * b) / 9,
          ShearY: (0.3 * b) / 9,
          TranslateX: ((150 / 331) * img.width * b) / 9,
          TranslateY: ((150 / 331) * img.height * b) / 9,
        } as { [k: string]: number }
      )[name]!;
    };
    for (const [policyName, table] of Object.entries(AUTOAUGMENT_POLICIES)) {
      const withPolicy = autoAugment({ policy: policyName as keyof typeof AUTOAUGMENT_POLICIES });
      const seen = new Set<number>();
      for (let seed = 0; seed < 12; seed++) {
        const { ops, subPolicy } = await chosenOps(withPolicy, img, engine, `aa${policyName}${seed}`);
        seen.add(subPolicy!);
        const policy = table[subPolicy!]!;
        let at0 = 0;
        for (const s of ops) {
          const k = policy.findIndex(([name], i) => i >= at0 && name === s.name);
          expect(k, `autoAugment ${policyName} ${s.name} in sub-policy ${subPolicy}`).toBeGreaterThanOrEqual(
            0,
          );
          expect(Math.abs(s.magnitude)).toBeCloseTo(value(s.name, policy[k]![2]), 9);
          at0 = k + 1;
        }
      }
      expect(seen.size, policyName).toBeGreaterThan(5);
    }
    // SVHN's TranslateY at bin 6 on a 8x6 image moves rows down by trunc(150 / 331 x 6 x 6 / 9)
    // = 1 pixel, filling the top row; CIFAR-10's TranslateX at bin 9 moves 3 columns left.
    const shifted = await run(autoAugment({ policy: 'svhn' }), img, engine, {
      subPolicy: 12,
      ops: [{ name: 'TranslateY', magnitude: value('TranslateY', 6) }],
    });
    expectPixels(
      shifted.out,
      (x, y, c) => (y < 1 ? 0 : at(img, x, y - 1, c)),
      0,
      'autoAugment svhn TranslateY',
    );
    const left = await run(autoAugment({ policy: 'cifar10' }), img, engine, {
      subPolicy: 1,
      ops: [{ name: 'TranslateX', magnitude: -value('TranslateX', 9) }],
    });
    expectPixels(
      left.out,
      (x, y, c) => (x + 3 >= img.width ? 0 : at(img, x + 3, y, c)),
      0,
      'autoAugment cifar10 TranslateX',
    );
  },
  // original x v + sum of chain weight x chain(v); the weights sum to 1.
  augMix: async (engine) => {
    const img = texture(8, 6);
    const t = augMix();
    const { out } = await run(t, img, engine, {
      original: 0.5,
      chains: [
        { weight: 0.3, ops: [{ name: 'Invert', magnitude: 0 }] },
        { weight: 0.2, ops: [{ name: 'Brightness', magnitude: 0.5 }] },
      ],
    });
    expectPixels(
      out,
      (x, y, c) => {
        const v = at(img, x, y, c);
        return 0.5 * v + 0.3 * (255 - v) + 0.2 * clamp8(Math.round(1.5 * v));
      },
      0.6,
      'augMix',
    );
    for (let seed = 0; seed < 5; seed++) {
      const result = await augment(t, { image: img }, Rng.create(`am${seed}`), { output: 'raw', engine });
      const p = result.params.params as { original: number; chains: { weight: number; ops: unknown[] }[] };
      expect(p.chains).toHaveLength(3);
      expect(p.original + p.chains.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 9);
      for (const c of p.chains) expect(c.ops.length >= 1 && c.ops.length <= 3).toBe(true);
    }
  },
};

/** bboxSafeRandomCrop: a crop (params) moves pixels by its offset; drawn crops contain every box. */
export async function bboxSafeCropCheck(engine: Engine): Promise<void> {
  const img = texture(20, 16);
  const t = bboxSafeRandomCrop();
  const { out } = await run(t, img, engine, { x: 3, y: 2, width: 9, height: 7 });
  expect([out.width, out.height]).toEqual([9, 7]);
  expectPixels(out, (x, y, c) => at(img, x + 3, y + 2, c), 0, 'bboxSafeRandomCrop');
  const boxes = [
    { coords: [5, 4, 9, 8] as [number, number, number, number] },
    { coords: [12, 6, 15, 11] as [number, number, number, number] },
  ];
  for (let seed = 0; seed < 8; seed++) {
    const result = await augment(t, { image: img, boxes }, Rng.create(`bbox${seed}`), {
      output: 'raw',
      engine,
    });
    const p = result.params.params as { x: number; y: number; width: number; height: number };
    expect(
      p.x <= 5 && p.y <= 4 && p.x + p.width >= 15 && p.y + p.height >= 11,
      `crop ${JSON.stringify(p)}`,
    ).toBe(true);
    expect(result.target.boxes).toHaveLength(2);
    expect(result.target.boxes?.[0]?.coords).toEqual([5 - p.x, 4 - p.y, 9 - p.x, 8 - p.y]);
  }
  const none = await augment(t, { image: img }, Rng.create('bbox'), { output: 'raw', engine });
  expect(none.params.params).toEqual({ x: 0, y: 0, width: 20, height: 16 });
}
