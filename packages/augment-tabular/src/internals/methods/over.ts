import type { JsonObject } from '@growset/core';
import { columnMoments } from '../table/encode.ts';
import {
  classRng,
  copies,
  keepAll,
  type MethodContext,
  type MethodResult,
  rowNumeric,
  type SyntheticRow,
  toAdd,
} from './common.ts';

/**
 * Random over-sampling: copies of rows drawn uniformly with replacement within each class. With
 * `shrinkage > 0`, the smoothed bootstrap of imbalanced-learn: each copy's numeric columns get
 * Gaussian noise of standard deviation `shrinkage * h * std_class`, where
 * `h = (4 / ((d + 2) * n)) ^ (1 / (d + 4))`, `d` the numeric columns and `n` all rows.
 */
export function randomOverSample(ctx: MethodContext<'randomOverSample'>): MethodResult {
  const { table } = ctx;
  const { shrinkage } = ctx.options;
  const columns = table.schema.numeric;
  const d = columns.length;
  const h = (4 / ((d + 2) * table.n)) ** (1 / (d + 4));
  const synthetic: SyntheticRow[] = [];
  table.classes.forEach((_, c) => {
    const count = toAdd(ctx, c);
    if (count === 0) return;
    const rng = classRng(ctx, c);
    if (shrinkage === 0 || d === 0) {
      synthetic.push(...copies(rng, ctx, c, count, {}));
      return;
    }
    const members = table.members[c]!;
    const { std } = columnMoments(table, members);
    for (let s = 0; s < count; s++) {
      const base = members[rng.int(0, members.length - 1)]!;
      const numeric = rowNumeric(table, base);
      const noise: JsonObject = {};
      for (let j = 0; j < d; j++) {
        const delta = rng.normal() * shrinkage * h * std[j]!;
        numeric[j]! += delta;
        noise[columns[j]!] = delta;
      }
      synthetic.push({ cls: c, parents: [base], numeric, codes: null, params: { shrinkage, noise } });
    }
  });
  return { keep: keepAll(table), synthetic };
}
