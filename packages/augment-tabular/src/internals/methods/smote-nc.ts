import { OptionsError } from '@growset/core';
import { kNearestNeighbors } from '@growset/tables';
import { distanceFeatures } from '../table/encode.ts';
import {
  growByNeighbors,
  interpolate,
  type MethodContext,
  type MethodResult,
  type SyntheticRow,
} from './common.ts';

/**
 * SMOTE-NC (Chawla et al., 2002, section 6.1). Distances: standardized numeric columns plus, per
 * categorical column whose values differ, the square of the median standard deviation of the
 * class's numeric columns (one-hot columns scaled by `median / sqrt(2)` give exactly that, so the
 * search stays plain Euclidean). A synthetic row interpolates numeric columns like SMOTE and takes
 * each category most frequent among the base row's k neighbours (ties: the base row's own value
 * if tied, else the nearer neighbour's).
 */
export function smoteNC(ctx: MethodContext<'smoteNC'>, optionsType: string): MethodResult {
  const { table } = ctx;
  const dn = table.schema.numeric.length;
  const dc = table.schema.categorical.length;
  if (dn === 0) {
    throw new OptionsError({
      optionsType,
      field: 'columns',
      expected: 'at least one numeric feature column for smoteNC (all categorical: use randomOverSample)',
      received: table.schema.columns,
    });
  }
  const features = distanceFeatures(table, ctx.options.standardize);
  return growByNeighbors(ctx, (c, _name, count, rng, k) => {
    const rows: SyntheticRow[] = [];
    const members = table.members[c]!;
    const { matrix, dims } = mixedFeatures(ctx, features, members);
    const neighbors = kNearestNeighbors(matrix, dims, k);
    const votes = new Int32Array(Math.max(1, ...table.categories.map((v) => v.length)));
    for (let s = 0; s < count; s++) {
      const i = rng.int(0, members.length - 1);
      const base = members[i]!;
      const nearest = Array.from(neighbors.indices.subarray(i * k, i * k + k), (p) => members[p]!);
      const chosen = rng.int(0, k - 1);
      const neighbor = nearest[chosen]!;
      const gap = rng.float();
      const codes = new Int32Array(dc);
      for (let j = 0; j < dc; j++) codes[j] = vote(table.codes, dc, j, base, nearest, votes);
      rows.push({
        cls: c,
        parents: [base, neighbor, ...nearest.filter((p) => p !== neighbor)],
        numeric: interpolate(table, base, neighbor, gap),
        codes,
        params: { k, gap },
      });
    }
    return rows;
  });
}

/** Numeric distance features of `members` followed by scaled one-hot columns of their categories. */
function mixedFeatures(
  ctx: MethodContext<'smoteNC'>,
  features: Float64Array,
  members: Int32Array,
): { matrix: Float64Array; dims: number } {
  const { table } = ctx;
  const dn = table.schema.numeric.length;
  const dc = table.schema.categorical.length;
  const weight = medianStd(features, dn, members) / Math.SQRT2;
  // One-hot offsets, only for categories present in the class.
  const offsets: Map<number, number>[] = [];
  let dims = dn;
  for (let j = 0; j < dc; j++) {
    const present = new Map<number, number>();
    for (const row of members) {
      const code = table.codes[row * dc + j]!;
      if (!present.has(code)) present.set(code, dims++);
    }
    offsets.push(present);
  }
  const matrix = new Float64Array(members.length * dims);
  members.forEach((row, r) => {
    matrix.set(features.subarray(row * dn, row * dn + dn), r * dims);
    for (let j = 0; j < dc; j++) matrix[r * dims + offsets[j]!.get(table.codes[row * dc + j]!)!] = weight;
  });
  return { matrix, dims };
}

/** Median over numeric columns of the class's standard deviation (in distance units). */
function medianStd(features: Float64Array, dn: number, members: Int32Array): number {
  const stds: number[] = [];
  for (let j = 0; j < dn; j++) {
    let mean = 0;
    for (const row of members) mean += features[row * dn + j]!;
    mean /= members.length;
    let v = 0;
    for (const row of members) v += (features[row * dn + j]! - mean) ** 2;
    stds.push(Math.sqrt(v / members.length));
  }
  stds.sort((a, b) => a - b);
  const mid = stds.length >> 1;
  return stds.length % 2 === 1 ? stds[mid]! : (stds[mid - 1]! + stds[mid]!) / 2;
}

/** The most frequent category of column `j` among `nearest` (nearest first). */
function vote(
  codes: Int32Array,
  dc: number,
  j: number,
  base: number,
  nearest: readonly number[],
  counts: Int32Array,
): number {
  counts.fill(0);
  let best = 0;
  for (const row of nearest) {
    const code = codes[row * dc + j]!;
    counts[code]! += 1;
    if (counts[code]! > best) best = counts[code]!;
  }
  const own = codes[base * dc + j]!;
  if (counts[own] === best) return own;
  for (const row of nearest) {
    const code = codes[row * dc + j]!;
    if (counts[code] === best) return code;
  }
  return own;
}
