import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type JobContext,
  type JobResult,
  type JsonObject,
  type JsonValue,
  pipeline,
  readImageFolder,
  writeFileAtomic,
  writeImageFolder,
} from '@growset/core';
import { dedupeImages } from '../dedupe/dedupe-images.ts';
import { checkImages } from '../images/check-images.ts';
import { cleaningSummary, formatCleaningSummary, summaryToJson } from '../summary/cleaning-summary.ts';

/** What `growset clean-images` runs. */
export interface CleanImagesJobOptions {
  /** The ImageFolder to check (one folder per class). */
  input: string;
  /** Output folder: `images/` (with manifest.jsonl), quarantine.jsonl, `files/`, cleaning-summary.json. */
  out: string;
  /** Smallest width and height kept. @default 8 */
  minSize?: number;
  /** Largest width x height decoded (checked from the header). @default 40_000_000 */
  maxPixels?: number;
  /** @default 'first-frame' */
  animated?: 'first-frame' | 'quarantine';
  /** `flatten` puts transparent images onto white. @default 'keep' */
  alpha?: 'keep' | 'flatten';
  /** Perceptual hash for near copies, or `none` (exact copies only). @default 'dhash' */
  hash?: 'dhash' | 'phash' | 'none';
  /** Largest Hamming distance of near copies (0-32). @default 2 */
  threshold?: number;
  /** Read files that symbolic links out of the folder point to (else quarantine them). @default false */
  followLinks?: boolean;
}

/** The summary `growset clean-images --json` prints. */
export interface CleanImagesJobSummary extends JsonObject {
  in: number;
  out: number;
  filtered: number;
  quarantined: number;
  files: { images: string; quarantine: string; summary: string };
  reasons: JsonValue;
}

/**
 * Checks an ImageFolder (decodes every image, normalizes colour, drops exact and near copies),
 * writes the clean folder, the quarantine with the rejected files and the cleaning summary: the
 * work behind `growset clean-images`. Every entry of the folder is counted.
 */
export async function runCleanImagesJob(
  options: CleanImagesJobOptions,
  ctx: JobContext = {},
): Promise<JobResult<CleanImagesJobSummary>> {
  const out = resolve(options.out);
  const minSize = options.minSize ?? 8;
  const maxPixels = options.maxPixels ?? 40_000_000;
  const hash = options.hash ?? 'dhash';
  await mkdir(out, { recursive: true });

  const source = readImageFolder(resolve(options.input), {
    followLinksOutside: options.followLinks === true,
  });
  const check = checkImages({
    minWidth: minSize,
    minHeight: minSize,
    maxPixels,
    animated: options.animated ?? 'first-frame',
    alpha: options.alpha ?? 'keep',
    hashes: hash === 'none' ? [] : [hash],
  });
  const dedupe = dedupeImages({
    near: hash === 'none' ? false : hash,
    threshold: options.threshold ?? 2,
    maxPixels,
  });
  const imagesDir = join(out, 'images');
  const summary = await pipeline(source, check, dedupe, writeImageFolder(imagesDir, { manifest: true })).run({
    name: 'clean-images',
    quarantine: out,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.logger ? { logger: ctx.logger } : {}),
    ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
  });
  const cleaning = cleaningSummary(summary, [source, check, dedupe]);
  const summaryFile = join(out, 'cleaning-summary.json');
  await writeFileAtomic(summaryFile, `${JSON.stringify(cleaning, null, 2)}\n`);
  const files = { images: imagesDir, quarantine: join(out, 'quarantine.jsonl'), summary: summaryFile };
  // Images are never created here: the counts are in, out, filtered and quarantined.
  const { created: _created, ...counts } = cleaning.totals;
  return {
    summary: { ...counts, files, reasons: summaryToJson(cleaning).reasons ?? [] },
    files,
    text: `${formatCleaningSummary(cleaning, summary)}\n\nClean images: ${files.images}\nQuarantine:   ${files.quarantine}\nSummary:      ${files.summary}\n`,
  };
}
