import { kNearestNeighbors } from '@growset/tables';
import { gatherRows } from '../table/encode.ts';
import { minorityOf, spaceOf } from './cleaning.ts';
import type { MethodContext, MethodResult } from './common.ts';

/**
 * NearMiss 1, 2 and 3 (Mani and Zhang, 2003), as imbalanced-learn's `NearMiss`: every class that
 * must shrink keeps the rows whose summed Euclidean distance to minority rows is smallest
 * (versions 1 and 2) or largest (version 3); ties keep the lower row (a stable sort).
 */
export function nearMiss(ctx: MethodContext<'nearMiss'>, optionsType: string): MethodResult {
  const space = spaceOf(ctx, optionsType);
  const { features, dims } = space;
  const { table } = ctx;
  const { version, k, kVersion3 } = ctx.options;
  const minority = minorityOf(table.members.map((m) => m.length));
  const minorityRows = table.members[minority]!;
  const minorityPoints = gatherRows(features, dims, minorityRows);
  const kk = Math.min(k, minorityRows.length);
  if (kk < k) ctx.warnings.push(`the minority class has ${minorityRows.length} rows: nearMiss used k=${kk}`);
  const keep = new Uint8Array(table.n).fill(1);

  /** Sum of the last `kk` of the `width` nearest minority distances of each row. */
  const sums = (rows: Int32Array, width: number): Float64Array => {
    const around = kNearestNeighbors(minorityPoints, dims, width, {
      queries: gatherRows(features, dims, rows),
    });
    const out = new Float64Array(rows.length);
    for (let q = 0; q < rows.length; q++) {
      let s = 0;
      for (let j = width - kk; j < width; j++) s += Math.sqrt(around.distances[q * width + j]!);
      out[q] = s;
    }
    return out;
  };

  table.members.forEach((rows, c) => {
    const target = ctx.targets[c]!;
    if (target >= rows.length) return;
    let candidates = rows;
    if (version === 3) {
      const k3 = Math.min(kVersion3, rows.length);
      const around = kNearestNeighbors(gatherRows(features, dims, rows), dims, k3, {
        queries: minorityPoints,
      });
      candidates = Int32Array.from(new Set(around.indices))
        .sort()
        .map((p) => rows[p]!);
    }
    const score = sums(candidates, version === 2 ? minorityRows.length : kk);
    const order = Array.from({ length: candidates.length }, (_, p) => p).sort((a, b) =>
      version === 3 ? score[b]! - score[a]! : score[a]! - score[b]!,
    );
    if (order.length < target) {
      ctx.warnings.push(
        `class \`${table.classes[c]}\`: nearMiss-3 found ${order.length} candidate rows for a target of ${target}; kept them all`,
      );
    }
    for (const row of rows) keep[row] = 0;
    for (const p of order.slice(0, target)) keep[candidates[p]!] = 1;
  });
  return { keep, synthetic: [] };
}
