import { describe, expect, it } from 'vitest';
import { Rng } from '../src/index.ts';
import { formatNumber } from '../src/internals/io/csv.ts';

describe('formatNumber (writeCsv)', () => {
  it('writes exactly what String(v) writes, for short decimals, full doubles and edge values', () => {
    const rng = Rng.create('format-number');
    const values = [
      0,
      -0,
      1,
      -1,
      0.1,
      0.5,
      1e-6,
      1e-7,
      5e-324,
      123.000001,
      1e15,
      9e15,
      1e21,
      -1e21,
      2 ** 53,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      0.000001,
      999999.999999,
    ];
    for (let i = 0; i < 20_000; i++) {
      const v = (rng.float() - 0.5) * 10 ** rng.int(-8, 16);
      values.push(v, Math.round(v * 1e6) / 1e6, Math.round(v * 1e3) / 1e3, Math.round(v));
    }
    for (const v of values) expect([v, formatNumber(v)]).toEqual([v, String(v)]);
  });
});
