import type { RawImage } from '@growset/core';
import sharp from 'sharp';
import { bestInterpolation, warpStages } from '../../geometry/warp.ts';
import { decodeSource, encodeRaw, fromFloat, toFloatImage } from '../../image/codec.ts';
import { colourChannels, expandFill, maxValue, unitScale } from '../../image/shape.ts';
import type { SourceImage } from '../../image/source.ts';
import { foldColour, needsMean } from '../../ops/colour.ts';
import { type GeometricOp, isGeometric, type PlanOp } from '../../ops/types.ts';
import type { EngineContext, EngineResult } from '../types.ts';
import { convolve, type FloatImage, gaussianBlur } from './filters.ts';
import {
  applyColour,
  applyEqualize,
  applyErase,
  applyGamma,
  applyNoise,
  applyNormalize,
  applyPosterize,
  clampColour,
  meanColour,
  type PixelContext,
} from './pixel.ts';
import { remap } from './remap.ts';

/**
 * Runs ops on typed arrays: every geometric run is one remap (sampling the source once), pixel
 * ops follow in order. Synchronous except for JPEG round trips. Used for small raw images (no
 * libvips call overhead), for warps libvips cannot express, and for grey+alpha or float input.
 */
export function runOpsOnFloat(
  image: FloatImage,
  ops: readonly PlanOp[],
  pctx: PixelContext,
  steps: string[],
): FloatImage {
  let img = image;
  let i = 0;
  while (i < ops.length) {
    const op = ops[i]!;
    if (isGeometric(op)) {
      const run: GeometricOp[] = [];
      while (i < ops.length && isGeometric(ops[i]!)) run.push(ops[i++] as GeometricOp);
      const fills = run.map((g) => expandFill(g.fill, img.channels).map((v) => v * pctx.unit));
      img = remap(img, warpStages(run, img.width, img.height), {
        interpolation: bestInterpolation(run),
        fills,
      });
      steps.push(`remap(${run.map((g) => g.op).join('+')})`);
      continue;
    }
    i++;
    switch (op.op) {
      case 'colour':
        applyColour(img, foldColour(op.steps, needsMean(op.steps) ? meanColour(img, pctx) : undefined), pctx);
        break;
      case 'gamma':
        applyGamma(img, op.gamma, pctx);
        break;
      case 'blur':
        img = gaussianBlur(img, op.sigma);
        break;
      case 'convolve':
        img = convolve(img, op.kernel, op.width, op.height);
        break;
      case 'noise':
        applyNoise(img, op, pctx);
        break;
      case 'posterize':
        applyPosterize(img, op.bits, pctx);
        break;
      case 'equalize':
        applyEqualize(img, pctx);
        break;
      case 'erase':
        applyErase(img, op, pctx);
        break;
      case 'pixels':
        img = op.run(img, pctx);
        clampColour(img, pctx);
        steps.push(op.name);
        continue;
      case 'normalize':
        applyNormalize(img, op, pctx);
        steps.push('normalize');
        continue;
      case 'jpeg':
        throw new Error('JPEG round trips are asynchronous: use runJsEngine');
    }
    clampColour(img, pctx);
    steps.push(op.op);
  }
  return img;
}

export function pixelContext(raw: { dtype: RawImage['dtype']; channels: number }): PixelContext {
  return { unit: unitScale(raw.dtype), max: maxValue(raw.dtype), colour: colourChannels(raw.channels) };
}

/** The typed-array engine on any source, with JPEG round trips through libvips. */
export async function runJsEngine(
  source: SourceImage,
  ops: readonly PlanOp[],
  ctx: EngineContext,
): Promise<EngineResult> {
  const steps: string[] = [];
  let passes = 0;
  let raw: RawImage;
  if (source.kind === 'encoded') {
    raw = await decodeSource(source, ctx.maxPixels);
    passes++;
    steps.push('decode');
  } else {
    raw = source.image;
  }
  const pctx = pixelContext(raw);
  let img = toFloatImage(raw);
  let start = 0;
  for (let i = 0; i <= ops.length; i++) {
    const op = ops[i];
    if (op !== undefined && op.op !== 'jpeg') continue;
    img = runOpsOnFloat(img, ops.slice(start, i), pctx, steps);
    if (op?.op === 'jpeg') {
      img = await jpegRoundTrip(img, op.quality, pctx, op.format);
      passes += 2;
      steps.push(`${op.format ?? 'jpeg'}(q${op.quality})`);
    }
    start = i + 1;
  }
  const normalized = ops[ops.length - 1]?.op === 'normalize';
  const out = ctx.output;
  if (normalized || out.kind === 'float32') {
    return {
      image: fromFloat(img, 'float32', normalized ? 1 : pctx.max),
      summary: { engine: 'js', passes, steps },
    };
  }
  const result = fromFloat(img, raw.dtype, 1);
  if (out.kind === 'raw') return { image: result, summary: { engine: 'js', passes, steps } };
  const data = await encodeRaw(result, out.format, out.quality);
  steps.push(`encode(${out.format})`);
  return {
    image: { kind: 'encoded', data, format: out.format },
    summary: { engine: 'js', passes: passes + 1, steps },
  };
}

/** Encodes the colour channels as 8-bit JPEG (or WebP) at `quality` and decodes them back (alpha kept). */
export async function jpegRoundTrip(
  img: FloatImage,
  quality: number,
  pctx: PixelContext,
  format: 'jpeg' | 'webp' = 'jpeg',
): Promise<FloatImage> {
  const { width, height, channels, data } = img;
  const colour = pctx.colour;
  const n = width * height;
  const bytes = new Uint8Array(n * colour);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < colour; c++) {
      const v = Math.round(data[i * channels + c]! / pctx.unit);
      bytes[i * colour + c] = v < 0 ? 0 : Math.min(v, 255);
    }
  const space = colour === 1 ? 'b-w' : 'srgb';
  const encoder = sharp(bytes, { raw: { width, height, channels: colour } }).toColourspace(space);
  const jpeg = await (format === 'webp' ? encoder.webp({ quality }) : encoder.jpeg({ quality })).toBuffer();
  const decoded = await sharp(jpeg).toColourspace(space).raw().toBuffer();
  const out = new Float32Array(data);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < colour; c++) out[i * channels + c] = decoded[i * colour + c]! * pctx.unit;
  return { data: out, width, height, channels };
}
