import { z } from 'zod';
import { leafTransform } from './contract.ts';
import {
  fog as fogFn,
  rainDrops,
  rain as rainFn,
  shadow as shadowFn,
  sunFlare as sunFlareFn,
} from './fn/weather.ts';
import { bounds, fill, fillArray, intRange, probability, range } from './schema.ts';
import { pixelsOp } from './tone.ts';

const draw = (rng: { uniform(a: number, b: number): number }, r: number | readonly [number, number]) => {
  const [lo, hi] = bounds(r);
  return lo === hi ? lo : rng.uniform(lo, hi);
};

/** A region of interest as fractions of the image: [x0, y0, x1, y1]. */
const roi = z
  .tuple([
    z.number().min(0).max(1),
    z.number().min(0).max(1),
    z.number().min(0).max(1),
    z.number().min(0).max(1),
  ])
  .refine(([x0, y0, x1, y1]) => x0 < x1 && y0 < y1, { message: '[x0, y0, x1, y1] with x0 < x1 and y0 < y1' });

/**
 * Fog (after albumentations' RandomFog): a white haze v' = (1 - a) v + a max, with a = coef x a
 * smooth random field in [0.5, 1] (from a recorded seed); coef drawn from `coef`.
 *
 * Options: `coef` (0 to 1; @default [0.3, 1]), `p` (@default 1).
 */
export const fog = leafTransform({
  type: 'fog',
  version: 1,
  kind: 'pixel',
  optionsType: 'FogOptions',
  options: z.strictObject({ coef: range(0, 1).default([0.3, 1]), p: probability(1) }),
  params: z.strictObject({ coef: z.number().min(0).max(1), seed: z.int().min(0) }),
  sample: (rng, _, o) => ({ coef: draw(rng, o.coef), seed: rng.nextUint32() }),
  ops: ({ coef, seed }) => [pixelsOp('fog', (img, ctx) => fogFn(img, coef, seed, ctx))],
});

/**
 * Rain (after albumentations' RandomRain): the image darkened by `brightness`, then `count`
 * drops (lines `length` px long drifting `slant` px sideways) drawn in `colour`; the drops'
 * positions come from a recorded seed.
 *
 * Options: `count` (@default one drop per 600 px, as albumentations), `length` (px; @default 20),
 * `slant` (px; @default [-10, 10]), `brightness` (@default 0.7), `colour` (@default [200, 200,
 * 200]), `p` (@default 1).
 */
export const rain = leafTransform({
  type: 'rain',
  version: 1,
  kind: 'pixel',
  optionsType: 'RainOptions',
  options: z.strictObject({
    count: intRange(0, 5000).optional(),
    length: z.int().min(1).max(1000).default(20),
    slant: range(-100, 100).default([-10, 10]),
    brightness: z.number().min(0).max(1).default(0.7),
    colour: fill.default([200, 200, 200]),
    p: probability(1),
  }),
  params: z.strictObject({
    count: z.int().min(0).max(100000),
    seed: z.int().min(0),
    slant: z.number(),
    length: z.int().min(1),
  }),
  sample: (rng, { width: W, height: H }, o) => {
    const [c0, c1] = o.count === undefined ? [0, 0] : bounds(o.count);
    const count = o.count === undefined ? Math.min(100000, Math.floor((W * H) / 600)) : rng.int(c0, c1);
    return { count, seed: rng.nextUint32(), slant: draw(rng, o.slant), length: Math.min(o.length, H) };
  },
  ops: ({ count, seed, slant, length }, { width: W, height: H }, o) => [
    pixelsOp('rain', (img, ctx) =>
      rainFn(
        img,
        rainDrops(count, seed, W, H, length),
        length,
        slant,
        o.brightness,
        fillArray(o.colour),
        ctx,
      ),
    ),
  ],
});

/**
 * Shadows (after albumentations' RandomShadow): `count` random polygons of `vertices` corners
 * inside `roi`, darkened by a factor 1 - intensity.
 *
 * Options: `count` (@default [1, 2]), `vertices` (@default 5), `roi` (@default [0, 0.5, 1, 1],
 * the lower half), `intensity` (@default 0.5), `p` (@default 1).
 */
export const shadow = leafTransform({
  type: 'shadow',
  version: 1,
  kind: 'pixel',
  optionsType: 'ShadowOptions',
  options: z.strictObject({
    count: intRange(1, 10).default([1, 2]),
    vertices: intRange(3, 20).default(5),
    roi: roi.default([0, 0.5, 1, 1]),
    intensity: range(0, 1).default(0.5),
    p: probability(1),
  }),
  params: z.strictObject({
    polygons: z.array(z.array(z.tuple([z.number(), z.number()])).min(3)).min(1),
    intensity: z.number().min(0).max(1),
  }),
  sample: (rng, { width: W, height: H }, o) => {
    const [c0, c1] = bounds(o.count);
    const [v0, v1] = bounds(o.vertices);
    const [x0, y0, x1, y1] = o.roi;
    const polygons: [number, number][][] = [];
    for (let k = rng.int(c0, c1); k > 0; k--) {
      const points: [number, number][] = [];
      for (let v = rng.int(v0, v1); v > 0; v--)
        points.push([W * rng.uniform(x0, x1), H * rng.uniform(y0, y1)]);
      // Sorted by angle about their centroid: a simple (non-crossing) polygon.
      const cx = points.reduce((s, p) => s + p[0], 0) / points.length;
      const cy = points.reduce((s, p) => s + p[1], 0) / points.length;
      points.sort((a, b) => Math.atan2(a[1] - cy, a[0] - cx) - Math.atan2(b[1] - cy, b[0] - cx));
      polygons.push(points);
    }
    return { polygons, intensity: draw(rng, o.intensity) };
  },
  ops: ({ polygons, intensity }) => [
    pixelsOp('shadow', (img, ctx) => shadowFn(img, polygons, intensity, ctx)),
  ],
});

/**
 * A sun flare (after albumentations' RandomSunFlare, as one glow): about a centre drawn in `roi`,
 * v' = (1 - a) v + a colour with a = intensity (1 - d / radius)^2 within `radius` (a fraction of
 * the larger side).
 *
 * Options: `roi` (@default [0, 0, 1, 0.5], the upper half), `radius` (@default [0.25, 0.5]),
 * `intensity` (@default [0.5, 0.9]), `colour` (@default [255, 255, 255]), `p` (@default 1).
 */
export const sunFlare = leafTransform({
  type: 'sunFlare',
  version: 1,
  kind: 'pixel',
  optionsType: 'SunFlareOptions',
  options: z.strictObject({
    roi: roi.default([0, 0, 1, 0.5]),
    radius: range(0.01, 2).default([0.25, 0.5]),
    intensity: range(0, 1).default([0.5, 0.9]),
    colour: fill.default([255, 255, 255]),
    p: probability(1),
  }),
  params: z.strictObject({
    x: z.number(),
    y: z.number(),
    radius: z.number().positive(),
    intensity: z.number().min(0).max(1),
  }),
  sample: (rng, { width: W, height: H }, o) => {
    const [x0, y0, x1, y1] = o.roi;
    return {
      x: W * rng.uniform(x0, x1),
      y: H * rng.uniform(y0, y1),
      radius: Math.max(W, H) * draw(rng, o.radius),
      intensity: draw(rng, o.intensity),
    };
  },
  ops: (flare, _, o) => [
    pixelsOp('sunFlare', (img, ctx) => sunFlareFn(img, flare, fillArray(o.colour), ctx)),
  ],
});
