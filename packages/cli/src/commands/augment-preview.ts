import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { runAugmentPreviewJob } from '@growset/augment-image';
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
    if (!existsSync(path) || statSync(path).isDirectory())
      throw new UsageError(`Cannot read image \`${imageArg}\`: no such file`);
    const { summary, text } = await runAugmentPreviewJob(
      { image: path, recipe, out, n, seed, cellSize, ...(columns === undefined ? {} : { columns }) },
      { signal: io.signal, logger: io.logger, onProgress: io.onProgress },
    );
    return { summary, text };
  },
});
