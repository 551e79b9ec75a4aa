import { kNearestNeighbors } from '@growset/tables';
import { kMeans } from '../kmeans.ts';
import { apportion } from '../random.ts';
import { distanceFeatures, gatherRows } from '../table/encode.ts';
import {
  growByNeighbors,
  type MethodContext,
  type MethodResult,
  requireNumericOnly,
  toAdd,
} from './common.ts';
import { smotePoints, withinClassSource } from './smote.ts';

/**
 * KMeans-SMOTE (Douzas, Bacao and Last, 2018), as imbalanced-learn's `KMeansSMOTE`: k-means on
 * all rows; clusters where the class is at least `balanceThreshold` of the rows (and has more than
 * `k` rows) get points in proportion to their sparsity (mean distance between the class's rows to
 * the power `densityExponent`, over their count), made by SMOTE inside the cluster. Shares are
 * apportioned to add up exactly (imbalanced-learn rounds each up). With no such cluster, it falls
 * back to SMOTE over the whole class, with a warning (imbalanced-learn raises).
 */
export function kmeansSmote(ctx: MethodContext<'kmeansSmote'>, optionsType: string): MethodResult {
  requireNumericOnly(ctx, optionsType);
  const { table } = ctx;
  const dims = table.schema.numeric.length;
  const features = distanceFeatures(table, ctx.options.standardize);
  const clusters = Math.min(ctx.options.clusters, table.n);
  const { assignment } = kMeans(features, dims, clusters, ctx.rng.fork('kmeans'), 300);
  let totalToAdd = 0;
  table.classes.forEach((_, c) => {
    totalToAdd += toAdd(ctx, c);
  });
  return growByNeighbors(ctx, (c, name, count, rng, k) => {
    const threshold =
      ctx.options.balanceThreshold === 'auto' ? count / totalToAdd / 2 : ctx.options.balanceThreshold;
    const valid: Int32Array[] = [];
    const sparsity: number[] = [];
    for (let q = 0; q < clusters; q++) {
      let size = 0;
      const inClass: number[] = [];
      for (let i = 0; i < table.n; i++) {
        if (assignment[i] !== q) continue;
        size += 1;
        if (table.classOf[i] === c) inClass.push(i);
      }
      if (size === 0 || inClass.length / size < threshold || inClass.length <= k) continue;
      const rows = Int32Array.from(inClass);
      valid.push(rows);
      sparsity.push(clusterSparsity(features, dims, rows, ctx.options.densityExponent));
    }
    if (valid.length === 0) {
      ctx.warnings.push(
        `class \`${name}\`: no cluster holds enough of its rows; kmeansSmote fell back to SMOTE over the class`,
      );
      return smotePoints(ctx, rng, c, withinClassSource(ctx, features, c, k), { count });
    }
    const shares = apportion(count, Float64Array.from(sparsity));
    return valid.flatMap((rows, v) =>
      shares[v]! === 0
        ? []
        : smotePoints(
            ctx,
            rng,
            c,
            {
              bases: rows,
              pool: rows,
              neighbors: kNearestNeighbors(gatherRows(features, dims, rows), dims, k),
            },
            { count: shares[v]! },
            1,
            { clusters },
          ),
    );
  });
}

/** imbalanced-learn's cluster sparsity: mean pairwise Euclidean distance ^ exponent / rows. */
function clusterSparsity(
  features: Float64Array,
  dims: number,
  rows: Int32Array,
  exponent: number | 'auto',
): number {
  const n = rows.length;
  let sum = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      let s = 0;
      for (let j = 0; j < dims; j++)
        s += (features[rows[a]! * dims + j]! - features[rows[b]! * dims + j]!) ** 2;
      sum += 2 * Math.sqrt(s);
    }
  }
  const mean = sum / (n * n - n);
  const e = exponent === 'auto' ? (Math.log(n) / Math.log(1.6)) ** 1.8 * 0.16 : exponent;
  return mean ** e / n;
}
