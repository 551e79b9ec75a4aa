import { OptionsError } from '@growset/core';
import { kNearestNeighbors } from '@growset/tables';
import { growByNeighbors, type MethodContext, type MethodResult, type SyntheticRow } from './common.ts';

/**
 * SMOTE-N (Chawla et al., 2002, section 6.2), as imbalanced-learn's `SMOTEN`, for tables whose
 * features are all categorical. Distances are the value difference metric: each category becomes
 * the vector of class frequencies among the rows that have it, and rows are compared by squared
 * Euclidean distance of those vectors. A new row takes, column by column, the most frequent
 * category among a drawn row and its `k` nearest rows of the class (ties: the category that sorts
 * first, as imbalanced-learn's ordinal codes do).
 */
export function smoteN(ctx: MethodContext<'smoteN'>, optionsType: string): MethodResult {
  const { table } = ctx;
  const dc = table.schema.categorical.length;
  if (table.schema.numeric.length > 0 || dc === 0) {
    throw new OptionsError({
      optionsType,
      field: 'columns',
      expected:
        'categorical feature columns only for smoteN (use `smoteNC` for numeric plus categorical, or leave numeric columns out with `columns`)',
      received: table.schema.columns,
    });
  }
  const classes = table.classes.length;
  // Value difference metric embedding: P(class | category) per column.
  const frequencies = table.categories.map((values) => new Float64Array(values.length * classes));
  const totals = table.categories.map((values) => new Float64Array(values.length));
  for (let i = 0; i < table.n; i++) {
    for (let j = 0; j < dc; j++) {
      const code = table.codes[i * dc + j]!;
      frequencies[j]![code * classes + table.classOf[i]!]! += 1;
      totals[j]![code]! += 1;
    }
  }
  const dims = dc * classes;
  const embed = (row: number, out: Float64Array, at: number) => {
    for (let j = 0; j < dc; j++) {
      const code = table.codes[row * dc + j]!;
      for (let c = 0; c < classes; c++) {
        out[at + j * classes + c] = frequencies[j]![code * classes + c]! / totals[j]![code]!;
      }
    }
  };
  // Ranks of categories in sorted order, for ties.
  const rank = table.categories.map((values) => {
    const order = values
      .map((_, code) => code)
      .sort((a, b) => String(values[a]).localeCompare(String(values[b])));
    const out = new Int32Array(values.length);
    order.forEach((code, r) => {
      out[code] = r;
    });
    return out;
  });
  return growByNeighbors(ctx, (c, _name, count, rng, k) => {
    const members = table.members[c]!;
    const points = new Float64Array(members.length * dims);
    members.forEach((row, p) => {
      embed(row, points, p * dims);
    });
    const neighbors = kNearestNeighbors(points, dims, k);
    const rows: SyntheticRow[] = [];
    for (let s = 0; s < count; s++) {
      const p = rng.int(0, members.length - 1);
      const group = [
        members[p]!,
        ...Array.from(neighbors.indices.subarray(p * k, p * k + k), (q) => members[q]!),
      ];
      const codes = new Int32Array(dc);
      for (let j = 0; j < dc; j++) {
        const votes = new Map<number, number>();
        for (const row of group) {
          const code = table.codes[row * dc + j]!;
          votes.set(code, (votes.get(code) ?? 0) + 1);
        }
        let best = -1;
        for (const [code, n] of votes) {
          const b = votes.get(best) ?? 0;
          if (best < 0 || n > b || (n === b && rank[j]![code]! < rank[j]![best]!)) best = code;
        }
        codes[j] = best;
      }
      rows.push({ cls: c, parents: group, numeric: null, codes, params: { k } });
    }
    return rows;
  });
}
