import type { Rng } from '@growset/core';
import { kNearestNeighbors } from '../neighbors/knn.ts';
import { gatherRows } from '../table/encode.ts';
import {
  countClasses,
  maskOf,
  minorityOf,
  modeOf,
  type Space,
  spaceOf,
  targetedClasses,
  tomekKeep,
} from './cleaning.ts';
import { classRng, type MethodContext, type MethodResult } from './common.ts';

/**
 * A k-NN classifier's predictions for `queries` (rows) from the labelled rows `train`: the most
 * frequent class among the `k` nearest (ties to the lower class index, like scikit-learn's).
 */
export function knnPredict(space: Space, train: Int32Array, queries: Int32Array, k: number): Int32Array {
  const { features, dims, classOf } = space;
  const out = new Int32Array(queries.length);
  const kk = Math.min(k, train.length);
  if (queries.length === 0 || kk === 0) return out;
  const around = kNearestNeighbors(gatherRows(features, dims, train), dims, kk, {
    queries: gatherRows(features, dims, queries),
  });
  const labels = new Int32Array(kk);
  const scratch = new Int32Array(space.classes);
  for (let q = 0; q < queries.length; q++) {
    for (let j = 0; j < kk; j++) labels[j] = classOf[train[around.indices[q * kk + j]!]!]!;
    out[q] = modeOf(labels, space.classes, scratch);
  }
  return out;
}

/** Seed positions (into the class's rows) for each class: drawn without replacement from the class's generator. */
export type SeedPicker = (c: number, size: number, count: number) => Int32Array;

function randomSeeds(ctx: MethodContext<'condensedNearestNeighbour' | 'oneSidedSelection'>): SeedPicker {
  return (c, size, count) => {
    const rng: Rng = classRng(ctx, c);
    return Int32Array.from(rng.permutation(size).slice(0, Math.min(count, size)));
  };
}

/**
 * Condensed nearest neighbour as imbalanced-learn 0.10 runs it, per targeted class `c`: the store
 * starts with the minority class and the seed rows of `c`; each row of `c` not yet classified
 * right by a k-NN on the store is tested, and added when misclassified (after which every row of
 * `c` is classified again and the right ones skipped). Returns the kept rows of the whole table.
 */
export function condense(
  space: Space,
  members: readonly Int32Array[],
  targeted: readonly boolean[],
  k: number,
  seeds: number,
  pick: SeedPicker,
): Int32Array {
  const counts = members.map((m) => m.length);
  const minority = minorityOf(counts);
  const kept: number[] = [];
  members.forEach((rows, c) => {
    if (!targeted[c]) {
      kept.push(...rows);
      return;
    }
    const seedPositions = pick(c, rows.length, seeds);
    const store = [...members[minority]!];
    const chosen: number[] = [];
    for (const p of seedPositions) {
      store.push(rows[p]!);
      chosen.push(p);
    }
    let good = new Set<number>(chosen);
    for (let p = 0; p < rows.length; p++) {
      if (good.has(p)) continue;
      const predicted = knnPredict(space, Int32Array.from(store), rows.subarray(p, p + 1), k)[0];
      if (predicted === c) continue;
      chosen.push(p);
      store.push(rows[p]!);
      const all = knnPredict(space, Int32Array.from(store), rows, k);
      good = new Set(chosen);
      all.forEach((label, q) => {
        if (label === c) good.add(q);
      });
    }
    for (const p of chosen) kept.push(rows[p]!);
  });
  return Int32Array.from(kept).sort();
}

/**
 * One-sided selection as imbalanced-learn 0.10 runs it: per targeted class, the seed rows plus the
 * rows a k-NN on (minority + seeds) misclassifies; then Tomek links among what is left, for the
 * targeted classes. Returns the kept rows of the whole table.
 */
export function oneSided(
  space: Space,
  members: readonly Int32Array[],
  targeted: readonly boolean[],
  k: number,
  seeds: number,
  pick: SeedPicker,
): Int32Array {
  const counts = members.map((m) => m.length);
  const minority = minorityOf(counts);
  const kept: number[] = [];
  members.forEach((rows, c) => {
    if (!targeted[c]) {
      kept.push(...rows);
      return;
    }
    const seedPositions = new Set(pick(c, rows.length, seeds));
    const store = Int32Array.from([...members[minority]!, ...[...seedPositions].map((p) => rows[p]!)]);
    const rest = rows.filter((_, p) => !seedPositions.has(p));
    const predicted = knnPredict(space, store, rest, k);
    for (const p of seedPositions) kept.push(rows[p]!);
    rest.forEach((row, q) => {
      if (predicted[q] !== c) kept.push(row);
    });
  });
  const left = Int32Array.from(kept).sort();
  const keep = tomekKeep(space, left, targeted);
  return left.filter((_, p) => keep[p] === 1);
}

/** Condensed nearest neighbour (Hart, 1968). */
export function condensedNearestNeighbour(
  ctx: MethodContext<'condensedNearestNeighbour'>,
  optionsType: string,
): MethodResult {
  const space = spaceOf(ctx, optionsType);
  const targeted = targetedClasses(
    ctx.table,
    ctx.options.classes,
    countClasses(
      space,
      Int32Array.from({ length: ctx.table.n }, (_, i) => i),
    ),
    optionsType,
  );
  const kept = condense(
    space,
    ctx.table.members,
    targeted,
    ctx.options.k,
    ctx.options.seeds,
    randomSeeds(ctx),
  );
  return { keep: maskOf(ctx.table.n, kept), synthetic: [] };
}

/** One-sided selection (Kubat and Matwin, 1997). */
export function oneSidedSelection(
  ctx: MethodContext<'oneSidedSelection'>,
  optionsType: string,
): MethodResult {
  const space = spaceOf(ctx, optionsType);
  const targeted = targetedClasses(
    ctx.table,
    ctx.options.classes,
    countClasses(
      space,
      Int32Array.from({ length: ctx.table.n }, (_, i) => i),
    ),
    optionsType,
  );
  const kept = oneSided(
    space,
    ctx.table.members,
    targeted,
    ctx.options.k,
    ctx.options.seeds,
    randomSeeds(ctx),
  );
  return { keep: maskOf(ctx.table.n, kept), synthetic: [] };
}
