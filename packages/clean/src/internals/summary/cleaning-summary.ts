import { formatRunSummary, formatTable, type JsonObject, type RunSummary } from '@growset/core';
import type { CsvDialect, CsvReport, ValidateReport } from '@growset/tables';
import { type CleaningReport, hasReport } from '@growset/tables';
import type { DedupeReport, DuplicateGroup } from '../dedupe/groups.ts';
import type { ImagesReport } from '../images/check-images.ts';
import type { LabelsReport } from '../labels/normalize-labels.ts';
import type { RareClassesReport } from '../labels/rare-classes.ts';
import type { SuspiciousLabelsReport } from '../labels/suspicious-labels.ts';
import type { DropMissingReport } from '../missing/drop-missing.ts';
import type { ImputeReport } from '../missing/imputer.ts';
import type { OutliersReport } from '../outliers/outliers.ts';
import type { RowsReport } from '../rows/from-rows.ts';

/** Counts of one stage, from the run summary. */
export interface CleaningStageCounts {
  stage: string;
  in: number;
  out: number;
  created: number;
  filtered: number;
  quarantined: number;
  filteredBy: { [reason: string]: number };
  quarantinedBy: { [reason: string]: number };
  timeMs: number;
}

/** Health of one column across the cleaning stages. */
export interface ColumnHealth {
  /** Missing cells as read. */
  missing: number;
  /** `missing / rows read`, 0..1. */
  missingRate: number;
  /** Cells filled by imputation. */
  imputed: number;
  /** Rows rejected by validation because of this column (invalid or missing when required). */
  invalid: number;
  /** Outlying values found. */
  outliers: number;
}

/**
 * The cleaning summary: one JSON object for reports. Every count comes from the run (which adds
 * up: `totals.in + totals.created = totals.out + totals.filtered + totals.quarantined`) or from
 * the stage reports, which are included whole under `reports`.
 */
export interface CleaningSummary {
  version: 1;
  run: string;
  seed: string;
  ok: boolean;
  wallTimeMs: number;
  totals: { in: number; out: number; filtered: number; quarantined: number; created: number };
  /** Per-stage counts, source first. */
  stages: CleaningStageCounts[];
  /** Every drop reason with its stage, most frequent first. */
  reasons: { stage: string; outcome: 'filtered' | 'quarantined'; reason: string; count: number }[];
  /** Rows read by the source (0 for image runs). */
  rows: number;
  /** Per column: missing rate, imputed cells, validation failures, outliers. */
  columns: { [column: string]: ColumnHealth };
  duplicates: {
    exact: number;
    near: number;
    conflictingLabels: number;
    /** Kept sample -> its copies (first groups of every dedupe stage). */
    groups: DuplicateGroup[];
  };
  /** Image checks: formats and conversions, or `null` without a `checkImages` stage. */
  images: {
    checked: number;
    passed: number;
    formats: { [format: string]: number };
    converted: { [change: string]: number };
  } | null;
  labels: {
    /** Samples per class at the last stage that counted classes. */
    classes: { [label: string]: number };
    /** `"old" -> "new"` renames with counts. */
    renamed: { [change: string]: number };
    /** Classes removed as rare, with their counts. */
    rareClasses: { [label: string]: number };
    /** Samples flagged as likely label errors. */
    suspicious: number;
  };
  /** How the CSV source read its file (delimiter, decimal mark, encoding, what was detected), or `null`. */
  csv: (CsvDialect & { file: string }) | null;
  /** Problems with an input as a whole (an empty file, an unreadable header), each naming the file. */
  warnings: string[];
  /** Every stage's own report, in pipeline order. */
  reports: CleaningReport[];
}

/**
 * Builds the cleaning summary from a run and the stages it ran (any order; stages without a
 * `report()` are ignored). Pass the same stage objects given to `pipeline()`.
 */
