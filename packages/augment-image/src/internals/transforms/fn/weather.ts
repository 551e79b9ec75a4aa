import { Rng } from '@growset/core';
import type { FloatImage } from '../../engine/js/filters.ts';
import type { PixelContext } from '../../engine/js/pixel.ts';

/**
 * Weather effects (after albumentations' RandomFog, RandomRain, RandomShadow and RandomSunFlare,
 * simplified to closed forms so that they can be checked pixel by pixel). Colours are in 8-bit
 * units; alpha is left alone.
 */

/**
 * The haze of fog: a smooth field in [0.5, 1] (a 4 x 4 grid of uniform draws from `seed`,
 * interpolated bilinearly between cell centres), one value per pixel.
 */
export function fogField(width: number, height: number, seed: number): Float32Array {
  const rng = Rng.create(`fog:${seed}`);
  const grid = Array.from({ length: 16 }, () => 0.5 + 0.5 * rng.float());
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const gx = Math.min(3, Math.max(0, ((x + 0.5) / width) * 4 - 0.5));
      const gy = Math.min(3, Math.max(0, ((y + 0.5) / height) * 4 - 0.5));
      const x0 = Math.min(2, Math.floor(gx));
      const y0 = Math.min(2, Math.floor(gy));
      const fx = gx - x0;
      const fy = gy - y0;
      const g = (i: number, j: number) => grid[j * 4 + i]!;
      out[y * width + x] =
        (g(x0, y0) * (1 - fx) + g(x0 + 1, y0) * fx) * (1 - fy) +
        (g(x0, y0 + 1) * (1 - fx) + g(x0 + 1, y0 + 1) * fx) * fy;
    }
  return out;
}

/** Fog: v' = (1 - a) v + a * 255 with a = coef * fogField (a white haze, thicker in places). */
export function fog(image: FloatImage, coef: number, seed: number, ctx: PixelContext): FloatImage {
  const { width, height, channels } = image;
  const field = fogField(width, height, seed);
  const data = new Float32Array(image.data);
  for (let i = 0; i < width * height; i++) {
    const a = coef * field[i]!;
    for (let c = 0; c < ctx.colour; c++)
      data[i * channels + c] = (1 - a) * data[i * channels + c]! + a * ctx.max;
  }
  return { ...image, data };
}

/** Where `count` rain drops of `length` px start on a `width` x `height` image, drawn from `seed`. */
export function rainDrops(
  count: number,
  seed: number,
  width: number,
  height: number,
  length: number,
): { x: number; y: number }[] {
  const rng = Rng.create(`rain:${seed}`);
  const drops: { x: number; y: number }[] = [];
  for (let k = 0; k < count; k++)
    drops.push({ x: rng.int(0, width - 1), y: rng.int(0, Math.max(0, height - length)) });
  return drops;
}

/** The pixels of one rain drop: a line from (x, y) down `length` px, drifting `slant` px sideways. */
export function dropPixels(x: number, y: number, length: number, slant: number): [number, number][] {
  const out: [number, number][] = [];
  for (let t = 0; t < length; t++) out.push([Math.round(x + (slant * t) / Math.max(1, length - 1)), y + t]);
  return out;
}

/** Rain: the image darkened by `brightness`, then drops drawn in `colour`. */
export function rain(
  image: FloatImage,
  drops: readonly { x: number; y: number }[],
  length: number,
  slant: number,
  brightness: number,
  colour: readonly number[],
  ctx: PixelContext,
): FloatImage {
  const { width, height, channels } = image;
  const data = new Float32Array(image.data);
  for (let i = 0; i < width * height; i++)
    for (let c = 0; c < ctx.colour; c++) data[i * channels + c]! *= brightness;
  for (const d of drops)
    for (const [x, y] of dropPixels(d.x, d.y, length, slant)) {
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      for (let c = 0; c < ctx.colour; c++)
        data[(y * width + x) * channels + c] = (colour.length === 1 ? colour[0]! : colour[c]!) * ctx.unit;
    }
  return { ...image, data };
}

/** Even-odd rule: whether (x, y) lies inside the polygon. */
export function insidePolygon(x: number, y: number, polygon: readonly (readonly number[])[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] as [number, number];
    const [xj, yj] = polygon[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Shadow: pixels whose centre lies in a polygon are multiplied by 1 - intensity. */
export function shadow(
  image: FloatImage,
  polygons: readonly (readonly (readonly number[])[])[],
  intensity: number,
  ctx: PixelContext,
): FloatImage {
  const { width, height, channels } = image;
  const data = new Float32Array(image.data);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      if (!polygons.some((p) => insidePolygon(x + 0.5, y + 0.5, p))) continue;
      for (let c = 0; c < ctx.colour; c++) data[(y * width + x) * channels + c]! *= 1 - intensity;
    }
  return { ...image, data };
}

/**
 * Sun flare: a glow of `colour` about (x, y) (edge coordinates): v' = (1 - a) v + a colour with
 * a = intensity * (1 - d / radius)^2 within `radius` px of the centre.
 */
export function sunFlare(
  image: FloatImage,
  flare: { x: number; y: number; radius: number; intensity: number },
  colour: readonly number[],
  ctx: PixelContext,
): FloatImage {
  const { width, height, channels } = image;
  const data = new Float32Array(image.data);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x + 0.5 - flare.x, y + 0.5 - flare.y);
      if (d >= flare.radius) continue;
      const a = flare.intensity * (1 - d / flare.radius) ** 2;
      for (let c = 0; c < ctx.colour; c++) {
        const k = (y * width + x) * channels + c;
        data[k] = (1 - a) * data[k]! + a * (colour.length === 1 ? colour[0]! : colour[c]!) * ctx.unit;
      }
    }
  return { ...image, data };
}
