import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type Cell,
  formatRunSummary,
  isOriginal,
  type JobContext,
  type JobResult,
  type JsonObject,
  MemoryQuarantine,
  pipeline,
  QuarantineFolder,
  type QuarantineRecord,
  type QuarantineSink,
  type Sample,
  type TabularPayload,
  writeCsv,
  writeManifest,
} from '@growset/core';
import { readCsvHead } from '@growset/tables';
import { readCsvTable } from '../csv-source.ts';
import { type MethodName, parseResampleOptions, type ResampleOptions } from '../options.ts';
import { formatClassCounts } from '../report.ts';
import type { ResampleReport } from '../resample.ts';
import { augmentTable } from '../stage.ts';
import { COLUMNAR_METHODS, runColumnar } from './columnar-path.ts';

/** What `growset augment-table` runs. Paths are absolute (or relative to the process). */
export interface AugmentTableJobOptions {
  /** The CSV file to resample. */
  input: string;
  /** The CSV file written: original rows plus synthetic ones, minus removed ones. */
  out: string;
  /** Column holding the class label. */
  label: string;
  /** The method and its options (`method`, `k`, `strategy`, `columns`, `numeric`, `categorical`...). */
  resample: ResampleOptions;
  /** Seed of every random choice. @default 0 */
  seed?: number;
  /** Field separator of the input (and the output), or `auto`. @default 'auto' */
  delimiter?: string;
  /** Column of unique row ids (written first). @default none */
  idColumn?: string;
  /** Column marking synthetic rows. @default 'synthetic' */
  syntheticColumn?: string;
  /** Also write a JSONL manifest with every row's lineage here. @default none */
  lineage?: string;
  /** Write rejected rows to `<quarantine>/quarantine.jsonl`. @default kept in memory only */
  quarantine?: string;
  /**
   * Take the columnar path when it applies: a SMOTE-family method (or random over-sampling) on a
   * plain all-numeric file, without `lineage`, `idColumn` or column options, is read into typed
   * columns, resampled and written without an object per row. Same output bytes and summary
   * counts as the row path; `false` forces the row path. @default true
   */
  columnar?: boolean;
}

/**
 * Reads a CSV table (the one CSV reader, typed columns), resamples it with a registered method
 * and writes the result as CSV in the input's dialect: the work behind `growset augment-table`.
 * `summary.error` is `'no usable rows'` when nothing was written (the CLI exits 1).
 */
