import { describe, expect, it } from 'vitest';
import { compileFilter, type FilterColumn, FilterSyntaxError, parseFilter } from '../src/index.ts';

const columns: FilterColumn[] = [
  { name: 'id', sql: '"id"', type: 'text' },
  { name: 'label', sql: '"label"', type: 'text' },
  { name: 'file', sql: '"file"', type: 'text' },
  { name: 'source', sql: '"source"', type: 'text' },
  { name: 'reason', sql: '"reason"', type: 'text' },
  { name: 'width', sql: '"width"', type: 'number' },
  { name: 'petal length', sql: '"f0"', type: 'number' },
];
const compile = (text: string) => compileFilter(parseFilter(text), columns);

describe('filter language', () => {
  it('compiles a comparison to a placeholder with a typed value', () => {
    expect(compile('label = 3')).toEqual({ where: '"label" = ?', params: ['3'] });
    expect(compile('width >= 20')).toEqual({ where: '"width" >= ?', params: [20] });
  });

  it('compiles and, in lists and parentheses in order', () => {
    expect(compile('width >= 20 and label in (1, 7)')).toEqual({
      where: '("width" >= ? AND "label" IN (?, ?))',
      params: [20, '1', '7'],
    });
    expect(compile('not (label = cat or label = dog) and width < 5')).toEqual({
      where: '((NOT ("label" = ? OR "label" = ?)) AND "width" < ?)',
      params: ['cat', 'dog', 5],
    });
  });

  it('takes quoted strings with spaces, and bracketed column names', () => {
    expect(compile('reason = "truncated image"')).toEqual({
      where: '"reason" = ?',
      params: ['truncated image'],
    });
    expect(compile('[petal length] > 1.5')).toEqual({ where: '"f0" > ?', params: [1.5] });
  });

  it('turns plain text into a search over id, label, file, source and reason, with LIKE wildcards escaped', () => {
    const { where, params } = compile('50%_off');
    expect(where.match(/LIKE \?/g)).toHaveLength(5);
    expect(params).toEqual(Array(5).fill('%50\\%\\_off%'));
  });

  it('never puts a value into the SQL text, even one written as SQL', () => {
    const evil = `label = "x' OR 1=1; DROP TABLE rows; --"`;
    const { where, params } = compile(evil);
    expect(where).toBe('"label" = ?');
    expect(params).toEqual(["x' OR 1=1; DROP TABLE rows; --"]);
  });

  it('names the known columns when a column is unknown, and the position of a syntax error', () => {
    expect(() => compile('colour = red')).toThrow(/Unknown column `colour`; columns: id, label/);
    expect(() => compile('label =')).toThrow(FilterSyntaxError);
    expect(() => compile('label in (1, 2')).toThrow(/Expected \)/);
    expect(() => compile('width >= wide')).toThrow(/`width` is a number, got `wide`/);
  });

  it('treats a blank filter as no filter', () => {
    expect(compile('   ')).toEqual({ where: '1', params: [] });
  });

  it('supports is null, not in, and contains', () => {
    expect(compile('reason is not null')).toEqual({ where: '"reason" IS NOT NULL', params: [] });
    expect(compile('label not in (a, b)')).toEqual({ where: '"label" NOT IN (?, ?)', params: ['a', 'b'] });
    expect(compile('source contains example')).toEqual({
      where: `"source" LIKE ? ESCAPE '\\'`,
      params: ['%example%'],
    });
  });
});

describe("the static export's parser", () => {
  it('is filter-syntax.js itself, run as a classic script: the same trees and errors as the server', async () => {
    const { filterSyntaxScript } = await import('../src/internals/export.ts');
    const { runInNewContext } = await import('node:vm');
    const script = await filterSyntaxScript();
    expect(script).not.toMatch(/^\s*(export|import)\b/m);
    const page = runInNewContext(`${script}\n({ parseFilter, FilterSyntaxError })`, {}) as {
      parseFilter: typeof parseFilter;
    };
    for (const q of [
      'label = 3',
      'width >= 20 and label in (1, 7)',
      'reason = "truncated image"',
      'not (a ~ b) or c is not null',
      'cat dog',
    ])
      expect(JSON.stringify(page.parseFilter(q))).toBe(JSON.stringify(parseFilter(q)));
    expect(() => page.parseFilter('label in (1')).toThrow(
      expect.objectContaining({ name: 'FilterSyntaxError' }),
    );
  });
});
