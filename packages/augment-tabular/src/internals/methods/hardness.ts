import { kNearestNeighbors } from '@growset/tables';
import { gatherRows } from '../table/encode.ts';
import { spaceOf } from './cleaning.ts';
import { classRng, type MethodContext, type MethodResult } from './common.ts';

/**
 * Instance hardness threshold (Smith et al., 2014). Each row's probability of its own class comes
 * from a k-NN classifier trained on the other folds of a stratified cross-validation (the share of
 * its `k` nearest training rows that share its class). A class that must shrink keeps its
 * `target` easiest rows, ties in random order. imbalanced-learn uses a random forest by default
 * and keeps every row at or above a percentile, so its counts can overshoot; here they are exact.
 */
export function instanceHardnessThreshold(
  ctx: MethodContext<'instanceHardnessThreshold'>,
  optionsType: string,
): MethodResult {
  const space = spaceOf(ctx, optionsType);
  const { features, dims, classOf } = space;
  const { table } = ctx;
  const folds = Math.min(ctx.options.folds, table.n);
  const fold = new Int32Array(table.n);
  // Stratified folds: each class's rows shuffled, then dealt out in turn.
  const dealer = ctx.rng.fork('folds');
  let next = 0;
  table.members.forEach((rows) => {
    for (const p of dealer.permutation(rows.length)) {
      fold[rows[p]!] = next % folds;
      next += 1;
    }
  });
  const probability = new Float64Array(table.n);
  for (let f = 0; f < folds; f++) {
    const test: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < table.n; i++) (fold[i] === f ? test : train).push(i);
    if (test.length === 0) continue;
    const kk = Math.min(ctx.options.k, train.length);
    if (kk === 0) continue;
    const trainRows = Int32Array.from(train);
    const around = kNearestNeighbors(gatherRows(features, dims, trainRows), dims, kk, {
      queries: gatherRows(features, dims, Int32Array.from(test)),
    });
    test.forEach((row, q) => {
      let same = 0;
      for (let j = 0; j < kk; j++)
        if (classOf[trainRows[around.indices[q * kk + j]!]!] === classOf[row]) same += 1;
      probability[row] = same / kk;
    });
  }
  const keep = new Uint8Array(table.n).fill(1);
  table.members.forEach((rows, c) => {
    const target = ctx.targets[c]!;
    if (target >= rows.length) return;
    const shuffle = classRng(ctx, c).permutation(rows.length);
    const rank = new Int32Array(rows.length);
    shuffle.forEach((p, r) => {
      rank[p] = r;
    });
    const order = Array.from({ length: rows.length }, (_, p) => p).sort(
      (a, b) => probability[rows[b]!]! - probability[rows[a]!]! || rank[a]! - rank[b]!,
    );
    for (const row of rows) keep[row] = 0;
    for (const p of order.slice(0, target)) keep[rows[p]!] = 1;
  });
  return { keep, synthetic: [] };
}
