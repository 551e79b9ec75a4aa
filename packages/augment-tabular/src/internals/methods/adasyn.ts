import { kNearestNeighbors } from '../neighbors/knn.ts';
import { apportion } from '../random.ts';
import { distanceFeatures, gatherRows } from '../table/encode.ts';
import {
  classRng,
  copies,
  keepAll,
  type MethodContext,
  type MethodResult,
  neighborsFor,
  requireNumericOnly,
  type SyntheticRow,
  toAdd,
} from './common.ts';
import { smotePoints, withinClassSource } from './smote.ts';

/**
 * ADASYN (He et al., 2008): each sample of the class gets a share of the new points proportional
 * to the fraction of other-class rows among its `k` nearest neighbours (all classes). Shares are
 * rounded so the total is exactly the target (imbalanced-learn rounds each share, so its totals
 * drift). A class with no other-class neighbour at all gets plain SMOTE, with a warning
 * (imbalanced-learn raises instead).
 */
export function adasyn(ctx: MethodContext<'adasyn'>, optionsType: string): MethodResult {
  requireNumericOnly(ctx, optionsType);
  const { table } = ctx;
  const dims = table.schema.numeric.length;
  const features = distanceFeatures(table, ctx.options.standardize);
  const synthetic: SyntheticRow[] = [];
  const used: { [className: string]: number } = {};
  table.classes.forEach((name, c) => {
    const count = toAdd(ctx, c);
    if (count === 0) return;
    const rng = classRng(ctx, c);
    const k = neighborsFor(ctx, c, ctx.options.k);
    used[name] = k;
    if (k === 0) {
      synthetic.push(...copies(rng, ctx, c, count, { fallback: 'single-sample class copied' }));
      return;
    }
    const members = table.members[c]!;
    const kAll = Math.min(ctx.options.k, table.n - 1);
    const around = kNearestNeighbors(features, dims, kAll, {
      queries: gatherRows(features, dims, members),
      self: members,
    });
    const hardness = new Float64Array(members.length);
    let total = 0;
    for (let i = 0; i < members.length; i++) {
      let others = 0;
      for (let j = 0; j < kAll; j++) if (table.classOf[around.indices[i * kAll + j]!] !== c) others += 1;
      hardness[i] = others / kAll;
      total += hardness[i]!;
    }
    if (total === 0) {
      ctx.warnings.push(
        `class \`${name}\`: no sample has a neighbour of another class; adasyn fell back to uniform SMOTE`,
      );
      hardness.fill(1);
    }
    const perBase = apportion(count, hardness);
    synthetic.push(...smotePoints(ctx, rng, c, withinClassSource(ctx, features, c, k), { perBase }));
  });
  return { keep: keepAll(table), synthetic, neighbors: used };
}
