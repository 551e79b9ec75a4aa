import { describe, expect, it } from 'vitest';
import { parseStrategyText } from '../src/index.ts';

describe('parseStrategyText', () => {
  it.each([
    ['auto', 'auto'],
    ['0.5', 0.5],
    ['1', 1],
    ['x2', { factor: 2 }],
    ['X1.5', { factor: 1.5 }],
    ['Adelie=150, Gentoo=150', { counts: { Adelie: 150, Gentoo: 150 } }],
    ['a=b=3', { counts: { 'a=b': 3 } }],
  ])('reads %j', (text, expected) => {
    expect(parseStrategyText(text)).toEqual(expected);
  });

  it.each([
    ['2', /got `2` \(to multiply every class, write `x2`\)/],
    ['x0', /a factor after `x` > 0, got `x0`/],
    ['A=1.5', /integer counts >= 0, got `A=1.5`/],
    ['=3', /got `=3`/],
    ['', /got ``/],
  ])('explains what is wrong with %j', (text, message) => {
    const result = parseStrategyText(text);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toMatch(message);
  });
});
