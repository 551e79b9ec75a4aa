import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { previewGrid } from '@growset/augment-image';
import { DataError, errorMessage, sniffImageFormat, writeFileAtomic } from '@growset/core';
import { defineCommand, intOption, stringOption, UsageError } from '../command.ts';
import { loadRecipe } from './augment.ts';

export const augmentPreviewCommand = defineCommand({
  name: 'augment-preview',
  summary: 'write a PNG grid of an image and N augmented copies, to check a recipe by eye',
  usage: '<image> --recipe RECIPE.json [--n 16] [--out grid.png] [--seed S] [--json]',
  details: `
The first cell (framed in blue) is the original; copy k draws from the seed forked by k, so the
same seed shows the same grid.`,
  positionals: { min: 1, max: 1 },
  options: {
    recipe: { type: 'string', value: 'FILE', description: 'recipe JSON file (required)' },
    n: { type: 'string', value: 'N', description: 'augmented copies shown', default: '16' },
    out: { type: 'string', value: 'FILE', description: 'output PNG', default: 'preview.png' },
    seed: { type: 'string', value: 'S', description: 'seed of the copies', default: '0' },
    columns: { type: 'string', value: 'N', description: 'cells per row', default: 'ceil(sqrt(n + 1))' },
    cell: { type: 'string', value: 'PX', description: 'cell size in pixels', default: '192' },
  },
  async run(args, io) {
    const imageArg = args.positionals[0]!;
    const recipePath = stringOption(args, 'recipe');
    if (!recipePath) throw new UsageError('Missing `--recipe FILE`: the JSON recipe to preview');
    const recipe = await loadRecipe(resolve(io.cwd, recipePath), recipePath);
    const n = intOption(args, 'n', { min: 1, max: 1024 }) ?? 16;
    const seed = intOption(args, 'seed', { min: 0, max: 2 ** 31 - 1 }) ?? 0;
    const columns = intOption(args, 'columns', { min: 1, max: 64 });
    const cellSize = intOption(args, 'cell', { min: 16, max: 2048 }) ?? 192;
    const out = resolve(io.cwd, stringOption(args, 'out') ?? 'preview.png');
    const path = resolve(io.cwd, imageArg);
    let data: Uint8Array;
    try {
      data = new Uint8Array(await readFile(path));
    } catch (error) {
      throw new UsageError(`Cannot read image \`${imageArg}\`: ${errorMessage(error)}`, { cause: error });
    }
    io.onProgress({
      type: 'task',
      task: 'augment-preview',
      done: 0,
      total: 1,
      message: `${n} copies of ${imageArg}`,
    });
    let png: Uint8Array;
    try {
      const format = sniffImageFormat(data);
      png = await previewGrid({ kind: 'encoded', data, ...(format ? { format } : {}) }, recipe, {
        n,
        seed,
        cellSize,
        ...(columns === undefined ? {} : { columns }),
      });
    } catch (error) {
      if (error instanceof DataError)
        throw new DataError(error.reason, `${path}: ${error.message}`, { cause: error });
      throw error;
    }
    await writeFileAtomic(out, png);
    io.onProgress({ type: 'task', task: 'augment-preview', done: 1, total: 1 });
    return {
      summary: { image: path, out, n, seed, bytes: png.length },
      text: `Wrote ${out}: the original and ${n} augmented copies of ${imageArg} (seed ${seed}).`,
    };
  },
});
