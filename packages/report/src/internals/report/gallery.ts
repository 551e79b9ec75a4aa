import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { formatPath, sniffImageFormat } from '@growset/core';
import { z } from 'zod';
import { bytes } from './format.ts';

/** Browsers display these without plugins; TIFF and HEIF are not among them. */
const MIME: { [format: string]: string } = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  bmp: 'image/bmp',
};

/** One picture of the gallery: inlined as a data URI, or the reason it could not be. */
export interface GalleryImage {
  /** As written in the results (relative to the results folder). */
  path: string;
  alt: string;
  dataUri?: string;
  problem?: string;
  bytes: number;
}

export interface GalleryEntry {
  title: string;
  /** The sample's id in the dataset, when the results name it (links to its browse page). */
  id?: string;
  caption?: string;
  original: GalleryImage;
  augmented: GalleryImage[];
}

export interface GalleryLimits {
  maxImageBytes: number;
  maxGalleryBytes: number;
}

const entrySchema = z.object({
  title: z.string(),
  id: z.string().min(1).optional(),
  original: z.string().min(1),
  augmented: z.array(z.string().min(1)),
  caption: z.string().optional(),
});

/**
 * Reads the gallery described by `context.gallery` (`[{ title, id?, original, augmented[], caption? }]`,
 * paths relative to `baseDir`). A malformed entry, a missing or unreadable file, a format browsers
 * cannot show, or a file over the limits becomes a warning and a visible placeholder, never a crash.
 */
export async function loadGallery(
  value: unknown,
  baseDir: string,
  limits: GalleryLimits,
  warn: (message: string) => void,
): Promise<GalleryEntry[]> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    warn(
      'context.gallery: expected an array of { title, original, augmented }, got something else; no gallery',
    );
    return [];
  }
  let total = 0;
  const load = async (path: string, alt: string): Promise<GalleryImage> => {
    const image: GalleryImage = { path, alt, bytes: 0 };
    const full = isAbsolute(path) ? path : resolve(baseDir, path);
    try {
      const info = await stat(full);
      if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOTFILE' });
      image.bytes = info.size;
      if (info.size > limits.maxImageBytes) {
        image.problem = `${bytes(info.size)}, over the ${bytes(limits.maxImageBytes)} limit per image`;
      } else if (total + info.size > limits.maxGalleryBytes) {
        image.problem = `over the ${bytes(limits.maxGalleryBytes)} limit for the whole gallery`;
      } else {
        const data = await readFile(full);
        const format = sniffImageFormat(data);
        const mime = format === undefined ? undefined : MIME[format];
        if (mime === undefined) {
          image.problem = format
            ? `${format.toUpperCase()} images cannot be shown by browsers`
            : 'not a recognized image format';
        } else {
          total += data.length;
          image.dataUri = `data:${mime};base64,${data.toString('base64')}`;
        }
      }
    } catch (error) {
      const code = (error as { code?: string }).code;
      image.problem = code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(error)})`;
    }
    if (image.problem) warn(`Gallery image ${path} (${full}): ${image.problem}`);
    return image;
  };
  const entries: GalleryEntry[] = [];
  for (const [index, raw] of value.entries()) {
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      warn(
        `context.gallery[${index}]${issue.path.length > 0 ? `.${formatPath(issue.path)}` : ''}: ${issue.message}; entry skipped`,
      );
      continue;
    }
    const { title, id, original, augmented, caption } = parsed.data;
    const entry: GalleryEntry = {
      title,
      original: await load(original, `${title}: original`),
      augmented: [],
    };
    if (caption !== undefined) entry.caption = caption;
    if (id !== undefined) entry.id = id;
    for (const [k, path] of augmented.entries())
      entry.augmented.push(await load(path, `${title}: augmented copy ${k + 1} of ${augmented.length}`));
    entries.push(entry);
  }
  return entries;
}
