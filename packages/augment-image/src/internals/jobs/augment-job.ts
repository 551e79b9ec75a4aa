import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import {
  formatRunSummary,
  type JobContext,
  type JobResult,
  type JsonObject,
  OptionsError,
  pipeline,
  readImageFolder,
  shortHash,
  writeFileAtomic,
  writeImageFolder,
} from '@growset/core';
import { augmentImages } from '../stage.ts';
import { parseRecipe } from '../transforms/builtins.ts';
import { isTransform } from '../transforms/compose.ts';
import type { Transform } from '../transforms/contract.ts';
import type { RecipeSpec } from '../transforms/registry.ts';

/** What `growset augment` runs. */
export interface AugmentJobOptions {
  /** The input ImageFolder (one sub-folder per class). */
  input: string;
  /** The output ImageFolder (with manifest.jsonl and recipe.json). */
  out: string;
  /** A transform, or recipe JSON. */
  recipe: Transform | RecipeSpec;
  /** Augmented copies per image. @default 1 */
  copies?: number;
  /** Seed of every random choice. @default 0 */
  seed?: number;
  /** Write the originals too. @default true */
  keepOriginal?: boolean;
  /** Encoding of the copies. @default 'same' */
  format?: 'same' | 'jpeg' | 'png' | 'webp';
  /** JPEG and WebP quality. @default 90 */
  quality?: number;
  /** Worker threads running the recipe beside this thread (0: this thread only). @default cores - 1 */
  threads?: number;
  /** Images augmented at once. @default max(4, 2 * threads) */
  concurrency?: number;
  /** Larger images are quarantined. @default 50_000_000 */
  maxPixels?: number;
  /** Quarantine folder. @default `<out>.quarantine` beside `out` */
  quarantine?: string;
}

/** The summary `growset augment --json` prints. */
export interface AugmentJobSummary extends JsonObject {
  input: string;
  out: string;
  manifest: string;
  quarantineDir: string;
  seed: number;
  copies: number;
  /** Short hash of the recipe JSON. */
  recipe: string;
  files: number;
  images: number;
  originals: number;
  augmented: number;
  written: number;
  filtered: number;
  quarantined: number;
  quarantinedBy: { [reason: string]: number };
  wallTimeMs: number;
}

/**
 * Augments an ImageFolder into another (originals plus `copies` seeded copies per image, each
 * with its lineage), writes the recipe beside the manifest and quarantines bad images with their
 * reason: the work behind `growset augment`.
 */
export async function runAugmentJob(
  options: AugmentJobOptions,
  ctx: JobContext = {},
): Promise<JobResult<AugmentJobSummary>> {
  const copies = options.copies ?? 1;
  const keepOriginal = options.keepOriginal ?? true;
  if (copies === 0 && !keepOriginal)
    throw new OptionsError({
      optionsType: 'AugmentJobOptions',
      field: 'copies',
      expected: 'at least 1 when keepOriginal is false (nothing would be written)',
      received: copies,
    });
  const seed = options.seed ?? 0;
  const threads = options.threads ?? Math.max(0, availableParallelism() - 1);
  const input = resolve(options.input);
  const out = resolve(options.out);
  const quarantine = resolve(options.quarantine ?? join(dirname(out), `${basename(out)}.quarantine`));
  const recipe = isTransform(options.recipe) ? options.recipe : parseRecipe(options.recipe);

  ctx.logger?.info(`Augmenting ${input} -> ${out} (${copies} copies per image, seed ${seed})`);
  const summary = await pipeline(
    readImageFolder(input),
    augmentImages({
      recipe,
      copies,
      keepOriginal,
      output: options.format ?? 'same',
      quality: options.quality ?? 90,
      threads,
      concurrency: options.concurrency ?? Math.max(4, 2 * threads),
      ...(options.maxPixels === undefined ? {} : { maxPixels: options.maxPixels }),
    }),
    writeImageFolder(out),
  ).run({
    name: 'augment',
    seed,
    quarantine,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.logger ? { logger: ctx.logger } : {}),
    ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
  });
  const recipeFile = join(out, 'recipe.json');
  await writeFileAtomic(recipeFile, `${JSON.stringify(recipe.toJSON(), null, 2)}\n`);

  const stage = summary.stages.find((s) => s.stage === 'augment-images');
  const read = summary.stages[0]!;
  const images = stage?.in ?? 0;
  const created = stage?.created ?? 0;
  const quarantinedBy: { [reason: string]: number } = {};
  for (const s of summary.stages)
    for (const [r, n] of Object.entries(s.quarantinedBy)) quarantinedBy[r] = (quarantinedBy[r] ?? 0) + n;
  const augmented = keepOriginal ? created : (stage?.out ?? 0);
  const originals = keepOriginal ? (stage?.out ?? 0) - created : 0;
  const manifest = join(out, 'manifest.jsonl');
  const quarantineFile = join(quarantine, 'quarantine.jsonl');
  return {
    summary: {
      input,
      out,
      manifest,
      quarantineDir: quarantine,
      seed,
      copies,
      recipe: shortHash(JSON.stringify(recipe.toJSON())),
      files: read.in,
      images,
      originals,
      augmented,
      written: summary.out,
      filtered: summary.filtered,
      quarantined: summary.quarantined,
      quarantinedBy,
      wallTimeMs: summary.wallTimeMs,
    },
    files: {
      images: out,
      manifest,
      recipe: recipeFile,
      quarantine: summary.quarantined > 0 ? quarantineFile : undefined,
    },
    text: [
      `Augmented ${images} images into ${out}: ${originals} originals + ${augmented} copies = ${summary.out} written.`,
      summary.quarantined > 0
        ? `Quarantined ${summary.quarantined} (${Object.entries(quarantinedBy)
            .map(([r, n]) => `${n} ${r}`)
            .join(', ')}): see ${quarantineFile}`
        : 'Quarantined 0.',
      '',
      formatRunSummary(summary),
    ].join('\n'),
  };
}