export function cleaningSummary(run: RunSummary, stages: readonly unknown[]): CleaningSummary {
  const reports = stages.filter(hasReport).map((s) => s.report());
  // Validation done inside a source (readCsv's `schema`) counts like a validate stage.
  for (const r of [...reports]) {
    const inner = (r as Partial<CsvReport>).validation;
    if (r.kind === 'csv' && inner) reports.push(inner);
  }
  const order = new Map(run.stages.map((s, i) => [s.stage, i]));
  reports.sort((a, b) => (order.get(a.stage) ?? 1e9) - (order.get(b.stage) ?? 1e9));
  const of = <R extends CleaningReport>(kind: string) => reports.filter((r) => r.kind === kind) as R[];

  const stageCounts: CleaningStageCounts[] = run.stages.map((s) => ({
    stage: s.stage,
    in: s.in,
    out: s.out,
    created: s.created,
    filtered: s.filtered,
    quarantined: s.quarantined,
    filteredBy: { ...s.filteredBy },
    quarantinedBy: { ...s.quarantinedBy },
    timeMs: s.timeMs,
  }));
  const reasons: CleaningSummary['reasons'] = [];
  for (const s of run.stages) {
    for (const [reason, count] of Object.entries(s.quarantinedBy)) {
      reasons.push({ stage: s.stage, outcome: 'quarantined', reason, count });
    }
    for (const [reason, count] of Object.entries(s.filteredBy)) {
      reasons.push({ stage: s.stage, outcome: 'filtered', reason, count });
    }
  }
  reasons.sort((a, b) => b.count - a.count);

  const csvSource = of<CsvReport>('csv')[0];
  const source = [...of<CsvReport>('csv'), ...of<RowsReport>('rows')][0];
  const rowsRead = source ? (run.stages.find((s) => s.stage === source.stage)?.out ?? source.rows) : 0;
  const columns: { [column: string]: ColumnHealth } = {};
  const column = (name: string) => {
    columns[name] ??= { missing: 0, missingRate: 0, imputed: 0, invalid: 0, outliers: 0 };
    return columns[name];
  };
  if (source) {
    for (const name of source.columns) column(name);
    for (const [name, n] of Object.entries(source.missing)) column(name).missing = n;
  } else {
    const dropped = of<DropMissingReport>('drop-missing')[0];
    for (const [name, n] of Object.entries(dropped?.missing ?? {})) column(name).missing = n;
  }
  const denominator = rowsRead || of<DropMissingReport>('drop-missing')[0]?.rows || 0;
  for (const health of Object.values(columns)) {
    health.missingRate = denominator > 0 ? health.missing / denominator : 0;
  }
  for (const r of of<ImputeReport>('impute')) {
    for (const [name, n] of Object.entries(r.imputed)) column(name).imputed += n;
  }
  for (const r of of<ValidateReport>('validate')) {
    for (const [name, f] of Object.entries(r.columns)) column(name).invalid += f.invalid + f.missing;
  }
  for (const r of of<OutliersReport>('outliers')) {
    for (const [name, n] of Object.entries(r.byColumn)) column(name).outliers += n;
  }

  const dedupes = [...of<DedupeReport>('dedupe-rows'), ...of<DedupeReport>('dedupe-images')];
  const imageReports = of<ImagesReport>('images');
  const images =
    imageReports.length === 0
      ? null
      : imageReports.reduce<NonNullable<CleaningSummary['images']>>(
          (acc, r) => {
            acc.checked += r.checked;
            acc.passed += r.passed;
            for (const [k, n] of Object.entries(r.formats)) acc.formats[k] = (acc.formats[k] ?? 0) + n;
            for (const [k, n] of Object.entries(r.converted)) acc.converted[k] = (acc.converted[k] ?? 0) + n;
            return acc;
          },
          { checked: 0, passed: 0, formats: {}, converted: {} },
        );
  const labelReports = of<LabelsReport>('labels');
  const rare = of<RareClassesReport>('rare-classes');
  const lastClasses = [...labelReports, ...rare].sort(
    (a, b) => (order.get(a.stage) ?? 0) - (order.get(b.stage) ?? 0),
  );
  const renamed: { [change: string]: number } = {};
  for (const r of labelReports)
    for (const [k, n] of Object.entries(r.renamed)) renamed[k] = (renamed[k] ?? 0) + n;
  const rareClasses: { [label: string]: number } = {};
  for (const r of rare) Object.assign(rareClasses, r.removed);

  return {
    version: 1,
    run: run.run,
    seed: run.seed,
    ok: run.ok,
    wallTimeMs: run.wallTimeMs,
    totals: {
      in: run.stages[0]?.in ?? 0,
      out: run.out,
      filtered: run.filtered,
      quarantined: run.quarantined,
      created: run.created,
    },
    stages: stageCounts,
    reasons,
    rows: rowsRead,
    columns,
    duplicates: {
      exact: sum(dedupes, (r) => r.exact),
      near: sum(dedupes, (r) => r.near),
      conflictingLabels: sum(dedupes, (r) => r.conflictingLabels),
      groups: dedupes.flatMap((r) => r.groups),
    },
    images,
    labels: {
      classes: { ...(lastClasses[lastClasses.length - 1]?.classes ?? {}) },
      renamed,
      rareClasses,
      suspicious: sum(of<SuspiciousLabelsReport>('suspicious-labels'), (r) => r.flagged),
    },
    csv: csvSource ? { file: csvSource.file, ...csvSource.dialect } : null,
    warnings: of<CsvReport>('csv').flatMap((r) => r.warnings ?? []),
    reports,
  };
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += pick(item);
  return total;
}

/** The summary as JSON-safe data (it already is; this only narrows the type). */
export function summaryToJson(summary: CleaningSummary): JsonObject {
  return JSON.parse(JSON.stringify(summary)) as JsonObject;
}

/** A plain-text rendering for terminals: stage counts, reasons, columns with problems. */
export function formatCleaningSummary(summary: CleaningSummary, run: RunSummary): string {
  const parts = [formatRunSummary(run)];
  const csv = summary.csv;
  if (csv) {
    const how = (detected: boolean) => (detected ? 'detected' : 'given');
    parts.push(
      `CSV ${csv.file}: delimiter ${JSON.stringify(csv.delimiter)} (${how(csv.detected.delimiter)}), decimal mark ${JSON.stringify(csv.decimal)} (${how(csv.detected.decimal)}), encoding ${csv.encoding}${csv.bom ? ' (byte order mark)' : ''}.`,
    );
  }
  for (const warning of summary.warnings) parts.push(`Warning: ${warning}`);
  const columns = Object.entries(summary.columns).filter(
    ([, c]) => c.missing > 0 || c.imputed > 0 || c.invalid > 0 || c.outliers > 0,
  );
  if (columns.length > 0) {
    parts.push(
      formatTable(
        ['column', 'missing', 'missing %', 'imputed', 'invalid', 'outliers'],
        columns.map(([name, c]) => [
          name,
          c.missing,
          Number((c.missingRate * 100).toFixed(1)),
          c.imputed,
          c.invalid,
          c.outliers,
        ]),
      ),
    );
  }
  const d = summary.duplicates;
  if (d.exact + d.near > 0) {
    parts.push(
      `Duplicates: ${d.exact} exact, ${d.near} near, ${d.conflictingLabels} with a conflicting label.`,
    );
  }
  if (summary.images) {
    const converted = Object.entries(summary.images.converted)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    parts.push(
      `Images: ${summary.images.passed} of ${summary.images.checked} passed the checks${converted ? `; converted: ${converted}` : ''}.`,
    );
  }
  return parts.join('\n\n');
}
