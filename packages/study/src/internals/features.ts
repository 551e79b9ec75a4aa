import type { Cell, RawImage } from '@growset/core';
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

/**
 * Turns table rows into numbers, fitted on training originals only: numeric columns standardized
 * (missing values take the training mean, i.e. 0 after scaling), categorical columns one-hot over
 * the categories seen in training (an unseen category is all zeros).
 */
export class TabularEncoder {
  readonly columns: readonly ColumnInfo[];
  readonly #means: number[] = [];
  readonly #stds: number[] = [];
  readonly #categories: Map<string, number>[] = [];
  readonly width: number;

  private constructor(columns: readonly ColumnInfo[], rows: readonly (readonly Cell[])[]) {
    this.columns = columns;
    let width = 0;
    columns.forEach((column, c) => {
      if (column.kind === 'numeric') {
        const values = rows
          .map((r) => r[c])
          .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
        const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
        const variance = values.length ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length : 0;
        this.#means[c] = mean;
        this.#stds[c] = Math.sqrt(variance) || 1;
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

  static fit(columns: readonly ColumnInfo[], rows: readonly (readonly Cell[])[]): TabularEncoder {
    return new TabularEncoder(columns, rows);
  }

  transform(rows: readonly (readonly Cell[])[]): Float32Array {
    const out = new Float32Array(rows.length * this.width);
    rows.forEach((row, r) => {
      let o = r * this.width;
      this.columns.forEach((column, c) => {
        const value = row[c];
        if (column.kind === 'numeric') {
          out[o] =
            typeof value === 'number' && Number.isFinite(value)
              ? (value - this.#means[c]!) / this.#stds[c]!
              : 0;
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
