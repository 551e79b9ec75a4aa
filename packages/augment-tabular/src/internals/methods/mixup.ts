import type { Label } from '@growset/core';
import { beta, spread } from '../random.ts';
import {
  classRng,
  keepAll,
  type MethodContext,
  type MethodResult,
  type SyntheticRow,
  toAdd,
} from './common.ts';

/**
 * mixup (Zhang et al., 2018): `lambda * a + (1 - lambda) * b` on numeric columns, with the soft
 * label `{ class(a): lambda, class(b): 1 - lambda }`. `lambda ~ Beta(alpha, alpha)` is folded to
 * `max(lambda, 1 - lambda)`, so the row `a` it starts from dominates: categorical columns come
 * from `a`, and the hard label is `a`'s class, which keeps class counts exact. Rows `a` are spread
 * evenly over the class; partners `b` are drawn uniformly from the other rows (of the same class
 * with `withinClass`).
 */
export function mixup(ctx: MethodContext<'mixup'>): MethodResult {
  const { table } = ctx;
  const dn = table.schema.numeric.length;
  const { alpha, withinClass } = ctx.options;
  const synthetic: SyntheticRow[] = [];
  table.classes.forEach((name, c) => {
    const count = toAdd(ctx, c);
    if (count === 0) return;
    const rng = classRng(ctx, c);
    const members = table.members[c]!;
    const pool = withinClass ? members.length : table.n;
    if (pool < 2) {
      ctx.warnings.push(`class \`${name}\` has a single sample and no partner to mix with: mixup copied it`);
    }
    const times = spread(rng, count, members.length);
    members.forEach((a, i) => {
      for (let t = 0; t < times[i]!; t++) {
        let b = a;
        if (pool >= 2) {
          // Uniform over the pool without `a`: one of pool - 1 slots, skipping `a`'s own slot.
          const own = withinClass ? i : a;
          const slot = rng.int(0, pool - 2);
          const index = slot >= own ? slot + 1 : slot;
          b = withinClass ? members[index]! : index;
        }
        const drawn = beta(rng, alpha, alpha);
        const lambda = Math.max(drawn, 1 - drawn);
        const numeric = new Float64Array(dn);
        for (let j = 0; j < dn; j++) {
          numeric[j] = lambda * table.numeric[a * dn + j]! + (1 - lambda) * table.numeric[b * dn + j]!;
        }
        const other = table.classes[table.classOf[b]!]!;
        const label: Label = other === name ? { [name]: 1 } : { [name]: lambda, [other]: 1 - lambda };
        synthetic.push({
          cls: c,
          parents: b === a ? [a] : [a, b],
          numeric,
          codes: null,
          label,
          params: { alpha, lambda },
        });
      }
    });
  });
  return { keep: keepAll(table), synthetic };
}
