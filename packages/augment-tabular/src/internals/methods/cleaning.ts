import { OptionsError } from '@growset/core';
import { kNearestNeighbors, type Neighbors } from '@growset/tables';
import type { CleanedClasses, MethodName } from '../options.ts';
import { distanceFeatures, type EncodedTable, gatherRows } from '../table/encode.ts';
import { type MethodContext, type MethodResult, requireNumericOnly } from './common.ts';

/** Numeric rows as the cleaning and prototype methods measure them: numeric columns only, standardized unless told not to. */
export interface Space {
  readonly features: Float64Array;
  readonly dims: number;
  readonly classOf: Int32Array;
  readonly classes: number;
}

export function spaceOf(
  ctx: MethodContext<MethodName> & { options: { standardize: boolean } },
  optionsType: string,
): Space {
  requireNumericOnly(ctx, optionsType);
  const { table } = ctx;
  return {
    features: distanceFeatures(table, ctx.options.standardize),
    dims: table.schema.numeric.length,
    classOf: table.classOf,
    classes: table.classes.length,
  };
}

/** Rows per class among `rows`. */
export function countClasses(space: Space, rows: Int32Array): Int32Array {
  const counts = new Int32Array(space.classes);
  for (const row of rows) counts[space.classOf[row]!]! += 1;
  return counts;
}

/** The first class (in sorted order) with the fewest rows among the classes present, as imbalanced-learn picks it. */
export function minorityOf(counts: ArrayLike<number>): number {
  let best = -1;
  for (let c = 0; c < counts.length; c++) {
    if (counts[c]! > 0 && (best < 0 || counts[c]! < counts[best]!)) best = c;
  }
  return best;
}

function majorityOf(counts: ArrayLike<number>): number {
  let best = -1;
  for (let c = 0; c < counts.length; c++)
    if (counts[c]! > 0 && (best < 0 || counts[c]! > counts[best]!)) best = c;
  return best;
}

/**
 * Which classes may lose rows, given the current class counts (imbalanced-learn recomputes
 * `'not minority'` and the like on every round of the repeated methods, and so does this).
 */
export function targetedClasses(
  table: EncodedTable,
  classes: CleanedClasses,
  counts: ArrayLike<number>,
  optionsType: string,
): boolean[] {
  const present = (c: number) => counts[c]! > 0;
  const names = table.classes;
  if (Array.isArray(classes)) {
    for (const name of classes) {
      if (!names.includes(name)) {
        throw new OptionsError({
          optionsType,
          field: 'classes',
          expected: `class names the data has (${names.map((x) => JSON.stringify(x)).join(', ')})`,
          received: classes,
        });
      }
    }
    return names.map((name, c) => present(c) && classes.includes(name));
  }
  const minority = minorityOf(counts);
  const majority = majorityOf(counts);
  return names.map((_, c) => {
    if (!present(c)) return false;
    switch (classes) {
      case 'all':
        return true;
      case 'majority':
        return c === majority;
      case 'not majority':
        return c !== majority;
      default:
        return c !== minority;
    }
  });
}

/**
 * The `k` nearest of `rows` around each row at `positions` (positions into `rows`, each
 * excluding itself); neighbour indices are positions into `rows`. `k` is lowered to the rows available.
 */
export function neighborsAmong(space: Space, rows: Int32Array, positions: Int32Array, k: number): Neighbors {
  const { features, dims } = space;
  const kk = Math.min(k, rows.length - 1);
  if (kk < 1 || positions.length === 0) {
    return { k: 0, indices: new Int32Array(0), distances: new Float64Array(0) };
  }
  const points = gatherRows(features, dims, rows);
  return kNearestNeighbors(points, dims, kk, {
    queries: gatherRows(points, dims, positions),
    self: positions,
  });
}

/** The most frequent class among `labels` (ties go to the lower class index, like scipy's mode). */
export function modeOf(
  labels: ArrayLike<number>,
  classes: number,
  scratch = new Int32Array(classes),
): number {
  scratch.fill(0);
  for (let i = 0; i < labels.length; i++) scratch[labels[i]!]! += 1;
  let best = 0;
  for (let c = 1; c < classes; c++) if (scratch[c]! > scratch[best]!) best = c;
  return best;
}

