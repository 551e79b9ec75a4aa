import type { Cell } from '@growset/core';

/**
 * Strings read as a missing value by default: pandas' `na_values` list (empty string, `NA`,
 * `N/A`, `NaN`, `null`, `None`, ...). Matched after trimming, case-sensitively.
 */
export const DEFAULT_NA_VALUES: readonly string[] = [
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
];

/** Whether a cell is missing (`null`, or a number that is not finite). */
export function isMissing(value: Cell | undefined): boolean {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

/** Whether a value can be a table cell. */
export function isCell(value: unknown): value is Cell {
  return (
    value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number'
  );
}

/** A short, readable rendering of a cell for messages: `"abc"`, `12.5`, `null`. */
export function showCell(value: unknown): string {
  if (typeof value === 'string') {
    const text = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(text);
  }
  if (value === undefined) return 'nothing';
  return String(value);
}
