import { kMeans } from '../kmeans.ts';
import { gatherRows } from '../table/encode.ts';
import { spaceOf } from './cleaning.ts';
import { classRng, type MethodContext, type MethodResult, type SyntheticRow } from './common.ts';

/**
 * Cluster centroids, as imbalanced-learn's `ClusterCentroids`: a class that must shrink to `t`
 * rows is clustered by k-means into `t` clusters. `'soft'` replaces its rows by the cluster means
 * (synthetic rows whose parents are the cluster's rows, nearest first); `'hard'` keeps, for each
 * centroid in turn, the nearest row not already kept (imbalanced-learn can keep a row twice).
 */
export function clusterCentroids(ctx: MethodContext<'clusterCentroids'>, optionsType: string): MethodResult {
  const space = spaceOf(ctx, optionsType);
  const { features, dims } = space;
  const { table } = ctx;
  const dn = table.schema.numeric.length;
  const keep = new Uint8Array(table.n).fill(1);
  const synthetic: SyntheticRow[] = [];
  table.members.forEach((rows, c) => {
    const target = ctx.targets[c]!;
    if (target >= rows.length) return;
    for (const row of rows) keep[row] = 0;
    if (target === 0) return;
    const points = gatherRows(features, dims, rows);
    const { centroids, assignment } = kMeans(points, dims, target, classRng(ctx, c), ctx.options.maxIter);
    const distance = (p: number, cluster: number) => {
      let s = 0;
      for (let j = 0; j < dims; j++) s += (points[p * dims + j]! - centroids[cluster * dims + j]!) ** 2;
      return s;
    };
    if (ctx.options.voting === 'hard') {
      const taken = new Uint8Array(rows.length);
      for (let cluster = 0; cluster < target; cluster++) {
        let best = -1;
        for (let p = 0; p < rows.length; p++) {
          if (!taken[p] && (best < 0 || distance(p, cluster) < distance(best, cluster))) best = p;
        }
        taken[best] = 1;
        keep[rows[best]!] = 1;
      }
      return;
    }
    for (let cluster = 0; cluster < target; cluster++) {
      const inside = Array.from({ length: rows.length }, (_, p) => p).filter(
        (p) => assignment[p] === cluster,
      );
      inside.sort((a, b) => distance(a, cluster) - distance(b, cluster) || a - b);
      const mean = new Float64Array(dn);
      for (const p of inside) for (let j = 0; j < dn; j++) mean[j]! += table.numeric[rows[p]! * dn + j]!;
      for (let j = 0; j < dn; j++) mean[j]! /= inside.length;
      synthetic.push({
        cls: c,
        parents: inside.map((p) => rows[p]!),
        numeric: mean,
        codes: null,
        params: { cluster, size: inside.length },
      });
    }
  });
  return { keep, synthetic };
}
