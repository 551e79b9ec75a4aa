import { classRng, type MethodContext, type MethodResult } from './common.ts';

/** Random under-sampling: keeps `target` rows of each class, drawn uniformly without replacement. */
export function randomUnderSample(ctx: MethodContext<'randomUnderSample'>): MethodResult {
  const { table } = ctx;
  const keep = new Uint8Array(table.n);
  table.members.forEach((members, c) => {
    const target = ctx.targets[c]!;
    if (target >= members.length) {
      for (const row of members) keep[row] = 1;
      return;
    }
    for (const row of classRng(ctx, c).sample(Array.from(members), target)) keep[row] = 1;
  });
  return { keep, synthetic: [] };
}
