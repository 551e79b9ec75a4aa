import {
  DataError,
  derive,
  type ImagePayload,
  type Label,
  OptionsError,
  parseOptions,
  type RawImage,
  Rng,
  type Sample,
  type SoftLabel,
  type Stage,
} from '@growset/core';
import { z } from 'zod';
import { decodeSource, type EncodeFormat, encodeRaw } from './image/codec.ts';
import { conform } from './image/conform.ts';
import { shapeOf } from './image/shape.ts';
import { DEFAULT_MAX_PIXELS, inspectImage, type SourceImage } from './image/source.ts';
import { fromJSON } from './transforms/builtins.ts';
import { paramsToJson } from './transforms/contract.ts';
import { isMixTransform, type MixTransform } from './transforms/mixing-contract.ts';
import type { RecipeSpec } from './transforms/registry.ts';

const optionsSchema = z.strictObject({
  method: z.unknown(),
  batchSize: z.int().min(2).max(100000).default(32),
  keepOriginal: z.boolean().default(false),
  seed: z.union([z.int(), z.string()]).optional(),
  quality: z.int().min(1).max(100).default(90),
  maxPixels: z.int().min(1).default(DEFAULT_MAX_PIXELS),
  name: z.string().min(1).default('mix-images'),
});

export interface MixImagesOptions {
  /** `mixup()` or `cutmix()`, or their JSON (`{ "type": "mixup", "alpha": 0.4 }`). */
  method: MixTransform | RecipeSpec;
  /** Samples mixed among themselves (each with a shuffled partner, as in the papers). @default 32 */
  batchSize?: number;
  /** Pass each original through before its mixed copy. @default false */
  keepOriginal?: boolean;
  /** Seed of the stage's own generator; the run's generator otherwise. */
  seed?: number | string;
  /** Quality when the mixed image is encoded as JPEG or WebP (like its first parent). @default 90 */
  quality?: number;
  /** Larger images are quarantined. @default 50_000_000 */
  maxPixels?: number;
  /** @default 'mix-images' */
  name?: string;
}

interface Decoded {
  sample: Sample<ImagePayload>;
  source: SourceImage;
  raw: RawImage;
}

/**
 * A batch-level stage for mixup and cutmix: samples are grouped in batches of `batchSize` (in
 * input order), each sample is mixed with the sample at a shuffled position of its batch, and the
 * mixed sample gets a soft label (class weights) and a lineage step naming both parents, so its
 * roots are both originals. A partner of another size or channel count is converted to the
 * first image's shape. Undecodable inputs are quarantined.
 */
export function mixImages(options: MixImagesOptions): Stage<Sample<ImagePayload>, Sample<ImagePayload>> {
  const opts = parseOptions(optionsSchema, options, 'MixImagesOptions');
  const method = isMixTransform(opts.method) ? opts.method : fromJSON(opts.method);
  if (!isMixTransform(method)) {
    throw new OptionsError({
      optionsType: 'MixImagesOptions',
      field: 'method',
      expected: 'a mixing transform (mixup or cutmix)',
      received: options.method,
    });
  }
  return {
    name: opts.name,
    async *run(input, ctx) {
      const base = opts.seed === undefined ? ctx.rng : Rng.create(opts.seed).fork(opts.name);
      let batch: Decoded[] = [];
      let index = 0;
      const flush = async function* (): AsyncGenerator<Sample<ImagePayload>> {
        const rng = base.fork(`batch:${index++}`);
        const partners = rng.permutation(batch.length);
        for (let i = 0; i < batch.length; i++) {
          const a = batch[i]!;
          const b = batch[partners[i]!]!;
          const params = method.sampleParams(rng.fork(a.sample.id), shapeOf(a.raw));
          const { image, weight } = method.mix(a.raw, conform(b.raw, shapeOf(a.raw)), params);
          const label = mixLabels(a.sample.label, b.sample.label, weight);
          const payload = await encodeLike(a, image, opts.quality);
          if (opts.keepOriginal) {
            ctx.created(1);
            yield a.sample;
          }
          const { file: _file, ...meta } = a.sample.meta ?? {};
          yield derive([a.sample, b.sample], {
            id: mixedId(a.sample.id, method.type),
            op: method.type,
            version: method.version,
            params: { partner: b.sample.id, weight, ...paramsToJson(params) },
            payload,
            ...(label === undefined ? {} : { label }),
            ...(Object.keys(meta).length > 0 ? { meta } : {}),
          });
        }
        batch = [];
      };
      for await (const sample of input) {
        try {
          const source = await inspectImage(sample.payload, opts.maxPixels);
          batch.push({ sample, source, raw: await decodeSource(source, opts.maxPixels) });
        } catch (error) {
          if (!(error instanceof DataError)) throw error;
          ctx.quarantine(sample, error.reason, { detail: error.message, cause: error });
          continue;
        }
        if (batch.length >= opts.batchSize) yield* flush();
      }
      if (batch.length > 0) yield* flush();
    },
  };
}

function mixedId(id: string, type: string): string {
  const match = /^(.*?)(\.[a-z0-9]{2,5})?$/i.exec(id);
  return `${match?.[1] ?? id}_${type}${match?.[2] ?? ''}`;
}

/** The soft label of a mix: `weight` of a's label(s) and `1 - weight` of b's. */
export function mixLabels(a: Label | undefined, b: Label | undefined, weight: number): Label | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  const out: { [name: string]: number } = {};
  const add = (label: Label, w: number) => {
    if (typeof label === 'string') out[label] = (out[label] ?? 0) + w;
    else for (const [name, v] of Object.entries(label as SoftLabel)) out[name] = (out[name] ?? 0) + w * v;
  };
  add(a, weight);
  add(b, 1 - weight);
  return out;
}

async function encodeLike(a: Decoded, image: RawImage, quality: number): Promise<ImagePayload> {
  if (a.source.kind === 'raw') return image;
  const format: EncodeFormat = (['jpeg', 'png', 'webp'] as const).includes(a.source.format as EncodeFormat)
    ? (a.source.format as EncodeFormat)
    : 'png';
  return { kind: 'encoded', data: await encodeRaw(image, format, quality), format };
}