export async function runAugmentTableJob(
  options: AugmentTableJobOptions,
  context: JobContext = {},
): Promise<JobResult> {
  const { input, out, label } = options;
  const method = options.resample.method;
  const seed = options.seed ?? 0;
  const syntheticColumn = options.syntheticColumn ?? 'synthetic';
  const idColumn = options.idColumn;
  const { columns: header, dialect } = await readCsvHead(input, { delimiter: options.delimiter ?? 'auto' });
  const memory = new MemoryQuarantine();
  const quarantine = teeQuarantine(
    memory,
    options.quarantine === undefined ? undefined : new QuarantineFolder(options.quarantine),
  );
  await mkdir(dirname(out), { recursive: true });
  if (options.lineage !== undefined) await mkdir(dirname(options.lineage), { recursive: true });

  let report: ResampleReport | undefined;
  const softColumns = (sample: Sample<TabularPayload>): { [column: string]: Cell } => {
    if (method !== 'mixup' || !report) return {};
    const soft = typeof sample.label === 'object' ? sample.label : { [String(sample.label)]: 1 };
    return Object.fromEntries(report.classes.map((c) => [`${label}:${c}`, soft[c] ?? 0]));
  };
  const csv = writeCsv(out, {
    columns: header.filter((c) => c !== idColumn),
    labelColumn: label,
    idColumn: idColumn ?? false,
    delimiter: dialect.delimiter,
    extra: (sample) => ({ [syntheticColumn]: !isOriginal(sample), ...softColumns(sample) }),
  });
  const stage = augmentTable({
    ...options.resample,
    onReport: (r) => {
      report = r;
    },
  });
  const { numeric, categorical } = options.resample as { numeric?: string[]; categorical?: string[] };
  const source = readCsvTable(input, {
    label,
    delimiter: dialect.delimiter,
    decimal: dialect.decimal,
    ...(idColumn === undefined ? {} : { id: idColumn }),
    ...(numeric === undefined ? {} : { numeric }),
    ...(categorical === undefined ? {} : { categorical }),
  });
  const { columns: chosen } = options.resample as { columns?: string[] };
  const columnar =
    options.columnar !== false &&
    COLUMNAR_METHODS.has(method) &&
    options.lineage === undefined &&
    idColumn === undefined &&
    chosen === undefined &&
    numeric === undefined &&
    categorical === undefined &&
    dialect.decimal === '.' &&
    context.signal?.aborted !== true
      ? await runColumnar(
          {
            input,
            out,
            label,
            options: parseResampleOptions(options.resample, 'AugmentTableOptions'),
            seed,
            delimiter: dialect.delimiter,
            syntheticColumn,
            quarantine,
          },
          context,
        )
      : undefined;
  if (columnar !== undefined) report = columnar.report;
  const runOptions = {
    name: 'augment-table',
    seed,
    quarantine,
    ...(context.signal ? { signal: context.signal } : {}),
    ...(context.logger ? { logger: context.logger } : {}),
    ...(context.onProgress ? { onProgress: context.onProgress } : {}),
  };
  const lineage = options.lineage;
  const summary =
    columnar !== undefined
      ? columnar.summary
      : lineage === undefined
        ? await pipeline(source, stage, csv).run(runOptions)
        : await pipeline(source, stage, csv, writeManifest<TabularPayload>(lineage)).run(runOptions);

  const final = report ?? emptyReport(method);
  const quarantinedBy: { [reason: string]: number } = {};
  for (const r of memory.records) quarantinedBy[r.reason] = (quarantinedBy[r.reason] ?? 0) + 1;
  const rowsIn = summary.stages[0]!.in;
  const text = [
    `Resampled ${input} with ${method} (seed ${seed}): ${rowsIn} rows read, ${summary.out} written ` +
      `(${final.created} synthetic, ${final.removed} removed, ${summary.quarantined} quarantined).`,
    '',
    formatClassCounts(final),
    ...quarantineLines(memory.records),
    ...(final.warnings.length > 0 ? ['', 'Warnings:', ...final.warnings.map((w) => `  ${w}`)] : []),
    '',
    formatRunSummary(summary),
    '',
    `Wrote ${out} (column \`${syntheticColumn}\` marks synthetic rows)${lineage ? ` and lineage to ${lineage}` : ''}.`,
  ];
  const result: JsonObject = {
    input,
    out,
    method,
    seed,
    rowsIn,
    rowsOut: summary.out,
    before: final.before,
    after: final.after,
    created: final.created,
    removed: final.removed,
    quarantined: summary.quarantined,
    quarantinedBy,
    warnings: final.warnings,
    columns: {
      numeric: final.columns.numeric,
      categorical: final.columns.categorical,
      ignored: final.columns.ignored,
    },
    wallTimeMs: summary.wallTimeMs,
    stages: summary.stages.map((st) => ({
      stage: st.stage,
      in: st.in,
      out: st.out,
      created: st.created,
      filtered: st.filtered,
      filteredBy: st.filteredBy,
      quarantined: st.quarantined,
      timeMs: st.timeMs,
    })),
    ...(lineage === undefined ? {} : { lineage }),
  };
  const files = {
    out,
    ...(lineage === undefined ? {} : { lineage }),
    ...(options.quarantine === undefined ? {} : { quarantine: options.quarantine }),
  };
  if (summary.out === 0) {
    return {
      summary: { ...result, error: 'no usable rows' },
      files,
      text: `${text.join('\n')}\nNo usable rows in ${input}.`,
    };
  }
  return { summary: result, files, text: text.join('\n') };
}

function teeQuarantine(memory: MemoryQuarantine, folder: QuarantineFolder | undefined): QuarantineSink {
  return {
    add(record, subject) {
      memory.add(record);
      folder?.add(record, subject);
    },
    async close() {
      await folder?.close();
    },
  };
}

function quarantineLines(records: readonly QuarantineRecord[]): string[] {
  if (records.length === 0) return [];
  const shown = records.slice(0, 5).map((r) => {
    const where = [r.source?.row === undefined ? `line ${r.source?.line ?? '?'}` : `row ${r.source.row}`];
    if (r.source?.column) where.push(`column ${r.source.column}`);
    return `  ${where.join(', ')}: ${r.reason}${r.detail ? ` - ${r.detail}` : ''}`;
  });
  const more = records.length > 5 ? [`  ... ${records.length - 5} more`] : [];
  return ['', `Quarantined ${records.length} row(s):`, ...shown, ...more];
}

function emptyReport(method: MethodName): ResampleReport {
  return {
    method,
    strategy: 'auto',
    classes: [],
    before: {},
    after: {},
    created: 0,
    removed: 0,
    columns: { numeric: [], categorical: [], ignored: [] },
    warnings: [],
  };
}
