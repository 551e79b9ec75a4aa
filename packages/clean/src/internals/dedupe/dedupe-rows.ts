import { hardLabel, parseOptions, type TabularSample } from '@growset/core';
import type { CleaningStage } from '@growset/tables';
import { z } from 'zod';
import { rowHash } from './content-hash.ts';
import { type DedupeReport, duplicateOutcome, GroupCollector } from './groups.ts';

const optionsSchema = z.strictObject({
  columns: z.array(z.string().min(1)).min(1).optional(),
  conflicts: z.enum(['quarantine', 'keep', 'filter']).default('quarantine'),
  maxGroups: z.int().min(0).default(1000),
  name: z.string().min(1).default('dedupe-rows'),
});

/** Options of {@link dedupeRows}. */
export interface DedupeRowsOptions {
  /** Columns that define a duplicate. @default every column */
  columns?: string[];
  /**
   * A copy whose label differs from the kept row's: `quarantine` it (reason `conflicting
   * duplicate label`), `keep` it (both pass, flagged in the report) or `filter` it. @default 'quarantine'
   */
  conflicts?: 'quarantine' | 'keep' | 'filter';
  /** Duplicate groups kept in the report. @default 1000 */
  maxGroups?: number;
  /** Stage name. @default 'dedupe-rows' */
  name?: string;
}

/**
 * A stage dropping exact duplicate rows: the first row with given values is kept; later copies are
 * filtered as `duplicate` naming the kept id. A copy with a different label is a label conflict
 * (see `conflicts`); every group is in the report. Memory: one hash per distinct row.
 */
export function dedupeRows(
  options: DedupeRowsOptions = {},
): CleaningStage<TabularSample, TabularSample, DedupeReport> {
  const opts = parseOptions(optionsSchema, options, 'DedupeRowsOptions');
  let report = emptyReport(opts.name, opts.conflicts);
  return {
    name: opts.name,
    report: () => report,
    async *run(input, ctx) {
      report = emptyReport(opts.name, opts.conflicts);
      const groups = new GroupCollector(opts.maxGroups);
      const seen = new Map<string, { id: string; label: string | null }>();
      for await (const sample of input) {
        report.checked += 1;
        const hash = rowHash(sample.payload.values, opts.columns);
        const label = hardLabel(sample.label) ?? null;
        const kept = seen.get(hash);
        if (kept === undefined) {
          seen.set(hash, { id: sample.id, label });
          yield sample;
          continue;
        }
        const conflict = kept.label !== label;
        report.exact += 1;
        if (conflict) report.conflictingLabels += 1;
        groups.add(kept, { id: sample.id, label, match: 'exact', distance: 0, conflict });
        const outcome = duplicateOutcome(conflict, opts.conflicts);
        const detail = conflict
          ? `same values as ${kept.id}, labelled ${JSON.stringify(kept.label)} there and ${JSON.stringify(label)} here`
          : `same values as ${kept.id}`;
        if (outcome === 'keep') yield sample;
        else if (outcome === 'quarantine') ctx.quarantine(sample, 'conflicting duplicate label', { detail });
        else ctx.filter(sample, conflict ? 'conflicting duplicate label' : 'duplicate', detail);
      }
      report.groups = groups.list();
      report.groupsTruncated = groups.truncated;
    },
  };
}

function emptyReport(stage: string, conflicts: DedupeReport['conflicts']): DedupeReport {
  return {
    kind: 'dedupe-rows',
    stage,
    checked: 0,
    exact: 0,
    near: 0,
    conflictingLabels: 0,
    conflicts,
    groups: [],
    groupsTruncated: false,
  };
}
