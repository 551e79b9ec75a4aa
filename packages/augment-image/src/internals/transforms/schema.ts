import { z } from 'zod';

/** `p`: the probability that a transform applies. */
export function probability(defaultP: number) {
  return z.number().min(0).max(1).default(defaultP);
}

/** A number, or a `[min, max]` pair, each within [lo, hi]. */
export function range(lo: number, hi: number) {
  const value = z.number().min(lo).max(hi);
  return z.union(
    [
      value,
      z.tuple([value, value]).refine(([a, b]) => a <= b, { message: 'a [min, max] pair with min <= max' }),
    ],
    { error: `a number in [${lo}, ${hi}] or a [min, max] pair within it` },
  );
}

/** Like {@link range}, integers only. */
export function intRange(lo: number, hi: number) {
  const value = z.int().min(lo).max(hi);
  return z.union(
    [
      value,
      z.tuple([value, value]).refine(([a, b]) => a <= b, { message: 'a [min, max] pair with min <= max' }),
    ],
    { error: `an integer in [${lo}, ${hi}] or a [min, max] pair within it` },
  );
}

export type RangeValue = number | readonly [number, number];

/** A range option as `[min, max]`: a lone number `v` means `[v, v]`, or `symmetric` means `[-v, v]`. */
export function bounds(value: RangeValue, symmetric = false): [number, number] {
  if (typeof value === 'number') return symmetric ? [-value, value] : [value, value];
  return [value[0], value[1]];
}

export const border = z.enum(['constant', 'reflect', 'replicate']).default('constant');
export const interpolation = z.enum(['nearest', 'bilinear', 'bicubic']).default('bilinear');

/** A fill value in 8-bit units, one for all channels or one per channel. */
export const fill = z
  .union([z.number().min(0).max(255), z.array(z.number().min(0).max(255)).min(1).max(4)], {
    error: 'a number in [0, 255] or an array of 1 to 4 such numbers',
  })
  .default(0);

export function fillArray(value: number | readonly number[]): number[] {
  return typeof value === 'number' ? [value] : [...value];
}

export const size = z.int().min(1).max(65535);
