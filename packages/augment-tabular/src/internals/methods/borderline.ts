import { kNearestNeighbors } from '@growset/tables';
import { beta } from '../random.ts';
import { distanceFeatures, gatherRows } from '../table/encode.ts';
import { growByNeighbors, type MethodContext, type MethodResult, requireNumericOnly } from './common.ts';
import { type SmoteSource, smotePoints } from './smote.ts';

/**
 * Rows of class `c` in danger: among their `m` nearest rows (all classes, itself excluded), at
 * least half but not all belong to other classes. Those with all neighbours elsewhere are noise.
 */
export function dangerRows(
  features: Float64Array,
  dims: number,
  classOf: Int32Array,
  members: Int32Array,
  c: number,
  m: number,
): Int32Array {
  const n = classOf.length;
  const mm = Math.min(m, n - 1);
  const around = kNearestNeighbors(features, dims, mm, {
    queries: gatherRows(features, dims, members),
    self: members,
  });
  const danger: number[] = [];
  for (let i = 0; i < members.length; i++) {
    let others = 0;
    for (let j = 0; j < mm; j++) if (classOf[around.indices[i * mm + j]!] !== c) others += 1;
    if (others * 2 >= mm && others < mm) danger.push(members[i]!);
  }
  return Int32Array.from(danger);
}

/**
 * Borderline-SMOTE (Han et al., 2005), kinds 1 and 2 as in imbalanced-learn. When a class has no
 * sample in danger, imbalanced-learn generates nothing; here it falls back to SMOTE from every
 * sample of the class (with a warning), so class counts always match the strategy.
 */
export function borderlineSmote(ctx: MethodContext<'borderlineSmote'>, optionsType: string): MethodResult {
  requireNumericOnly(ctx, optionsType);
  const { table } = ctx;
  const dims = table.schema.numeric.length;
  const features = distanceFeatures(table, ctx.options.standardize);
  const { kind, m } = ctx.options;
  return growByNeighbors(ctx, (c, name, count, rng, k) => {
    const members = table.members[c]!;
    let bases = dangerRows(features, dims, table.classOf, members, c, m);
    if (bases.length === 0) {
      ctx.warnings.push(
        `class \`${name}\`: no sample is in danger; borderlineSmote fell back to SMOTE from every sample`,
      );
      bases = members;
    }
    const local = localIndices(members, bases);
    const queries = gatherRows(features, dims, bases);
    const sameClass: SmoteSource = {
      bases,
      pool: members,
      neighbors: kNearestNeighbors(gatherRows(features, dims, members), dims, k, { queries, self: local }),
    };
    const params = { kind, m };
    if (kind === 'borderline-1' || table.n === members.length) {
      return smotePoints(ctx, rng, c, sameClass, { count }, 1, params);
    }
    // borderline-2: a Beta(10, 10) share towards same-class neighbours, the rest at most halfway
    // towards the nearest rows of other classes.
    const share = beta(rng, 10, 10);
    const towardsSame = Math.round(share * count);
    const others = Int32Array.from(
      Array.from({ length: table.n }, (_, i) => i).filter((i) => table.classOf[i] !== c),
    );
    const kOther = Math.min(ctx.options.k, others.length);
    const otherClass: SmoteSource = {
      bases,
      pool: others,
      neighbors: kNearestNeighbors(gatherRows(features, dims, others), dims, kOther, { queries }),
    };
    return [
      ...smotePoints(ctx, rng, c, sameClass, { count: towardsSame }, 1, params),
      ...smotePoints(ctx, rng, c, otherClass, { count: count - towardsSame }, 0.5, params),
    ];
  });
}

/** Position of each of `rows` inside `members` (both ascending). */
function localIndices(members: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  let i = 0;
  rows.forEach((row, r) => {
    while (members[i] !== row) i++;
    out[r] = i;
  });
  return out;
}
