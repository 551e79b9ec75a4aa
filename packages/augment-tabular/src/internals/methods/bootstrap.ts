import { OptionsError, type Rng } from '@growset/core';
import { classRng, type MethodContext, type MethodResult, type SyntheticRow } from './common.ts';

/**
 * The bootstrap: rows drawn with replacement, per class (`stratify`, the default: class counts
 * are exactly the targets) or from the whole table. A row drawn once is kept as is; each further
 * draw is a copy whose lineage names the row; a row never drawn is removed.
 */
export function bootstrap(ctx: MethodContext<'bootstrap'>, optionsType: string): MethodResult {
  const { table } = ctx;
  const draws = new Int32Array(table.n);
  if (ctx.options.stratify) {
    table.members.forEach((members, c) => {
      const rng = classRng(ctx, c);
      for (let s = 0; s < ctx.targets[c]!; s++) draws[members[rng.int(0, members.length - 1)]!]! += 1;
    });
  } else {
    const strategy = ctx.options.strategy;
    if (strategy === undefined || typeof strategy !== 'object' || !('factor' in strategy)) {
      throw new OptionsError({
        optionsType,
        field: 'strategy',
        expected: '{ factor: f } when stratify is false (class counts then follow the draw)',
        received: strategy,
      });
    }
    const rng: Rng = ctx.rng.fork('all');
    const total = Math.round(strategy.factor * table.n);
    for (let s = 0; s < total; s++) draws[rng.int(0, table.n - 1)]! += 1;
  }
  const keep = new Uint8Array(table.n);
  const synthetic: SyntheticRow[] = [];
  for (let row = 0; row < table.n; row++) {
    const times = draws[row]!;
    if (times > 0) keep[row] = 1;
    for (let draw = 2; draw <= times; draw++) {
      synthetic.push({
        cls: table.classOf[row]!,
        parents: [row],
        numeric: null,
        codes: null,
        params: { draw },
      });
    }
  }
  return { keep, synthetic };
}
