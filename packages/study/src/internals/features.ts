import { chooseScaling, OptionsError, type RawImage } from '@growset/core';
import type { StudyData } from './dataset.ts';

/** The raw uint8 image of original `index`. */
export function originalImage(data: StudyData, index: number): RawImage {
  const img = data.image!;
  const size = img.width * img.height * img.channels;
  return {
    kind: 'raw',
    data: img.pixels.subarray(index * size, (index + 1) * size),
    width: img.width,
    height: img.height,
    channels: img.channels as 1 | 3,
    dtype: 'uint8',
  };
}

/** Writes an image's intensities scaled to [0, 1] into `out` at `offset`. */
export function writeImageFeatures(image: RawImage, out: Float32Array, offset: number): void {
  const src = image.data;
  if (image.dtype === 'float32') out.set(src as Float32Array, offset);
  else {
    const scale = image.dtype === 'uint16' ? 1 / 65535 : 1 / 255;
    for (let i = 0; i < src.length; i++) out[offset + i] = src[i]! * scale;
  }
}

/** How numeric table features are scaled (images are always intensities in [0, 1]). */
export const SCALINGS = ['auto', 'standardize', 'minmax', 'none'] as const;
export type ScalingOption = (typeof SCALINGS)[number];
export type Scaling = Exclude<ScalingOption, 'auto'>;

/**
 * The scaling a study uses, decided once from the originals outside the test set (`pool`; feature
 * ranges only, no labels): images are intensities / 255 (`minmax`); `auto` on a table is
 * `minmax` when every column is numeric and looks like a bounded non-negative intensity on one
 * shared scale (all values integers in [0, 255] or all in [0, 1], and at least half of the
 * non-constant columns reach the same maximum, as pixels do), else `standardize`: core's
 * `chooseScaling`, the rule `growset train` uses too, measured against scikit-learn in train's
 * bench.
 */
export function resolveScaling(data: StudyData, requested: ScalingOption, pool: readonly number[]): Scaling {
  if (data.task === 'image') {
    if (requested === 'auto' || requested === 'minmax') return 'minmax';
    throw new OptionsError({
      optionsType: 'StudyOptions',
      field: 'scaling',
      expected:
        "'auto' or 'minmax' for images (pixels are intensities / 255); other scalings apply to tables",
      received: requested,
    });
  }
  if (requested !== 'auto') return requested;
  const table = data.table!;
  if (table.columns.some((c) => c.kind !== 'numeric') || pool.length === 0) return 'standardize';
  return chooseScaling(pool.length, table.columns.length, (k, j) => {
    const v = table.rows[pool[k]!]![j];
    return typeof v === 'number' ? v : null;
  });
}

// The table encoder (one-hot categories, imputed and scaled numbers) lives with the labelled
// data set in @growset/tables, so `growset train` encodes a table exactly as a study does.
export { TabularEncoder } from '@growset/tables';
