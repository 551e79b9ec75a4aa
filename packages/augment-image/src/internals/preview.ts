import { type ImagePayload, parseOptions, type RawImage, Rng } from '@growset/core';
import sharp from 'sharp';
import { z } from 'zod';
import { augment } from './execute.ts';
import { decodeSource } from './image/codec.ts';
import { DEFAULT_MAX_PIXELS, inspectImage } from './image/source.ts';
import type { Transform } from './transforms/contract.ts';

const optionsSchema = z.strictObject({
  n: z.int().min(1).max(1024).default(16),
  seed: z.union([z.int(), z.string()]).default(0),
  columns: z.int().min(1).max(64).optional(),
  cellSize: z.int().min(16).max(2048).default(192),
  gap: z.int().min(0).max(256).default(6),
  maxPixels: z.int().min(1).default(DEFAULT_MAX_PIXELS),
});

export interface PreviewOptions {
  /** Augmented copies shown after the original. @default 16 */
  n?: number;
  /** Copy k draws from the generator of `seed` forked by k. @default 0 */
  seed?: number | string;
  /** Cells per row. @default ceil(sqrt(n + 1)) */
  columns?: number;
  /** Each image is fitted into a square of this many px. @default 192 */
  cellSize?: number;
  /** Space between cells, px. @default 6 */
  gap?: number;
  /** @default 50_000_000 */
  maxPixels?: number;
}

/**
 * A PNG grid of the original (first cell, framed in blue) and `n` augmented copies, for a person
 * to look at a recipe before training (and for HTML reports). Float outputs (a recipe ending in
 * `normalize`) are stretched to the visible range.
 */
export async function previewGrid(
  image: ImagePayload,
  recipe: Transform,
  options: PreviewOptions = {},
): Promise<Uint8Array> {
  const opts = parseOptions(optionsSchema, options, 'PreviewOptions');
  const source = await inspectImage(image, opts.maxPixels);
  const original = await decodeSource(source, opts.maxPixels);
  const rng = Rng.create(opts.seed);
  const cells: RawImage[] = [original];
  for (let k = 0; k < opts.n; k++) {
    const result = await augment(recipe, { image: original }, rng.fork(k), {
      output: 'raw',
      maxPixels: opts.maxPixels,
    });
    cells.push(result.target.image as RawImage);
  }
  const columns = opts.columns ?? Math.ceil(Math.sqrt(cells.length));
  const rows = Math.ceil(cells.length / columns);
  const size = opts.cellSize;
  const gap = opts.gap;
  const frame = 3;
  const composites = await Promise.all(
    cells.map(async (cell, index) => {
      const inner = index === 0 ? size - 2 * frame : size;
      let tile = sharp(displayable(cell), {
        raw: { width: cell.width, height: cell.height, channels: cell.channels },
      })
        .resize(inner, inner, { fit: 'contain', background: { r: 255, g: 255, b: 255, alpha: 1 } })
        .flatten({ background: '#ffffff' })
        .toColourspace('srgb');
      if (index === 0)
        tile = tile.extend({ top: frame, bottom: frame, left: frame, right: frame, background: '#1f6feb' });
      return {
        input: await tile.png().toBuffer(),
        left: gap + (index % columns) * (size + gap),
        top: gap + Math.floor(index / columns) * (size + gap),
      };
    }),
  );
  const out = await sharp({
    create: {
      width: gap + columns * (size + gap),
      height: gap + rows * (size + gap),
      channels: 3,
      background: { r: 255, g: 255, b: 255 },
    },
  })
    .composite(composites)
    .png()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** 8-bit pixels for display: uint16 scaled down, float stretched from its min to its max. */
function displayable(image: RawImage): Uint8Array {
  if (image.dtype === 'uint8') return image.data as Uint8Array;
  const out = new Uint8Array(image.data.length);
  if (image.dtype === 'uint16') {
    for (let i = 0; i < out.length; i++) out[i] = Math.round(image.data[i]! / 257);
    return out;
  }
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of image.data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min || 1;
  for (let i = 0; i < out.length; i++) out[i] = Math.round(((image.data[i]! - min) / span) * 255);
  return out;
}
