import { availableParallelism } from 'node:os';
import {
  type Drop,
  errorMessage,
  type ImagePayload,
  isRawImage,
  type JsonObject,
  mapStage,
  parseOptions,
  quarantined,
  type RawImage,
  type Sample,
  sniffImageFormat,
} from '@growset/core';
import { bump, type CleaningReport, type CleaningStage } from '@growset/tables';
import type { Metadata } from 'sharp';
import { z } from 'zod';
import { type PerceptualHashKind, perceptualHash } from '../dedupe/perceptual-hash.ts';
import { describeDecodeError, describeSignature } from './decode-errors.ts';
import { type DecodeLimits, sharpFor } from './sharp-input.ts';

const optionsSchema = z.strictObject({
  minWidth: z.int().min(1).default(8),
  minHeight: z.int().min(1).default(8),
  maxWidth: z.int().min(1).default(16_384),
  maxHeight: z.int().min(1).default(16_384),
  maxPixels: z.int().min(1).default(40_000_000),
  animated: z.enum(['first-frame', 'quarantine']).default('first-frame'),
  alpha: z.enum(['keep', 'flatten']).default('keep'),
  background: z.string().min(1).default('#ffffff'),
  autoOrient: z.boolean().default(true),
  output: z.enum(['original', 'png', 'raw']).default('original'),
  jpegQuality: z.int().min(1).max(100).default(95),
  hashes: z.array(z.enum(['dhash', 'phash'])).default(['dhash']),
  failOn: z.enum(['warning', 'error']).default('warning'),
  concurrency: z.int().min(1).max(256).optional(),
  name: z.string().min(1).default('check-images'),
});

/** Options of {@link checkImages}. */
export interface CheckImagesOptions {
  /** Narrower images are quarantined as `too small`. @default 8 */
  minWidth?: number;
  /** Shorter images are quarantined as `too small`. @default 8 */
  minHeight?: number;
  /** Wider images are quarantined as `too large`. @default 16384 */
  maxWidth?: number;
  /** Taller images are quarantined as `too large`. @default 16384 */
  maxHeight?: number;
  /** Images with more pixels are quarantined as `pixel limit` from their header, before decoding (decompression bombs). @default 40000000 */
  maxPixels?: number;
  /** An animated image: keep its `first-frame`, or `quarantine` it. @default 'first-frame' */
  animated?: 'first-frame' | 'quarantine';
  /** An alpha channel: `keep` it, or `flatten` it onto `background`. @default 'keep' */
  alpha?: 'keep' | 'flatten';
  /** Background colour for `alpha: 'flatten'`. @default '#ffffff' */
  background?: string;
  /** Rotate images as their EXIF orientation says. @default true */
  autoOrient?: boolean;
  /**
   * Payload of passing images: `original` keeps the bytes of images that need no change and
   * re-encodes the others (JPEG stays JPEG, the rest becomes PNG); `png` re-encodes everything
   * as PNG; `raw` emits 8-bit pixels. @default 'original'
   */
  output?: 'original' | 'png' | 'raw';
  /** Quality of re-encoded JPEGs. @default 95 */
  jpegQuality?: number;
  /** Perceptual hashes computed while decoding, stored in `meta` for {@link dedupeImages}. @default ['dhash'] */
  hashes?: PerceptualHashKind[];
  /** `warning` rejects truncated files (libjpeg's "premature end"); `error` lets them through grey-filled. @default 'warning' */
  failOn?: 'warning' | 'error';
  /** Images checked at once. @default the number of CPUs */
  concurrency?: number;
  /** Stage name. @default 'check-images' */
  name?: string;
}

/** What {@link checkImages} saw and changed. */
export interface ImagesReport extends CleaningReport {
  kind: 'images';
  checked: number;
  passed: number;
  /** Passing images per format. */
  formats: { [format: string]: number };
  /** Changes made to passing images, per kind: `cmyk`, `16-bit`, `colour space`, `alpha`, `animated`, `orientation`, `re-encoded`. */
  converted: { [change: string]: number };
  /** Smallest and largest passing sizes. */
  minWidth: number | null;
  minHeight: number | null;
  maxWidth: number | null;
  maxHeight: number | null;
}

type Options = z.output<typeof optionsSchema>;