/**
 * Edited nearest neighbours on the subset `rows` (imbalanced-learn's `EditedNearestNeighbours`):
 * 1 for each position that stays. A row of a targeted class stays when all of its `k` nearest
 * rows in the subset share its class (`'all'`) or their most frequent class is its own (`'mode'`).
 */
export function ennKeep(
  space: Space,
  rows: Int32Array,
  targeted: readonly boolean[],
  k: number,
  kind: 'all' | 'mode',
): Uint8Array {
  const keep = new Uint8Array(rows.length).fill(1);
  const positions = Int32Array.from(
    Array.from({ length: rows.length }, (_, p) => p).filter((p) => targeted[space.classOf[rows[p]!]!]),
  );
  const around = neighborsAmong(space, rows, positions, k);
  if (around.k === 0) return keep;
  const labels = new Int32Array(around.k);
  const scratch = new Int32Array(space.classes);
  positions.forEach((p, q) => {
    const own = space.classOf[rows[p]!]!;
    for (let j = 0; j < around.k; j++) labels[j] = space.classOf[rows[around.indices[q * around.k + j]!]!]!;
    const stays =
      kind === 'all' ? labels.every((l) => l === own) : modeOf(labels, space.classes, scratch) === own;
    if (!stays) keep[p] = 0;
  });
  return keep;
}

/**
 * Tomek links on the subset `rows`: 1 for each position that stays. A row of a targeted class is
 * removed when its nearest row is of another class and has it as its own nearest row.
 */
export function tomekKeep(space: Space, rows: Int32Array, targeted: readonly boolean[]): Uint8Array {
  const keep = new Uint8Array(rows.length).fill(1);
  if (rows.length < 2) return keep;
  const all = Int32Array.from({ length: rows.length }, (_, p) => p);
  const nearest = neighborsAmong(space, rows, all, 1).indices;
  for (let p = 0; p < rows.length; p++) {
    const own = space.classOf[rows[p]!]!;
    if (!targeted[own]) continue;
    const q = nearest[p]!;
    if (space.classOf[rows[q]!] !== own && nearest[q] === p) keep[p] = 0;
  }
  return keep;
}

const allRows = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** Keep mask over the whole table from a kept subset of rows. */
export function maskOf(n: number, rows: Int32Array): Uint8Array {
  const keep = new Uint8Array(n);
  for (const row of rows) keep[row] = 1;
  return keep;
}

function subset(rows: Int32Array, keep: Uint8Array): Int32Array {
  return rows.filter((_, p) => keep[p] === 1);
}

/** Tomek links (Tomek, 1976), as imbalanced-learn's `TomekLinks`. */
export function tomekLinks(ctx: MethodContext<'tomekLinks'>, optionsType: string): MethodResult {
  const space = spaceOf(ctx, optionsType);
  const rows = allRows(ctx.table.n);
  const targeted = targetedClasses(ctx.table, ctx.options.classes, countClasses(space, rows), optionsType);
  return { keep: tomekKeep(space, rows, targeted), synthetic: [] };
}

/** Edited nearest neighbours (Wilson, 1972), as imbalanced-learn's `EditedNearestNeighbours`. */
export function editedNearestNeighbours(
  ctx: MethodContext<'editedNearestNeighbours'>,
  optionsType: string,
): MethodResult {
  const space = spaceOf(ctx, optionsType);
  const rows = allRows(ctx.table.n);
  const targeted = targetedClasses(ctx.table, ctx.options.classes, countClasses(space, rows), optionsType);
  smallTable(ctx, rows.length, ctx.options.k);
  return { keep: ennKeep(space, rows, targeted, ctx.options.k, ctx.options.kindSel), synthetic: [] };
}

