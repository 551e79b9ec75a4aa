import { OptionsError } from '@growset/core';
import type { SamplingStrategy } from './options.ts';

/** Whether a method can only add samples, only remove them, or both (bootstrap). */
export type Direction = 'over' | 'under' | 'any';

/**
 * Target count per class for a strategy (see {@link SamplingStrategy}). Throws an
 * {@link OptionsError} naming the class when a target is impossible: a class the data does not
 * have (an empty class), or a count in the wrong direction for the method.
 */
export function targetCounts(
  classes: readonly string[],
  counts: readonly number[],
  strategy: SamplingStrategy,
  direction: Direction,
  optionsType: string,
): number[] {
  const max = Math.max(...counts);
  const min = Math.min(...counts);
  const fail = (field: string, expected: string, received: unknown) => {
    throw new OptionsError({ optionsType, field, expected, received });
  };
  if (strategy === 'auto') return counts.map(() => (direction === 'under' ? min : max));
  if (typeof strategy === 'number') {
    if (direction === 'under') return counts.map((n) => Math.min(n, Math.floor(min / strategy)));
    return counts.map((n) => Math.max(n, Math.floor(strategy * max)));
  }
  if ('factor' in strategy) {
    const f = strategy.factor;
    if (direction === 'over' && f < 1)
      fail('strategy.factor', 'a factor >= 1 for an over-sampling method', f);
    if (direction === 'under' && f > 1) fail('strategy.factor', 'a factor <= 1 for under-sampling', f);
    return counts.map((n) => Math.round(f * n));
  }
  const targets = [...counts];
  for (const [name, target] of Object.entries(strategy.counts)) {
    const c = classes.indexOf(name);
    if (c < 0) {
      fail(
        `strategy.counts.${name}`,
        `a class with samples (classes: ${classes.map((x) => JSON.stringify(x)).join(', ')})`,
        target,
      );
    }
    const have = counts[c]!;
    if (direction === 'over' && target < have) {
      fail(
        `strategy.counts.${name}`,
        `a count >= ${have} (class \`${name}\` has ${have}; over-sampling only adds)`,
        target,
      );
    }
    if (direction === 'under' && target > have) {
      fail(
        `strategy.counts.${name}`,
        `a count <= ${have} (class \`${name}\` has ${have}; under-sampling only removes)`,
        target,
      );
    }
    targets[c] = target;
  }
  return targets;
}
