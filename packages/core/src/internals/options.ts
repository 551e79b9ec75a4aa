import type { z } from 'zod';
import { OptionsError } from './errors.ts';

/**
 * Validates `input` against `schema` and returns the parsed (defaulted, coerced) options.
 * A failure throws an {@link OptionsError} naming the first offending field, what was expected
 * and what was given. Every public factory calls this at construction time.
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  optionsType: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw optionsErrorFromZod(result.error, input, optionsType, schema);
}

/**
 * Converts the first issue of a ZodError into an {@link OptionsError}. With the schema, a
 * misspelt key gets a "did you mean" suggestion.
 */
export function optionsErrorFromZod(
  error: z.ZodError,
  input: unknown,
  optionsType: string,
  schema?: z.ZodType,
): OptionsError {
  const issue = error.issues[0];
  if (!issue) {
    return new OptionsError({ optionsType, field: '', expected: 'valid options', received: input });
  }
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const path = [...issue.path, key];
    const known = schema ? objectKeysAt(schema, issue.path) : [];
    const suggestion = closest(key, known);
    return new OptionsError(
      {
        optionsType,
        field: formatPath(path),
        expected: suggestion
          ? `no unknown option (did you mean \`${suggestion}\`?)`
          : known.length > 0
            ? `one of the known options ${known.map((k) => `\`${k}\``).join(', ')}`
            : 'no unknown option',
        received: valueAt(input, path),
      },
      { cause: error },
    );
  }
  return new OptionsError(
    {
      optionsType,
      field: formatPath(issue.path),
      expected: describeExpected(issue),
      received: valueAt(input, issue.path),
    },
    { cause: error },
  );
}

/** Keys of the object schema found by following `path` (through optional, default, arrays). */
function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: unknown = schema;
  const unwrap = (s: unknown): unknown => {
    for (let i = 0; i < 10; i++) {
      const def = (s as { _zod?: { def?: { innerType?: unknown; in?: unknown } } })._zod?.def;
      if (def?.innerType) s = def.innerType;
      else if (def?.in) s = def.in;
      else break;
    }
    return s;
  };
  for (const part of path) {
    current = unwrap(current);
    const def = (current as { _zod?: { def?: { shape?: Record<string, unknown>; element?: unknown } } })._zod
      ?.def;
    if (typeof part === 'number' && def?.element) current = def.element;
    else if (def?.shape && typeof part === 'string') current = def.shape[part];
    else return [];
  }
  current = unwrap(current);
  const shape = (current as { _zod?: { def?: { shape?: Record<string, unknown> } } })._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

type Issue = z.core.$ZodIssue;

function describeExpected(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return article(issue.expected);
    case 'too_small': {
      const op = issue.inclusive === false ? '>' : '>=';
      if (issue.origin === 'string') return `a string of length ${op} ${String(issue.minimum)}`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `at least ${String(issue.minimum)} item(s)`;
      return `a number ${op} ${String(issue.minimum)}`;
    }
    case 'too_big': {
      const op = issue.inclusive === false ? '<' : '<=';
      if (issue.origin === 'string') return `a string of length ${op} ${String(issue.maximum)}`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `at most ${String(issue.maximum)} item(s)`;
      return `a number ${op} ${String(issue.maximum)}`;
    }
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return `a string in ${issue.format} format`;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return issue.message && !issue.message.startsWith('Invalid input')
        ? issue.message
        : 'one of the allowed forms';
    default:
      return issue.message || 'a valid value';
  }
}

function article(type: string): string {
  if (type === 'int') return 'an integer';
  if (type === 'array' || type === 'object') return `an ${type}`;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** `['transforms', 2, 'limit']` -> `transforms[2].limit`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as { [key: PropertyKey]: unknown })[part];
  }
  return current;
}

/**
 * The candidate nearest to a misspelt `word` by edit distance (case-insensitive), when it is
 * close enough to suggest (at most max(2, a third of the word's length) edits): the "did you
 * mean" of option keys and registered names.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length]!;
}
