import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeValue, mapStage, OptionsError, parseOptions, writeImageFolder } from '../src/index.ts';

const schema = z.strictObject({
  copies: z.int().min(1).default(1),
  mode: z.enum(['fast', 'exact']).default('fast'),
  nested: z.strictObject({ limit: z.number().max(90) }).optional(),
  names: z.array(z.string()).optional(),
});

describe('parseOptions', () => {
  it('returns parsed options with defaults', () => {
    expect(parseOptions(schema, {}, 'DemoOptions')).toEqual({ copies: 1, mode: 'fast' });
  });

  it('names the field, what was expected and what was given', () => {
    const error = (() => {
      try {
        parseOptions(schema, { copies: 0 }, 'DemoOptions');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(OptionsError);
    const e = error as OptionsError;
    expect(e.field).toBe('copies');
    expect(e.optionsType).toBe('DemoOptions');
    expect(e.received).toBe(0);
    expect(e.message).toBe(
      'Invalid option `copies` in DemoOptions: expected a number >= 1, got `0` (number)',
    );
    expect(e.retryable).toBe(false);
    expect(e.code).toBe('ERR_OPTIONS');
  });

  it('reports wrong types, enums and nested paths', () => {
    expect(() => parseOptions(schema, { copies: 'two' }, 'DemoOptions')).toThrow(
      'Invalid option `copies` in DemoOptions: expected a number, got `"two"` (string)',
    );
    expect(() => parseOptions(schema, { mode: 'slow' }, 'DemoOptions')).toThrow(
      'Invalid option `mode` in DemoOptions: expected one of "fast", "exact", got `"slow"` (string)',
    );
    expect(() => parseOptions(schema, { nested: { limit: 120 } }, 'DemoOptions')).toThrow(
      'Invalid option `nested.limit` in DemoOptions: expected a number <= 90, got `120` (number)',
    );
    expect(() => parseOptions(schema, { names: ['a', 3] }, 'DemoOptions')).toThrow(
      /`names\[1\]`.*expected a string/,
    );
  });

  it('suggests the closest known option for a misspelt key', () => {
    expect(() => parseOptions(schema, { copeis: 3 }, 'DemoOptions')).toThrow(
      'Invalid option `copeis` in DemoOptions: expected no unknown option (did you mean `copies`?), got `3` (number)',
    );
    expect(() => parseOptions(schema, { zzzzzz: 3 }, 'DemoOptions')).toThrow(
      /one of the known options `copies`/,
    );
  });

  it('is what public factories use, so a bad option fails at construction', () => {
    expect(() => mapStage('x', (s) => s, { concurrency: 0 })).toThrow(
      'Invalid option `concurrency` in MapStageOptions: expected a number >= 1, got `0` (number)',
    );
    expect(() => writeImageFolder('/tmp/x', { manifest: 3 as unknown as boolean })).toThrow(
      /option `manifest` in WriteImageFolderOptions/,
    );
  });

  it('describes values briefly', () => {
    expect(describeValue(-1)).toBe('`-1` (number)');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue([1, 2])).toBe('`[1,2]` (array)');
    expect(describeValue('x'.repeat(200))).toMatch(/\.\.\.` \(string\)$/);
  });
});
