import {
  DataError,
  derive,
  flatMapStage,
  type ImagePayload,
  type JsonObject,
  type JsonValue,
  OptionsError,
  parseOptions,
  Rng,
  type Sample,
  type Stage,
  shortHash,
} from '@growset/core';
import { z } from 'zod';
import { type ApplyOptions, type AugmentResult, augment } from './execute.ts';
import { type AugmentTarget, BOX_FORMATS, type Box, type BoxFormat, type Keypoint } from './targets/types.ts';
import { AugmentThreads } from './threads/pool.ts';
import { parseRecipe } from './transforms/builtins.ts';
import { isTransform } from './transforms/compose.ts';
import { paramsToJson, type Transform } from './transforms/contract.ts';
import type { RecipeSpec } from './transforms/registry.ts';

const optionsSchema = z.strictObject({
  recipe: z.unknown(),
  copies: z.int().min(0).max(10000).default(1),
  seed: z.union([z.int(), z.string()]).optional(),
  keepOriginal: z.boolean().default(true),
  output: z.enum(['same', 'jpeg', 'png', 'webp', 'raw', 'float32']).default('same'),
  quality: z.int().min(1).max(100).default(90),
  engine: z.enum(['auto', 'libvips', 'js']).default('auto'),
  maxPixels: z.int().min(1).optional(),
  minVisibility: z.number().min(0).max(1).default(0),
  concurrency: z.int().min(1).max(256).default(4),
  threads: z.int().min(0).max(64).default(0),
  name: z.string().min(1).default('augment-images'),
});

export interface AugmentImagesOptions {
  /** The recipe: a transform, or recipe JSON (`{"type": "compose", "transforms": [...]}`). */
  recipe: Transform | RecipeSpec;
  /** Augmented copies per input image. @default 1 */
  copies?: number;
  /**
   * Seed of the stage's own generator. Without it the stage uses the run's generator (forked by
   * the stage name), so the run seed decides. Either way each copy draws from the generator
   * forked by sample id and copy number: the output does not depend on concurrency.
   */
  seed?: number | string;
  /** Pass each original through before its copies. @default true */
  keepOriginal?: boolean;
  /** Encoding of the copies, see {@link ApplyOptions.output}. @default 'same' */
  output?: ApplyOptions['output'];
  /** JPEG and WebP quality. @default 90 */
  quality?: number;
  /** @default 'auto' */
  engine?: ApplyOptions['engine'];
  /** Larger images are quarantined. @default 50_000_000 */
  maxPixels?: number;
  /** For boxes in `meta.boxes`, see {@link ApplyOptions.minVisibility}. @default 0 */
  minVisibility?: number;
  /** Images augmented at once (libvips runs them on parallel threads). @default 4 */
  concurrency?: number;
  /**
   * Worker threads that run the recipe (0: this thread). Threads put the typed-array and
   * WebAssembly steps of every plan on all cores (libvips' own steps use them already); same
   * bytes either way. A recipe using a transform registered only in this thread runs here.
   * Keep `concurrency` at least twice `threads`. @default 0
   */
  threads?: number;
  /** Stage name. @default 'augment-images' */
  name?: string;
}

/**
 * A pipeline stage that augments every image sample `copies` times (plus the original when
 * `keepOriginal`). Each copy is derived from its parent with core `derive()`: it knows its root,
 * and its lineage step `augment` records the recipe hash and every transform's params (replay
 * them with `replay()` for the same bytes). Copy ids are `<id stem>_aug<k><ext>`.
 *
 * Boxes and keypoints in `meta.boxes` (`[{ coords, label? }]`, format `meta.boxFormat`) and
 * `meta.keypoints` (`[{ x, y, label? }]`) move with the image; dropped ones are listed in the
 * copy's `meta.dropped`. Bad input (empty, truncated, not an image, too many pixels, invalid
 * boxes) is quarantined with its reason; the run goes on.
 */
