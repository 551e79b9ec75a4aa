import { parseOptions, type TabularSample } from '@growset/core';
import { bump, type CleaningReport, type CleaningStage, isMissing } from '@growset/tables';
import { z } from 'zod';

const optionsSchema = z.strictObject({
  columns: z.array(z.string().min(1)).min(1).optional(),
  how: z.enum(['any', 'all']).default('any'),
  name: z.string().min(1).default('drop-missing'),
});

/** Options of {@link dropMissing}. */
export interface DropMissingOptions {
  /** Columns to look at. @default every column of each row */
  columns?: string[];
  /** Drop a row when `any` of those cells is missing, or only when `all` are. @default 'any' */
  how?: 'any' | 'all';
  /** Stage name. @default 'drop-missing' */
  name?: string;
}

/** Missing cells seen and rows dropped by {@link dropMissing}. */
export interface DropMissingReport extends CleaningReport {
  kind: 'drop-missing';
  rows: number;
  dropped: number;
  /** Missing cells per column among the rows that came in. */
  missing: { [column: string]: number };
  /** Rows dropped because of each column. */
  droppedBy: { [column: string]: number };
}

/**
 * A stage dropping rows with missing cells (pandas' `dropna`): each is filtered as
 * `missing value`, naming the columns. Counts per column go to the report.
 */
export function dropMissing(
  options: DropMissingOptions = {},
): CleaningStage<TabularSample, TabularSample, DropMissingReport> {
  const opts = parseOptions(optionsSchema, options, 'DropMissingOptions');
  let report = emptyReport(opts.name);
  return {
    name: opts.name,
    report: () => report,
    async *run(input, ctx) {
      report = emptyReport(opts.name);
      for await (const sample of input) {
        report.rows += 1;
        const values = sample.payload.values;
        for (const column in values) if (isMissing(values[column])) bump(report.missing, column);
        const columns = opts.columns ?? Object.keys(values);
        const gaps = columns.filter((c) => isMissing(values[c]));
        const drop =
          opts.how === 'any' ? gaps.length > 0 : gaps.length === columns.length && columns.length > 0;
        if (drop) {
          report.dropped += 1;
          for (const column of gaps) bump(report.droppedBy, column);
          ctx.filter(sample, 'missing value', `missing: ${gaps.join(', ')}`);
          continue;
        }
        yield sample;
      }
    },
  };
}

function emptyReport(stage: string): DropMissingReport {
  return { kind: 'drop-missing', stage, rows: 0, dropped: 0, missing: {}, droppedBy: {} };
}
