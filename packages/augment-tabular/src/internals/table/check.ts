import { type Cell, hardLabel, type Sample, type SourceRef, type TabularSample } from '@growset/core';
import { isMissing, numericValue, type TableSchema } from './schema.ts';

/** Why a row cannot be resampled, and where. */
export interface RowProblem {
  /** Short category: `missing label`, `missing value`, `non-numeric value`, `not tabular`. */
  reason: string;
  detail: string;
  column?: string;
}

/**
 * The first problem of a row, or `undefined`. `needsValues`: the method computes with numeric
 * values (interpolation, noise), so they must all be present and numeric.
 */
export function checkRow(
  sample: TabularSample,
  schema: TableSchema,
  needsValues: boolean,
): RowProblem | undefined {
  const label = hardLabel(sample.label);
  if (label === undefined || label === '') {
    return { reason: 'missing label', detail: `sample \`${sample.id}\`${where(sample)} has no class label` };
  }
  if (!needsValues) return undefined;
  for (const column of schema.numeric) {
    const cell: Cell | undefined = sample.payload.values[column];
    if (isMissing(cell)) {
      return {
        reason: 'missing value',
        column,
        detail: `numeric column \`${column}\` is empty in sample \`${sample.id}\`${where(sample)}; impute or drop such rows first`,
      };
    }
    if (numericValue(cell) === undefined) {
      return {
        reason: typeof cell === 'number' ? 'non-finite value' : 'non-numeric value',
        column,
        detail: `numeric column \`${column}\` holds ${JSON.stringify(typeof cell === 'number' ? String(cell) : cell)} in sample \`${sample.id}\`${where(sample)}`,
      };
    }
  }
  return undefined;
}

/** The source of a problem row, with the column added. */
export function problemSource(sample: Sample<unknown>, problem: RowProblem): SourceRef | undefined {
  if (problem.column === undefined) return sample.source;
  return { ...sample.source, column: problem.column };
}

function where(sample: Sample<unknown>): string {
  const s = sample.source;
  if (!s) return '';
  const parts: string[] = [];
  if (s.file) parts.push(s.file);
  if (s.row !== undefined) parts.push(`row ${s.row}`);
  else if (s.line !== undefined) parts.push(`line ${s.line}`);
  return parts.length > 0 ? ` (${parts.join(' ')})` : '';
}