/**
 * A stage checking that every image can be used, and making it uniform. Each image is decoded
 * in full (a truncated JPEG fails), so only good images pass. Quarantine reasons: `empty file`,
 * `not an image` (no known signature: a text file named .png), `undecodable image`,
 * `truncated image`, `pixel limit` (from the header, before decoding), `too small`,
 * `too large`, `animated image` (with `animated: 'quarantine'`).
 *
 * Passing images are normalized: CMYK and other colour spaces to sRGB, 16-bit to 8-bit, EXIF
 * orientation applied, the first frame of an animation, alpha flattened on request. Their
 * `meta` gets `width`, `height`, `format`, the requested perceptual hashes and `converted` (the
 * changes made).
 */
export function checkImages(
  options: CheckImagesOptions = {},
): CleaningStage<Sample<ImagePayload>, Sample<ImagePayload>, ImagesReport> {
  const opts = parseOptions(optionsSchema, options, 'CheckImagesOptions');
  const limits: DecodeLimits = { maxPixels: opts.maxPixels, failOn: opts.failOn };
  let report = emptyReport(opts.name);
  const inner = mapStage<Sample<ImagePayload>, Sample<ImagePayload>>(
    opts.name,
    async (sample) => {
      report.checked += 1;
      const result = await checkOne(sample, opts, limits);
      if ('kind' in result) {
        const { sample: out, converted } = result;
        report.passed += 1;
        const meta = out.meta ?? {};
        bump(report.formats, typeof meta.format === 'string' ? meta.format : 'raw');
        for (const change of converted) bump(report.converted, change);
        const width = typeof meta.width === 'number' ? meta.width : 0;
        const height = typeof meta.height === 'number' ? meta.height : 0;
        report.minWidth = Math.min(report.minWidth ?? width, width);
        report.minHeight = Math.min(report.minHeight ?? height, height);
        report.maxWidth = Math.max(report.maxWidth ?? width, width);
        report.maxHeight = Math.max(report.maxHeight ?? height, height);
        return out;
      }
      return result;
    },
    { concurrency: opts.concurrency ?? Math.max(2, availableParallelism()), ordered: true },
  );
  return {
    name: opts.name,
    report: () => report,
    run(input, ctx) {
      report = emptyReport(opts.name);
      return inner.run(input, ctx);
    },
  };
}

type Checked = { kind: 'ok'; sample: Sample<ImagePayload>; converted: string[] } | Drop;

async function checkOne(sample: Sample<ImagePayload>, opts: Options, limits: DecodeLimits): Promise<Checked> {
  const payload = sample.payload;
  if (isRawImage(payload)) return checkRaw(sample, payload, opts, limits);
  if (payload.data.length === 0) return quarantined('empty file', { detail: 'the file has 0 bytes' });
  const sniffed = sniffImageFormat(payload.data);
  let metadata: Metadata;
  try {
    // The header alone: no pixel limit yet, so an oversized image is reported with its size.
    metadata = await sharpFor(payload, { ...limits, maxPixels: Number.MAX_SAFE_INTEGER }).metadata();
  } catch (error) {
    if (sniffed === undefined) {
      return quarantined('not an image', { detail: describeSignature(payload.data, sample.source?.file) });
    }
    return quarantined('undecodable image', { detail: `${sniffed} header: ${errorMessage(error)}` });
  }
  const { width, height } = metadata;
  if (width === undefined || height === undefined) {
    return quarantined('undecodable image', { detail: 'the header gives no size' });
  }
  const sizeProblem = checkSize(width, height, opts);
  if (sizeProblem) return sizeProblem;
  const pages = metadata.pages ?? 1;
  if (pages > 1 && opts.animated === 'quarantine') {
    return quarantined('animated image', { detail: `${pages} frames (animated: 'quarantine')` });
  }
  const format = metadata.format ?? sniffed ?? 'unknown';
  const hashes: JsonObject = {};
  try {
    for (const kind of opts.hashes.length > 0 ? opts.hashes : (['dhash'] as const)) {
      const hex = await perceptualHash(payload, kind, limits);
      if (opts.hashes.includes(kind)) hashes[kind] = hex;
    }
  } catch (error) {
    return describeDecodeError(error, format, payload.data);
  }
  const converted = changesFor(metadata, pages, opts);
  const reencode = converted.length > 0 || opts.output !== 'original';
  let out: ImagePayload = payload;
  let outFormat: string = format;
  let outWidth = width;
  let outHeight = height;
  if (reencode) {
    try {
      const result = await normalize(payload, metadata, opts, limits);
      out = result.payload;
      outFormat = result.format;
      outWidth = result.width;
      outHeight = result.height;
    } catch (error) {
      return describeDecodeError(error, format, payload.data);
    }
    if (opts.output === 'original' && converted.length > 0) converted.push('re-encoded');
  }
  return {
    kind: 'ok',
    converted,
    sample: {
      ...sample,
      payload: out,
      meta: {
        ...(sample.meta ?? {}),
        width: outWidth,
        height: outHeight,
        format: outFormat,
        ...hashes,
        ...(converted.length > 0 ? { converted } : {}),
      },
    },
  };
}

