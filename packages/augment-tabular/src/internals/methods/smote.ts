import type { JsonObject, Rng } from '@growset/core';
import { kNearestNeighbors, type Neighbors } from '@growset/tables';
import { distanceFeatures, gatherRows } from '../table/encode.ts';
import {
  growByNeighbors,
  interpolate,
  type MethodContext,
  type MethodResult,
  type NeighborMethod,
  requireNumericOnly,
  type SyntheticRow,
} from './common.ts';

/** Where SMOTE starts and which neighbours it may interpolate towards. */
export interface SmoteSource {
  /** Rows synthetic points start from. */
  readonly bases: Int32Array;
  /** Rows neighbours are taken from. */
  readonly pool: Int32Array;
  /** For each base, its nearest rows in `pool` (indices into `pool`). */
  readonly neighbors: Neighbors;
}

/**
 * Generates SMOTE points for class `c`: `perBase[i]` points from base i when given (ADASYN),
 * otherwise `count` points from uniformly drawn (base, neighbour) pairs, as imbalanced-learn does.
 * Each point is `base + gap * (neighbour - base)` with `gap ~ U[0, step)`.
 */
export function smotePoints(
  ctx: MethodContext<NeighborMethod>,
  rng: Rng,
  c: number,
  source: SmoteSource,
  draw: { count: number } | { perBase: Int32Array },
  step = 1,
  extra: JsonObject = {},
): SyntheticRow[] {
  const { k, indices } = source.neighbors;
  const out: SyntheticRow[] = [];
  const make = (i: number) => {
    const base = source.bases[i]!;
    const neighbor = source.pool[indices[i * k + rng.int(0, k - 1)]!]!;
    const gap = step * rng.float();
    out.push({
      cls: c,
      parents: [base, neighbor],
      numeric: interpolate(ctx.table, base, neighbor, gap),
      codes: null,
      params: { k, gap, ...extra },
    });
  };
  if ('perBase' in draw) {
    draw.perBase.forEach((times, i) => {
      for (let t = 0; t < times; t++) make(i);
    });
  } else {
    for (let s = 0; s < draw.count; s++) make(rng.int(0, source.bases.length - 1));
  }
  return out;
}

/** Each member of class `c` with its `k` nearest same-class neighbours (itself excluded). */
export function withinClassSource(
  ctx: MethodContext<NeighborMethod>,
  features: Float64Array,
  c: number,
  k: number,
): SmoteSource {
  const members = ctx.table.members[c]!;
  const dims = ctx.table.schema.numeric.length;
  const neighbors = kNearestNeighbors(gatherRows(features, dims, members), dims, k);
  return { bases: members, pool: members, neighbors };
}

/** SMOTE (Chawla et al., 2002) on numeric columns. */
export function smote(ctx: MethodContext<'smote'>, optionsType: string): MethodResult {
  requireNumericOnly(ctx, optionsType);
  const features = distanceFeatures(ctx.table, ctx.options.standardize);
  return growByNeighbors(ctx, (c, _name, count, rng, k) =>
    smotePoints(ctx, rng, c, withinClassSource(ctx, features, c, k), { count }),
  );
}
