import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseRecipe, runAugmentJob, type Transform } from '@growset/augment-image';
import { errorMessage, OptionsError } from '@growset/core';
import { defineCommand, intOption, stringOption, UsageError } from '../command.ts';

const FORMATS = ['same', 'jpeg', 'png', 'webp'] as const;

export const augmentCommand = defineCommand({
  name: 'augment',
  summary: 'augment an ImageFolder with a JSON recipe (seeded, with lineage and quarantine)',
  usage: '<imagefolder> --out DIR --recipe RECIPE.json [--copies N] [--seed S] [--json]',
  details: `
Reads <imagefolder> (one sub-folder per class), writes every original (unless --no-originals)
and N augmented copies per image to --out as an ImageFolder with manifest.jsonl (id, label,
file, lineage with each transform's params) and the recipe as recipe.json. Bad images (empty,
truncated, not an image, over --max-pixels) go to the quarantine folder with their reason.
The same seed gives the same bytes.`,
  positionals: { min: 1, max: 1 },
  options: {
    out: { type: 'string', value: 'DIR', description: 'output ImageFolder (required)' },
    recipe: { type: 'string', value: 'FILE', description: 'recipe JSON file (required)' },
    copies: { type: 'string', value: 'N', description: 'augmented copies per image', default: '1' },
    seed: { type: 'string', value: 'S', description: 'seed of every random choice', default: '0' },
    'no-originals': { type: 'boolean', description: 'write only the augmented copies' },
    format: { type: 'string', value: 'FMT', description: 'same, jpeg, png or webp', default: 'same' },
    quality: { type: 'string', value: 'Q', description: 'JPEG/WebP quality', default: '90' },
    concurrency: {
      type: 'string',
      value: 'N',
      description: 'images augmented at once',
      default: 'max(4, 2 x threads)',
    },
    threads: {
      type: 'string',
      value: 'N',
      description: 'worker threads running the recipe beside the main thread',
      default: 'cores - 1',
    },
    'max-pixels': {
      type: 'string',
      value: 'N',
      description: 'larger images are quarantined',
      default: '50000000',
    },
    quarantine: {
      type: 'string',
      value: 'DIR',
      description: 'quarantine folder',
      default: '<out>.quarantine',
    },
  },
  async run(args, io) {
    const input = resolve(io.cwd, args.positionals[0]!);
    if (!existsSync(input) || !statSync(input).isDirectory()) {
      throw new UsageError(`Input ImageFolder not found: \`${args.positionals[0]}\` is not a folder`);
    }
    const outOption = stringOption(args, 'out');
    if (!outOption) throw new UsageError('Missing `--out DIR`: where to write the augmented ImageFolder');
    const recipePath = stringOption(args, 'recipe');
    if (!recipePath) throw new UsageError('Missing `--recipe FILE`: the JSON recipe to apply');
    const out = resolve(io.cwd, outOption);
    const copies = intOption(args, 'copies', { min: 0, max: 10000 }) ?? 1;
    const seed = intOption(args, 'seed', { min: 0, max: 2 ** 31 - 1 }) ?? 0;
    const keepOriginal = args.values['no-originals'] !== true;
    if (copies === 0 && !keepOriginal)
      throw new UsageError('`--copies 0` with `--no-originals` would write nothing');
    const format = stringOption(args, 'format') ?? 'same';
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`Expected \`--format\` to be one of ${FORMATS.join(', ')}, got \`${format}\``);
    }
    const quality = intOption(args, 'quality', { min: 1, max: 100 }) ?? 90;
    const threads = intOption(args, 'threads', { min: 0, max: 64 });
    const concurrency = intOption(args, 'concurrency', { min: 1, max: 256 });
    const maxPixels = intOption(args, 'max-pixels', { min: 1 }) ?? 50_000_000;
    const quarantine = resolve(
      io.cwd,
      stringOption(args, 'quarantine') ?? join(dirname(out), `${basename(out)}.quarantine`),
    );
    const recipe = await loadRecipe(resolve(io.cwd, recipePath), recipePath);
    const { summary, text } = await runAugmentJob(
      {
        input,
        out,
        recipe,
        copies,
        seed,
        keepOriginal,
        format: format as (typeof FORMATS)[number],
        quality,
        threads,
        concurrency,
        maxPixels,
        quarantine,
      },
      { signal: io.signal, logger: io.logger, onProgress: io.onProgress },
    );
    return { summary, text };
  },
});

/** Reads and validates a recipe file; every problem is a usage error naming the file. */
export async function loadRecipe(path: string, shown: string): Promise<Transform> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read recipe \`${shown}\`: ${errorMessage(error)}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`Recipe \`${shown}\` is not valid JSON: ${errorMessage(error)}`, { cause: error });
  }
  try {
    return parseRecipe(json);
  } catch (error) {
    if (error instanceof OptionsError)
      throw new UsageError(`Recipe \`${shown}\`: ${error.message}`, { cause: error });
    throw error;
  }
}
