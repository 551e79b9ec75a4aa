import type { Cell } from '@growset/core';
import type { ColumnInfo } from './labelled.ts';

/** How numeric table features are scaled: z-scores, [0, 1] over the training range, or as is. */
export type TableScaling = 'standardize' | 'minmax' | 'none';

/**
 * Turns table rows into numbers, fitted on training originals only: numeric columns scaled
 * (`standardize`: z-scores with the population std; `minmax`: to [0, 1] over the training range;
 * `none`: as is; a missing value takes the training mean), categorical columns one-hot over the
 * categories seen in training (an unseen category is all zeros).
 */
export class TabularEncoder {
  readonly columns: readonly ColumnInfo[];
  readonly scaling: TableScaling;
  readonly #means: number[] = [];
  /** Per numeric column: `(value - offset) / scale`. */
  readonly #offsets: number[] = [];
  readonly #scales: number[] = [];
  readonly #categories: Map<string, number>[] = [];
  readonly width: number;

  private constructor(
    columns: readonly ColumnInfo[],
    rows: readonly (readonly Cell[])[],
    scaling: TableScaling,
  ) {
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
    scaling: TableScaling = 'standardize',
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
