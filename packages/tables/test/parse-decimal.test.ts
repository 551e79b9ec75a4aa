import { Rng } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../src/index.ts';

describe('parseDecimal', () => {
  it('reads exactly what Number reads, decimals of every length and the texts it hands over', () => {
    const rng = Rng.create('parse-decimal');
    const texts = ['0', '-0', '+1', '1.', '.5', '-.5', '.', '-', '', ' 1', '1e3', '0x10', 'Infinity', 'NaN'];
    texts.push(
      '007',
      '1.2.3',
      '123456789012345',
      '1234567890123456',
      '0.000000000000001',
      '9007199254740993',
    );
    for (let i = 0; i < 20_000; i++) {
      const v = (rng.float() - 0.5) * 10 ** rng.int(-6, 12);
      texts.push(String(v), v.toFixed(rng.int(0, 15)), String(Math.round(v * 1e6) / 1e6));
    }
    for (const text of texts) expect([text, parseDecimal(text)]).toEqual([text, Number(text)]);
  });
});
