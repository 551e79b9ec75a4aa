import type { Rng } from '@growset/core';
import { kNearestNeighbors } from '@growset/tables';
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
 *
 * Each row of `c` keeps its k nearest store rows up to date as rows join the store (a joining row
 * has the highest store index, so it loses ties, as in a fresh search), so a test costs O(k) and
 * an addition O(rows x dims) instead of a new neighbour search.
 */
export function condense(
  space: Space,
  members: readonly Int32Array[],
  targeted: readonly boolean[],
  k: number,
  seeds: number,
  pick: SeedPicker,
): Int32Array {
  const { features, dims, classOf } = space;
  const counts = members.map((m) => m.length);
  const minority = minorityOf(counts);
  const kept: number[] = [];
  members.forEach((rows, c) => {
    if (!targeted[c]) {
      kept.push(...rows);
      return;
    }
    const seedPositions = pick(c, rows.length, seeds);
    const store = [...members[minority]!, ...Array.from(seedPositions, (p) => rows[p]!)];
    const chosen = Array.from(seedPositions);
    const n = rows.length;
    // Per row of the class: its nearest store rows (labels and distances), nearest first.
    const size = new Int32Array(n);
    const nearLabel = new Int32Array(n * k);
    const nearDistance = new Float64Array(n * k);
    const initial = Math.min(k, store.length);
    const around = kNearestNeighbors(gatherRows(features, dims, Int32Array.from(store)), dims, initial, {
      queries: gatherRows(features, dims, rows),
    });
    for (let p = 0; p < n; p++) {
      size[p] = initial;
      for (let j = 0; j < initial; j++) {
        nearLabel[p * k + j] = classOf[store[around.indices[p * initial + j]!]!]!;
        nearDistance[p * k + j] = around.distances[p * initial + j]!;
      }
    }
    const scratch = new Int32Array(space.classes);
    const predict = (p: number) =>
      modeOf(nearLabel.subarray(p * k, p * k + size[p]!), space.classes, scratch);
    const join = (row: number) => {
      const ro = row * dims;
      for (let p = 0; p < n; p++) {
        const po = rows[p]! * dims;
        let d = 0;
        for (let j = 0; j < dims; j++) {
          const t = features[po + j]! - features[ro + j]!;
          d += t * t;
        }
        const base = p * k;
        let u = size[p]!;
        if (u === k) {
          if (!(d < nearDistance[base + k - 1]!)) continue;
          u = k - 1;
        } else {
          size[p] = u + 1;
        }
        while (u > 0 && nearDistance[base + u - 1]! > d) {
          nearDistance[base + u] = nearDistance[base + u - 1]!;
          nearLabel[base + u] = nearLabel[base + u - 1]!;
          u--;
        }
        nearDistance[base + u] = d;
        nearLabel[base + u] = classOf[row]!;
      }
    };
    let good = new Set<number>(chosen);
    for (let p = 0; p < n; p++) {
      if (good.has(p) || predict(p) === c) continue;
      chosen.push(p);
      store.push(rows[p]!);
      join(rows[p]!);
      good = new Set(chosen);
      for (let q = 0; q < n; q++) if (predict(q) === c) good.add(q);
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

/**
 * The shared frame of CNN and OSS: the table's space, the classes to clean, then `select` with
 * its seeded picks; the kept rows become the mask.
 */
function seededSelection<M extends 'condensedNearestNeighbour' | 'oneSidedSelection'>(
  ctx: MethodContext<M>,
  optionsType: string,
  select: typeof condense,
): MethodResult {
  const space = spaceOf(ctx, optionsType);
  const everyRow = Int32Array.from({ length: ctx.table.n }, (_, i) => i);
  const targeted = targetedClasses(
    ctx.table,
    ctx.options.classes,
    countClasses(space, everyRow),
    optionsType,
  );
  const kept = select(space, ctx.table.members, targeted, ctx.options.k, ctx.options.seeds, randomSeeds(ctx));
  return { keep: maskOf(ctx.table.n, kept), synthetic: [] };
}

/** Condensed nearest neighbour (Hart, 1968). */
export function condensedNearestNeighbour(
  ctx: MethodContext<'condensedNearestNeighbour'>,
  optionsType: string,
): MethodResult {
  return seededSelection(ctx, optionsType, condense);
}

/** One-sided selection (Kubat and Matwin, 1997). */
export function oneSidedSelection(
  ctx: MethodContext<'oneSidedSelection'>,
  optionsType: string,
): MethodResult {
  return seededSelection(ctx, optionsType, oneSided);
}
