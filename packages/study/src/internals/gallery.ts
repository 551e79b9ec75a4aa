import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  encodeRawAsPng,
  type JsonObject,
  loadSharp,
  type RawImage,
  Rng,
  safeFileName,
  writeFileAtomic,
} from '@growset/core';
import type { StudyData } from './dataset.ts';
import { originalImage } from './features.ts';
import { defaultPlugins, type ImageAugmenter, loadExport } from './plugins.ts';

export interface GalleryEntry extends JsonObject {
  /** The original's sample id: `growset browse` links the entry to that sample's page. */
  id: string;
  title: string;
  original: string;
  augmented: string[];
  caption: string;
}

export interface GalleryOptions {
  recipe: JsonObject;
  /** Folder the paths are written relative to (the results folder). */
  dir: string;
  /** Originals shown (one per class first). @default 4 */
  count?: number;
  /** Augmented copies per original. @default 5 */
  copies?: number;
  seed?: number;
  /** Upscale small images so a person can see them (nearest neighbour). @default to at least 112 px */
  minSide?: number;
  /** `module#export` of the image augmenter. @default augmentImageJson of `@growset/augment-image/study` */
  augmenter?: string;
}

/**
 * Writes originals beside augmented copies, made with the same augmenter and recipe the trials
 * use, under `dir/gallery/`, and returns the entries for a report's `context.gallery`.
 */
export async function writeAugmentationGallery(
  data: StudyData,
  options: GalleryOptions,
): Promise<GalleryEntry[]> {
  if (data.task !== 'image') return [];
  const augmenter = options.augmenter
    ? await loadExport<ImageAugmenter>(options.augmenter)
    : await defaultPlugins.imageAugmenter();
  const count = options.count ?? 4;
  const copies = options.copies ?? 5;
  const rng = Rng.create(options.seed ?? 0).fork('gallery');
  const picked: number[] = [];
  const seenClasses = new Set<string>();
  for (let i = 0; i < data.ids.length && picked.length < count; i++) {
    if (!seenClasses.has(data.labels[i]!)) {
      seenClasses.add(data.labels[i]!);
      picked.push(i);
    }
  }
  const folder = join(options.dir, 'gallery');
  await mkdir(folder, { recursive: true });
  const sharp = await loadSharp();
  const minSide = options.minSide ?? 112;
  const save = async (image: RawImage, name: string): Promise<string> => {
    let png = await encodeRawAsPng(image);
    const scale = Math.ceil(minSide / Math.min(image.width, image.height));
    if (scale > 1) {
      png = new Uint8Array(
        await sharp(png)
          .resize(image.width * scale, image.height * scale, { kernel: 'nearest' })
          .png()
          .toBuffer(),
      );
    }
    const rel = `gallery/${name}.png`;
    await writeFileAtomic(join(options.dir, rel), png, { durable: false });
    return rel;
  };
  const entries: GalleryEntry[] = [];
  for (const index of picked) {
    const id = data.ids[index]!;
    const image = originalImage(data, index);
    const base = safeFileName(id);
    const augmented: string[] = [];
    for (let k = 0; k < copies; k++) {
      const result = await augmenter(options.recipe, image, rng.fork(`${id}:${k}`));
      augmented.push(await save('kind' in result ? result : result.image, `${base}-aug${k}`));
    }
    entries.push({
      id,
      title: `${id} (class ${data.labels[index]})`,
      original: await save(image, base),
      augmented,
      caption: `the original, then ${copies} copies drawn from the recipe used by the augment variant`,
    });
  }
  return entries;
}
