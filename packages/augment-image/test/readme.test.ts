import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../src/index.ts';

describe('the README catalogue', () => {
  it('has one row for every registered transform, and none for a transform that does not exist', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Transforms'), readme.indexOf('## How a recipe runs'));
    const rows = [...section.matchAll(/^\| `([A-Za-z]+)` +\|/gm)].map((m) => m[1]!);
    expect(rows.slice().sort()).toEqual(defaultRegistry().types.sort());
    expect(new Set(rows).size).toBe(rows.length);
  });
});
