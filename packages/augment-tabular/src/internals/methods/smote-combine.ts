import { columnMoments, distanceFeatures } from '../table/encode.ts';
import { ennKeep, type Space, targetedClasses, tomekKeep } from './cleaning.ts';
import type { MethodContext, MethodResult } from './common.ts';
import { smote } from './smote.ts';

/**
 * SMOTE, then a cleaning pass over the originals and the new rows together (imbalanced-learn's
 * `SMOTEENN` and `SMOTETomek`, which clean every class by default). Originals the pass removes
 * are left out (filtered); new rows it removes are never emitted.
 */
function smoteThenClean(
  ctx: MethodContext<'smoteEnn' | 'smoteTomek'>,
  optionsType: string,
  clean: (space: Space, rows: Int32Array, targeted: readonly boolean[]) => Uint8Array,
): MethodResult {
  const grown = smote(ctx as unknown as MethodContext<'smote'>, optionsType);
  const { table } = ctx;
  const dims = table.schema.numeric.length;
  const n = table.n;
  const total = n + grown.synthetic.length;
  const features = new Float64Array(total * dims);
  features.set(distanceFeatures(table, ctx.options.standardize));
  const { mean, std } = columnMoments(table);
  grown.synthetic.forEach((row, s) => {
    for (let j = 0; j < dims; j++) {
      const x = row.numeric ? row.numeric[j]! : table.numeric[row.parents[0]! * dims + j]!;
      features[(n + s) * dims + j] = ctx.options.standardize
        ? (x - mean[j]!) / (std[j]! > 0 ? std[j]! : 1)
        : x;
    }
  });
  const classOf = new Int32Array(total);
  classOf.set(table.classOf);
  grown.synthetic.forEach((row, s) => {
    classOf[n + s] = row.cls;
  });
  const space: Space = { features, dims, classOf, classes: table.classes.length };
  const rows = Int32Array.from({ length: total }, (_, i) => i);
  const counts = new Int32Array(space.classes);
  for (const c of classOf) counts[c]! += 1;
  const targeted = targetedClasses(table, ctx.options.classes, counts, optionsType);
  const keep = clean(space, rows, targeted);
  return {
    keep: keep.slice(0, n),
    synthetic: grown.synthetic.filter((_, s) => keep[n + s] === 1),
    ...(grown.neighbors ? { neighbors: grown.neighbors } : {}),
  };
}

/** SMOTE-ENN (Batista, Prati and Monard, 2004). */
export function smoteEnn(ctx: MethodContext<'smoteEnn'>, optionsType: string): MethodResult {
  return smoteThenClean(ctx, optionsType, (space, rows, targeted) =>
    ennKeep(space, rows, targeted, ctx.options.ennK, ctx.options.kindSel),
  );
}

/** SMOTE-Tomek (Batista, Bazzan and Monard, 2003). */
export function smoteTomek(ctx: MethodContext<'smoteTomek'>, optionsType: string): MethodResult {
  return smoteThenClean(ctx, optionsType, tomekKeep);
}
