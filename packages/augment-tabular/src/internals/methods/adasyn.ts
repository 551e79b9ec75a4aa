import { kNearestNeighbors } from '@growset/tables';
import { apportion } from '../random.ts';
import { distanceFeatures, gatherRows } from '../table/encode.ts';
import { growByNeighbors, type MethodContext, type MethodResult, requireNumericOnly } from './common.ts';
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
  return growByNeighbors(ctx, (c, name, count, rng, k) => {
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
    return smotePoints(ctx, rng, c, withinClassSource(ctx, features, c, k), { perBase });
  });
}
