import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  DataError,
  errorMessage,
  type JobContext,
  type JobResult,
  type JsonObject,
  sniffImageFormat,
  writeFileAtomic,
} from '@growset/core';
import { previewGrid } from '../preview.ts';
import { parseRecipe } from '../transforms/builtins.ts';
import { isTransform } from '../transforms/compose.ts';
import type { Transform } from '../transforms/contract.ts';
import type { RecipeSpec } from '../transforms/registry.ts';

/** What `growset augment-preview` runs. */
export interface AugmentPreviewJobOptions {
  /** The image file to preview. */
  image: string;
  /** A transform, or recipe JSON. */
  recipe: Transform | RecipeSpec;
  /** The PNG grid written. */
  out: string;
  /** Augmented copies shown. @default 16 */
  n?: number;
  /** Seed of the copies. @default 0 */
  seed?: number;
  /** Cells per row. @default ceil(sqrt(n + 1)) */
  columns?: number;
  /** Cell size in pixels. @default 192 */
  cellSize?: number;
}

/** The summary `growset augment-preview --json` prints. */
export interface AugmentPreviewJobSummary extends JsonObject {
  image: string;
  out: string;
  n: number;
  seed: number;
  bytes: number;
}

/**
 * Writes a PNG grid of an image and `n` augmented copies (the original framed first): the work
 * behind `growset augment-preview`. An unreadable image is a `DataError` naming the file.
 */
export async function runAugmentPreviewJob(
  options: AugmentPreviewJobOptions,
  ctx: JobContext = {},
): Promise<JobResult<AugmentPreviewJobSummary>> {
  const n = options.n ?? 16;
  const seed = options.seed ?? 0;
  const path = resolve(options.image);
  const out = resolve(options.out);
  const recipe = isTransform(options.recipe) ? options.recipe : parseRecipe(options.recipe);
  let data: Uint8Array;
  try {
    data = new Uint8Array(await readFile(path));
  } catch (error) {
    throw new DataError('unreadable image', `${path}: ${errorMessage(error)}`, { cause: error });
  }
  ctx.onProgress?.({
    type: 'task',
    task: 'augment-preview',
    done: 0,
    total: 1,
    message: `${n} copies of ${options.image}`,
  });
  let png: Uint8Array;
  try {
    const format = sniffImageFormat(data);
    png = await previewGrid({ kind: 'encoded', data, ...(format ? { format } : {}) }, recipe, {
      n,
      seed,
      ...(options.cellSize === undefined ? {} : { cellSize: options.cellSize }),
      ...(options.columns === undefined ? {} : { columns: options.columns }),
    });
  } catch (error) {
    if (error instanceof DataError)
      throw new DataError(error.reason, `${path}: ${error.message}`, { cause: error });
    throw error;
  }
  await writeFileAtomic(out, png);
  ctx.onProgress?.({ type: 'task', task: 'augment-preview', done: 1, total: 1 });
  return {
    summary: { image: path, out, n, seed, bytes: png.length },
    files: { preview: out },
    text: `Wrote ${out}: the original and ${n} augmented copies of ${options.image} (seed ${seed}).`,
  };
}
