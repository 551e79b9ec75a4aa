import type { Cell, JsonObject } from '@growset/core';
import { spread } from '../random.ts';
import { columnMoments } from '../table/encode.ts';
import {
  classRng,
  keepAll,
  type MethodContext,
  type MethodResult,
  rowCodes,
  rowNumeric,
  type SyntheticRow,
  toAdd,
} from './common.ts';

/**
 * Noisy copies. Each numeric column gets `N(0, (scale * std)^2)` added, `std` being the column's
 * standard deviation over all rows. With `swapProbability > 0`, each categorical cell is replaced,
 * with that probability, by another category of the column drawn from the class's frequencies.
 * The rows copied are spread evenly: with `{ factor: 2 }` every row gets exactly one noisy copy.
 */
export function gaussianNoise(ctx: MethodContext<'gaussianNoise'>): MethodResult {
  const { table } = ctx;
  const { numeric: numericColumns, categorical } = table.schema;
  const dc = categorical.length;
  const { std } = columnMoments(table);
  const { scale, swapProbability } = ctx.options;
  const synthetic: SyntheticRow[] = [];
  table.classes.forEach((_, c) => {
    const count = toAdd(ctx, c);
    if (count === 0) return;
    const rng = classRng(ctx, c);
    const members = table.members[c]!;
    const frequencies = categoryFrequencies(ctx, members);
    const times = spread(rng, count, members.length);
    members.forEach((base, i) => {
      for (let t = 0; t < times[i]!; t++) {
        const numeric = rowNumeric(table, base);
        const noise: JsonObject = {};
        numericColumns.forEach((column, j) => {
          const delta = std[j]! > 0 ? rng.normal(0, scale * std[j]!) : 0;
          numeric[j]! += delta;
          noise[column] = delta;
        });
        const codes = rowCodes(table, base);
        const swapped: { [column: string]: Cell } = {};
        if (swapProbability > 0) {
          for (let j = 0; j < dc; j++) {
            if (!rng.bool(swapProbability)) continue;
            const weights = Float64Array.from(frequencies[j]!);
            weights[codes[j]!] = 0;
            if (!weights.some((w) => w > 0)) continue;
            codes[j] = rng.weightedIndex(weights);
            swapped[categorical[j]!] = table.categories[j]![codes[j]!]!;
          }
        }
        const params: JsonObject = { scale, noise };
        if (Object.keys(swapped).length > 0) params.swapped = swapped;
        synthetic.push({ cls: c, parents: [base], numeric, codes, params });
      }
    });
  });
  return { keep: keepAll(table), synthetic };
}

/** Count of each category per categorical column among `members`. */
function categoryFrequencies(ctx: MethodContext<'gaussianNoise'>, members: Int32Array): Int32Array[] {
  const { table } = ctx;
  const dc = table.schema.categorical.length;
  return table.categories.map((values, j) => {
    const counts = new Int32Array(values.length);
    for (const row of members) counts[table.codes[row * dc + j]!]! += 1;
    return counts;
  });
}