async function checkRaw(
  sample: Sample<ImagePayload>,
  payload: RawImage,
  opts: Options,
  limits: DecodeLimits,
): Promise<Checked> {
  const { width, height, channels } = payload;
  if (payload.data.length !== width * height * channels) {
    return quarantined('undecodable image', {
      detail: `raw pixels: ${payload.data.length} values, but ${width}x${height}x${channels} needs ${width * height * channels}`,
    });
  }
  if (width * height > opts.maxPixels) {
    return quarantined('pixel limit', { detail: `${width}x${height} is more than ${opts.maxPixels} pixels` });
  }
  const sizeProblem = checkSize(width, height, opts);
  if (sizeProblem) return sizeProblem;
  const hashes: JsonObject = {};
  for (const kind of opts.hashes) hashes[kind] = await perceptualHash(payload, kind, limits);
  return {
    kind: 'ok',
    converted: [],
    sample: { ...sample, meta: { ...(sample.meta ?? {}), width, height, format: 'raw', ...hashes } },
  };
}

function checkSize(width: number, height: number, opts: Options): Drop | undefined {
  if (width * height > opts.maxPixels) {
    return quarantined('pixel limit', {
      detail: `${width}x${height} = ${width * height} pixels is more than maxPixels (${opts.maxPixels}); not decoded`,
    });
  }
  if (width < opts.minWidth || height < opts.minHeight) {
    return quarantined('too small', {
      detail: `${width}x${height} is smaller than ${opts.minWidth}x${opts.minHeight}`,
    });
  }
  if (width > opts.maxWidth || height > opts.maxHeight) {
    return quarantined('too large', {
      detail: `${width}x${height} is larger than ${opts.maxWidth}x${opts.maxHeight}`,
    });
  }
  return undefined;
}

function changesFor(metadata: Metadata, pages: number, opts: Options): string[] {
  const changes: string[] = [];
  if (metadata.space === 'cmyk') changes.push('cmyk');
  else if (!isPlainSpace(metadata.space)) changes.push('colour space');
  if (metadata.depth !== undefined && metadata.depth !== 'uchar' && metadata.depth !== 'char')
    changes.push('16-bit');
  if (metadata.hasAlpha && opts.alpha === 'flatten') changes.push('alpha');
  if (pages > 1) changes.push('animated');
  if (opts.autoOrient && (metadata.orientation ?? 1) > 1) changes.push('orientation');
  return changes;
}

function isPlainSpace(space: string | undefined): boolean {
  return (
    space === undefined || space === 'srgb' || space === 'b-w' || space === 'rgb16' || space === 'grey16'
  );
}

async function normalize(
  payload: ImagePayload,
  metadata: Metadata,
  opts: Options,
  limits: DecodeLimits,
): Promise<{ payload: ImagePayload; format: string; width: number; height: number }> {
  let pipeline = sharpFor(payload, limits);
  if (opts.autoOrient) pipeline = pipeline.autoOrient();
  if (metadata.hasAlpha && opts.alpha === 'flatten')
    pipeline = pipeline.flatten({ background: opts.background });
  const grey = metadata.space === 'b-w' || metadata.space === 'grey16';
  pipeline = pipeline.toColourspace(grey ? 'b-w' : 'srgb');
  if (opts.output === 'raw') {
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return {
      payload: {
        kind: 'raw',
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        width: info.width,
        height: info.height,
        channels: info.channels as 1 | 2 | 3 | 4,
        dtype: 'uint8',
      },
      format: 'raw',
      width: info.width,
      height: info.height,
    };
  }
  const jpeg = opts.output === 'original' && metadata.format === 'jpeg';
  const encoded = jpeg ? pipeline.jpeg({ quality: opts.jpegQuality }) : pipeline.png({ compressionLevel: 6 });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  const format = jpeg ? 'jpeg' : 'png';
  return {
    payload: { kind: 'encoded', data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), format },
    format,
    width: info.width,
    height: info.height,
  };
}

function emptyReport(stage: string): ImagesReport {
  return {
    kind: 'images',
    stage,
    checked: 0,
    passed: 0,
    formats: {},
    converted: {},
    minWidth: null,
    minHeight: null,
    maxWidth: null,
    maxHeight: null,
  };
}
