import { readFile } from 'node:fs/promises';
import { describeValue, formatPath, GrowsetError } from '@growset/core';
import type { z } from 'zod';
import { studyResultsSchema } from './schema.ts';
import type { StudyResults } from './types.ts';

export interface ResultsFileErrorDetails {
  /** The file (or source name) that was read. */
  file: string;
  /** Dotted path of the offending field (`trials[3].test.accuracy`); empty for the whole file. */
  field: string;
  /** What was expected, in words. */
  expected: string;
  /** What the file held there (`undefined` for a missing field or an unreadable file). */
  received: unknown;
}

/**
 * A results file that cannot be used: missing, not JSON, or not a `StudyResults`. The message names
 * the file and the first offending field, what was expected and what was found.
 */
export class ResultsFileError extends GrowsetError {
  readonly file: string;
  readonly field: string;
  readonly expected: string;
  readonly received: unknown;

  constructor(message: string, details: ResultsFileErrorDetails, options: { cause?: unknown } = {}) {
    super(message, { code: 'ERR_RESULTS_FILE', retryable: false, cause: options.cause });
    this.file = details.file;
    this.field = details.field;
    this.expected = details.expected;
    this.received = details.received;
  }
}

/**
 * Reads and validates a `results.json`. Throws a {@link ResultsFileError} naming the file and the
 * first bad field. `null` statistics (how JSON stores NaN) read back as NaN.
 */
export async function readResults(path: string): Promise<StudyResults> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const what =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a folder, not a file'
          : `cannot be read (${code ?? String(error)})`;
    throw new ResultsFileError(
      `Results file ${path}: ${what}`,
      {
        file: path,
        field: '',
        expected: 'a readable results.json',
        received: undefined,
      },
      { cause: error },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const where = jsonErrorLocation(text, error);
    throw new ResultsFileError(
      `Results file ${path} is not valid JSON${where}: ${(error as Error).message}`,
      { file: path, field: '', expected: 'JSON', received: undefined },
      { cause: error },
    );
  }
  return parseResults(value, path);
}

/**
 * Validates a parsed results object; `source` names it in errors (a file path).
 * @returns the results with `null` statistics turned into NaN.
 */
export function parseResults(value: unknown, source = 'results'): StudyResults {
  const parsed = studyResultsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = formatPath(issue.path);
  const received = valueAt(value, issue.path);
  const expected = describeExpected(issue);
  const got =
    received === undefined && issue.code === 'invalid_type' ? 'nothing (missing)' : describeValue(received);
  const hint =
    field === 'schemaVersion' ? ' (this version of growset reads results with schemaVersion 1)' : '';
  throw new ResultsFileError(
    `Invalid results file ${source}: field \`${field || '(root)'}\`: expected ${expected}, got ${got}${hint}`,
    { file: source, field, expected, received },
    { cause: parsed.error },
  );
}

function describeExpected(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return 'an integer';
      return /^[aeiou]/.test(issue.expected) ? `an ${issue.expected}` : `a ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'string'
        ? `at least ${String(issue.minimum)} item(s)`
        : `a number ${issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'string'
        ? `at most ${String(issue.maximum)} item(s)`
        : `a number ${issue.inclusive === false ? '<' : '<='} ${String(issue.maximum)}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'one of the allowed forms';
    default:
      return issue.message || 'a valid value';
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as { [key: PropertyKey]: unknown })[part];
  }
  return current;
}

/** ` at line L, column C` from a JSON.parse error that mentions a position, else ''. */
function jsonErrorLocation(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const line = /line (\d+) column (\d+)/.exec(message);
  if (line) return '';
  const position = /position (\d+)/.exec(message);
  if (!position) return '';
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const lineNo = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return ` at line ${lineNo}, column ${column}`;
}
