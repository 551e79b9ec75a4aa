import { kNearestNeighbors } from '@growset/tables';
import { beta } from '../random.ts';
import { trainSvm } from '../svm.ts';
import { distanceFeatures, gatherRows } from '../table/encode.ts';
import { growByNeighbors, type MethodContext, type MethodResult, requireNumericOnly } from './common.ts';
import { smotePoints, withinClassSource } from './smote.ts';

/**
 * SVM-SMOTE (Nguyen, Cooper and Kamei, 2011), as imbalanced-learn's `SVMSMOTE`. An RBF SVM (C,
 * gamma 'scale') separates the class from the rest; its support vectors of the class, minus noise
 * (all `m` nearest rows elsewhere), are the bases. A Beta(10, 10) share of the points interpolates
 * from support vectors in danger (at least half of their `m` neighbours elsewhere) towards their
 * `k` nearest rows of the class; the rest extrapolates from safe ones, away from those neighbours,
 * by up to `outStep`. imbalanced-learn fits one multi-class SVM; here it is one class against the
 * rest (the same for two classes). With no support vector left, it falls back to SMOTE (warned).
 */
export function svmSmote(ctx: MethodContext<'svmSmote'>, optionsType: string): MethodResult {
  requireNumericOnly(ctx, optionsType);
  const { table } = ctx;
  const dims = table.schema.numeric.length;
  const features = distanceFeatures(table, ctx.options.standardize);
  const { m, outStep, svmC } = ctx.options;
  return growByNeighbors(ctx, (c, name, count, rng, k) => {
    const members = table.members[c]!;
    const labels = Int8Array.from(table.classOf, (cls) => (cls === c ? 1 : -1));
    const { alpha } = trainSvm(features, dims, labels, { c: svmC });
    const support = members.filter((row) => alpha[row]! > 0);
    const mm = Math.min(m, table.n - 1);
    const around =
      support.length > 0 && mm > 0
        ? kNearestNeighbors(features, dims, mm, {
            queries: gatherRows(features, dims, support),
            self: support,
          })
        : undefined;
    const danger: number[] = [];
    const safe: number[] = [];
    support.forEach((row, q) => {
      let others = 0;
      for (let j = 0; j < mm; j++) if (table.classOf[around!.indices[q * mm + j]!] !== c) others += 1;
      if (others === mm) return;
      (others * 2 >= mm ? danger : safe).push(row);
    });
    if (danger.length + safe.length === 0) {
      ctx.warnings.push(
        `class \`${name}\`: no usable support vector; svmSmote fell back to SMOTE from every row`,
      );
      return smotePoints(ctx, rng, c, withinClassSource(ctx, features, c, k), { count });
    }
    const fraction = beta(rng, 10, 10);
    let fromDanger = Math.min(count, Math.floor(fraction * (count + 1)));
    if (safe.length === 0) fromDanger = count;
    if (danger.length === 0) fromDanger = 0;
    const memberPoints = gatherRows(features, dims, members);
    const position = new Map(Array.from(members, (row, p) => [row, p]));
    const source = (bases: number[]) => {
      const rows = Int32Array.from(bases);
      return {
        bases: rows,
        pool: members,
        neighbors: kNearestNeighbors(memberPoints, dims, k, {
          queries: gatherRows(features, dims, rows),
          self: Int32Array.from(bases, (row) => position.get(row)!),
        }),
      };
    };
    const params = { m, supportVectors: support.length };
    return [
      ...(fromDanger > 0 ? smotePoints(ctx, rng, c, source(danger), { count: fromDanger }, 1, params) : []),
      ...(count - fromDanger > 0
        ? smotePoints(ctx, rng, c, source(safe), { count: count - fromDanger }, -outStep, params)
        : []),
    ];
  });
}
