import { type Cell, chooseScaling, OptionsError, type RawImage } from '@growset/core';
import type { ColumnInfo, StudyData } from './dataset.ts';

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

/**
 * Turns table rows into numbers, fitted on training originals only: numeric columns scaled
 * (`standardize`: z-scores with the population std; `minmax`: to [0, 1] over the training range;
 * `none`: as is; a missing value takes the training mean), categorical columns one-hot over the
 * categories seen in training (an unseen category is all zeros).
 */
export class TabularEncoder {
  readonly columns: readonly ColumnInfo[];
  readonly scaling: Scaling;
  readonly #means: number[] = [];
  /** Per numeric column: `(value - offset) / scale`. */
  readonly #offsets: number[] = [];
  readonly #scales: number[] = [];
  readonly #categories: Map<string, number>[] = [];
  readonly width: number;

  private constructor(columns: readonly ColumnInfo[], rows: readonly (readonly Cell[])[], scaling: Scaling) {
    this.columns = columns;
    this.scaling = scaling;
    let width = 0;
    columns.forEach((column, c) => {
      if (column.kind === 'numeric') {
        const values = rows
          .map((r) => r[c])
          .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
        const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
        const variance = values.length ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length : 0;
        this.#means[c] = mean;
        if (scaling === 'standardize') {
          this.#offsets[c] = mean;
          this.#scales[c] = Math.sqrt(variance) || 1;
        } else if (scaling === 'minmax' && values.length > 0) {
          const low = values.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
          const high = values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
          this.#offsets[c] = low;
          this.#scales[c] = high - low || 1;
        } else {
          this.#offsets[c] = 0;
          this.#scales[c] = 1;
        }
        this.#categories[c] = new Map();
        width += 1;
      } else {
        const seen = [
          ...new Set(
            rows
              .map((r) => r[c])
              .filter((v) => v !== null && v !== undefined)
              .map(String),
          ),
        ].sort();
        this.#categories[c] = new Map(seen.map((v, k) => [v, k]));
        width += seen.length;
      }
    });
    this.width = width;
  }

  static fit(
    columns: readonly ColumnInfo[],
    rows: readonly (readonly Cell[])[],
    scaling: Scaling = 'standardize',
  ): TabularEncoder {
    return new TabularEncoder(columns, rows, scaling);
  }

  transform(rows: readonly (readonly Cell[])[]): Float32Array {
    const out = new Float32Array(rows.length * this.width);
    rows.forEach((row, r) => {
      let o = r * this.width;
      this.columns.forEach((column, c) => {
        const value = row[c];
        if (column.kind === 'numeric') {
          const v = typeof value === 'number' && Number.isFinite(value) ? value : this.#means[c]!;
          out[o] = (v - this.#offsets[c]!) / this.#scales[c]!;
          o += 1;
        } else {
          const categories = this.#categories[c]!;
          const k = value === null || value === undefined ? undefined : categories.get(String(value));
          if (k !== undefined) out[o + k] = 1;
          o += categories.size;
        }
      });
    });
    return out;
  }
}