function smallTable(ctx: MethodContext<MethodName>, n: number, k: number): void {
  if (n - 1 < k) {
    ctx.warnings.push(`${n} rows: ${ctx.options.method} used k=${Math.max(0, n - 1)} instead of ${k}`);
  }
}

/**
 * Repeated ENN and AllKNN share this loop (imbalanced-learn's stopping rules): a round's result is
 * kept, then the loop stops when a cleaned class falls below the original minority's size or a
 * class disappears (and, for repeated ENN, when a round removes nothing).
 */
function repeatEnn(
  ctx: MethodContext<'repeatedEditedNearestNeighbours' | 'allKnn'>,
  optionsType: string,
  rounds: number,
  kOf: (round: number) => number,
  stopOnMinority: boolean,
): MethodResult {
  const space = spaceOf(ctx, optionsType);
  let rows: Int32Array = allRows(ctx.table.n);
  const original = countClasses(space, rows);
  const minority = minorityOf(original);
  const present = original.filter((n) => n > 0).length;
  for (let round = 0; round < rounds; round++) {
    const counts = countClasses(space, rows);
    const targeted = targetedClasses(ctx.table, ctx.options.classes, counts, optionsType);
    const next = subset(rows, ennKeep(space, rows, targeted, kOf(round), ctx.options.kindSel));
    const converged = next.length === rows.length;
    const after = countClasses(space, next);
    const belowMinority =
      stopOnMinority && after.some((n, c) => c !== minority && n > 0 && n < original[minority]!);
    const vanished = after.filter((n) => n > 0).length < present;
    rows = next;
    if ((converged && ctx.options.method === 'repeatedEditedNearestNeighbours') || belowMinority || vanished)
      break;
  }
  return { keep: maskOf(ctx.table.n, rows), synthetic: [] };
}

/** Repeated edited nearest neighbours (Tomek, 1976), as imbalanced-learn's `RepeatedEditedNearestNeighbours`. */
export function repeatedEditedNearestNeighbours(
  ctx: MethodContext<'repeatedEditedNearestNeighbours'>,
  optionsType: string,
): MethodResult {
  return repeatEnn(ctx, optionsType, ctx.options.maxIter, () => ctx.options.k, true);
}

/** AllKNN (Tomek, 1976), as imbalanced-learn's `AllKNN`: ENN with 1, 2, ..., k neighbours. */
export function allKnn(ctx: MethodContext<'allKnn'>, optionsType: string): MethodResult {
  return repeatEnn(ctx, optionsType, ctx.options.k, (round) => round + 1, !ctx.options.allowMinority);
}

/** Neighbourhood cleaning rule (Laurikkala, 2001), as imbalanced-learn's `NeighbourhoodCleaningRule(kind_sel='mode')`. */
export function neighbourhoodCleaningRule(
  ctx: MethodContext<'neighbourhoodCleaningRule'>,
  optionsType: string,
): MethodResult {
  const space = spaceOf(ctx, optionsType);
  const n = ctx.table.n;
  const rows = allRows(n);
  const counts = countClasses(space, rows);
  const targeted = targetedClasses(ctx.table, ctx.options.classes, counts, optionsType);
  smallTable(ctx, n, ctx.options.k);
  const keep = ennKeep(space, rows, targeted, ctx.options.k, 'mode');
  const minority = minorityOf(counts);
  const cleaned = targeted.map((t, c) => t && counts[c]! > n * ctx.options.threshold);
  const members = ctx.table.members[minority]!;
  const around = neighborsAmong(space, rows, members, ctx.options.k);
  if (around.k > 0) {
    const labels = new Int32Array(around.k);
    members.forEach((_, q) => {
      for (let j = 0; j < around.k; j++) labels[j] = space.classOf[around.indices[q * around.k + j]!]!;
      if (modeOf(labels, space.classes) === minority) return;
      for (let j = 0; j < around.k; j++) {
        const row = around.indices[q * around.k + j]!;
        if (cleaned[space.classOf[row]!]) keep[row] = 0;
      }
    });
  }
  return { keep, synthetic: [] };
}
