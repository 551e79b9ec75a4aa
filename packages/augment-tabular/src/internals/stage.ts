import { hardLabel, isTabular, parseOptions, type Stage, type TabularSample } from '@growset/core';
import { z } from 'zod';
import { type ParsedOptions, parseResampleOptions, type ResampleOptions } from './options.ts';
import { entryOf } from './registry.ts';
import { needsValues, type ResampleReport, resampleParsed } from './resample.ts';
import { checkRow, problemSource } from './table/check.ts';
import { featureColumns } from './table/schema.ts';

export type AugmentTableOptions = ResampleOptions & {
  /** Receives the report (class counts before and after, warnings) when the stage finishes. */
  onReport?: (report: ResampleReport) => void;
  /** Stage name. @default 'augment-table' */
  name?: string;
};

const stageOnly = z.object({
  onReport: z.custom<(report: ResampleReport) => void>((v) => typeof v === 'function').optional(),
  name: z.string().min(1).optional(),
});

/**
 * A pipeline stage that resamples the table flowing through it (see `resample`). Resampling needs
 * every row (class counts, neighbours), so the stage buffers its whole input before emitting.
 * Rows it cannot use go to quarantine with the column and row: no label, or a missing or
 * non-numeric value in a numeric column when the method computes with values. Originals left
 * out are filtered with a reason; synthetic rows are counted as created.
 */
export function augmentTable(options: AugmentTableOptions): Stage<TabularSample, TabularSample> {
  const { onReport, name, ...rest } = options;
  const extra = parseOptions(stageOnly, { onReport, name }, 'AugmentTableOptions');
  const parsed: ParsedOptions = parseResampleOptions(rest, 'AugmentTableOptions');
  return {
    name: extra.name ?? 'augment-table',
    async *run(input, ctx) {
      const rows: TabularSample[] = [];
      for await (const sample of input) {
        if (!isTabular(sample.payload)) {
          ctx.quarantine(sample, 'not tabular', { detail: `sample \`${sample.id}\` has no tabular payload` });
          continue;
        }
        rows.push(sample);
      }
      ctx.progress({ message: `resampling ${rows.length} rows with ${parsed.method}` });
      const schema = featureColumns(rows, parsed, 'AugmentTableOptions');
      const needs = needsValues(parsed);
      const regression = entryOf(parsed.method).kind === 'regression';
      const usable: TabularSample[] = [];
      for (const sample of rows) {
        const problem = checkRow(sample, schema, needs);
        const target = hardLabel(sample.label);
        if (
          !problem &&
          regression &&
          target !== undefined &&
          !Number.isFinite(Number(target.trim() || 'x'))
        ) {
          ctx.quarantine(sample, 'non-numeric target', {
            detail: `${parsed.method} needs a numeric target; the label is \`${target}\``,
            ...(sample.source ? { source: sample.source } : {}),
          });
          continue;
        }
        if (!problem) {
          usable.push(sample);
          continue;
        }
        const source = problemSource(sample, problem);
        ctx.quarantine(sample, problem.reason, { detail: problem.detail, ...(source ? { source } : {}) });
      }
      const result = resampleParsed(usable, parsed, ctx.rng.fork('resample'));
      const reason = entryOf(parsed.method).removedReason ?? 'removed';
      for (const sample of result.removed) ctx.filter(sample, reason);
      ctx.created(result.report.created);
      for (const warning of result.report.warnings) ctx.logger.warn(`${ctx.stage}: ${warning}`);
      extra.onReport?.(result.report);
      ctx.progress({ message: `${result.report.created} rows created, ${result.report.removed} removed` });
      yield* result.samples;
    },
  };
}