export function augmentImages(
  options: AugmentImagesOptions,
): Stage<Sample<ImagePayload>, Sample<ImagePayload>> {
  const opts = parseOptions(
    optionsSchema.refine((o) => o.copies > 0 || o.keepOriginal, {
      message: 'copies >= 1 (or keepOriginal: true)',
      path: ['copies'],
    }),
    options,
    'AugmentImagesOptions',
  );
  const recipe = isTransform(opts.recipe) ? opts.recipe : recipeOption(opts.recipe);
  const recipeJson = recipe.toJSON();
  const recipeHash = shortHash(JSON.stringify(recipeJson));
  const own = opts.seed === undefined ? undefined : Rng.create(opts.seed).fork(opts.name);
  const apply: ApplyOptions = {
    output: opts.output,
    quality: opts.quality,
    engine: opts.engine,
    minVisibility: opts.minVisibility,
    ...(opts.maxPixels === undefined ? {} : { maxPixels: opts.maxPixels }),
  };
  const threads = opts.threads > 0 ? new AugmentThreads(recipeJson, opts.threads) : undefined;
  const augmentCopy = async (target: AugmentTarget, rng: Rng): Promise<CopyResult> => {
    const viaThread = await threads?.run(target, rng, apply);
    if (viaThread) return viaThread;
    const result = await augment(recipe, target, rng, apply);
    return { ...result, params: paramsToJson(result.params) };
  };
  const stage = flatMapStage<Sample<ImagePayload>, Sample<ImagePayload>>(
    opts.name,
    async (sample, ctx) => {
      const rng = own ? own.fork(sample.id) : ctx.rng;
      const targets = targetsFromMeta(sample.meta);
      const out: Sample<ImagePayload>[] = opts.keepOriginal ? [sample] : [];
      for (let copy = 0; copy < opts.copies; copy++) {
        const result = await augmentCopy({ image: sample.payload, ...targets }, rng.fork(`copy:${copy}`));
        const step: JsonObject = {
          recipe: recipeHash,
          copy,
          engine: result.plan.engine,
          transforms: result.params,
        };
        const moved = result.target;
        const dropped = result.dropped.boxes.length + result.dropped.keypoints.length > 0;
        const { file: _file, ...inherited } = sample.meta ?? {};
        const meta: JsonObject = {
          ...inherited,
          ...(moved.boxes ? { boxes: moved.boxes as unknown as JsonValue } : {}),
          ...(moved.keypoints ? { keypoints: moved.keypoints as unknown as JsonValue } : {}),
          ...(dropped ? { dropped: result.dropped as unknown as JsonValue } : {}),
        };
        out.push(
          derive(sample, {
            id: copyId(sample.id, copy),
            op: 'augment',
            version: 1,
            params: step,
            payload: moved.image,
            ...(Object.keys(meta).length > 0 ? { meta } : {}),
          }),
        );
      }
      // Validate the original as the copies are: a quarantined sample must not leak through.
      if (opts.copies === 0)
        await augment(recipe, { image: sample.payload }, rng.fork('check'), { ...apply, output: 'raw' });
      return out;
    },
    { concurrency: opts.concurrency, ordered: true },
  );
  if (!threads) return stage;
  return {
    ...stage,
    // The threads start loading with the run, while the source lists and reads the first files.
    run: (input, ctx) => {
      threads.start();
      return stage.run(input, ctx);
    },
    dispose: () => threads.close(),
  };
}

/** One copy's result, params already as JSON (as they come back from a thread). */
type CopyResult = Omit<AugmentResult, 'params'> & { params: JsonValue };

function recipeOption(json: unknown): Transform {
  try {
    return parseRecipe(json);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    const field = error.field === '' ? 'recipe' : `recipe.${error.field}`;
    throw new OptionsError(
      { optionsType: 'AugmentImagesOptions', field, expected: error.expected, received: error.received },
      { cause: error },
    );
  }
}

/** `cat/001.jpg` -> `cat/001_aug0.jpg`. */
export function copyId(id: string, copy: number): string {
  const match = /^(.*?)(\.[a-z0-9]{2,5})?$/i.exec(id);
  const stem = match?.[1] ?? id;
  const ext = match?.[2] ?? '';
  return `${stem}_aug${copy}${ext}`;
}

function targetsFromMeta(meta: JsonObject | undefined): {
  boxes?: Box[];
  boxFormat?: BoxFormat;
  keypoints?: Keypoint[];
} {
  if (!meta) return {};
  const out: { boxes?: Box[]; boxFormat?: BoxFormat; keypoints?: Keypoint[] } = {};
  if (Array.isArray(meta.boxes)) out.boxes = meta.boxes as unknown as Box[];
  if (meta.boxFormat !== undefined) {
    if (typeof meta.boxFormat !== 'string' || !(BOX_FORMATS as readonly string[]).includes(meta.boxFormat))
      throw new DataError(
        'invalid box',
        `meta.boxFormat must be one of ${BOX_FORMATS.join(', ')}, got ${JSON.stringify(meta.boxFormat)}`,
      );
    out.boxFormat = meta.boxFormat as BoxFormat;
  }
  if (Array.isArray(meta.keypoints)) out.keypoints = meta.keypoints as unknown as Keypoint[];
  return out;
}
