import type { RawImage } from '@growset/core';
import type { FloatImage } from '../engine/js/filters.ts';
import { remap } from '../engine/js/remap.ts';
import { scaling } from '../geometry/matrix.ts';
import { warpStages } from '../geometry/warp.ts';
import { LUMA } from '../ops/colour.ts';
import { fromFloat, toFloatImage } from './codec.ts';
import { hasAlpha, type ImageShape, maxValue } from './shape.ts';

/**
 * Converts an image to another shape (channels, dtype, size) on typed arrays: grey to RGB by
 * repetition, RGB to grey by luma, alpha added opaque or dropped, values rescaled between
 * dtypes, size changed by bilinear resampling. Used to mix two images of different shapes.
 */
export function conform(image: RawImage, shape: ImageShape): RawImage {
  if (
    image.width === shape.width &&
    image.height === shape.height &&
    image.channels === shape.channels &&
    image.dtype === shape.dtype
  )
    return image;
  const src = toFloatImage(image);
  const scale = maxValue(shape.dtype) / maxValue(image.dtype);
  const n = image.width * image.height;
  const inColour = image.channels >= 3 ? 3 : 1;
  const outColour = shape.channels >= 3 ? 3 : 1;
  const data = new Float32Array(n * shape.channels);
  for (let i = 0; i < n; i++) {
    const base = i * image.channels;
    const rgb =
      inColour === 3
        ? [src.data[base]!, src.data[base + 1]!, src.data[base + 2]!]
        : [src.data[base]!, src.data[base]!, src.data[base]!];
    const out = i * shape.channels;
    if (outColour === 3) for (let c = 0; c < 3; c++) data[out + c] = rgb[c]! * scale;
    else data[out] = (LUMA[0] * rgb[0]! + LUMA[1] * rgb[1]! + LUMA[2] * rgb[2]!) * scale;
    if (hasAlpha(shape.channels)) {
      data[out + shape.channels - 1] = hasAlpha(image.channels)
        ? src.data[base + image.channels - 1]! * scale
        : maxValue(shape.dtype);
    }
  }
  let img: FloatImage = { data, width: image.width, height: image.height, channels: shape.channels };
  if (image.width !== shape.width || image.height !== shape.height) {
    const stages = warpStages(
      [
        {
          op: 'affine',
          matrix: scaling(shape.width / image.width, shape.height / image.height),
          width: shape.width,
          height: shape.height,
          border: 'replicate',
          fill: [0],
          interpolation: 'bilinear',
        },
      ],
      image.width,
      image.height,
    );
    img = remap(img, stages, { interpolation: 'bilinear', fills: [[0]] });
  }
  return fromFloat(img, shape.dtype, 1);
}
