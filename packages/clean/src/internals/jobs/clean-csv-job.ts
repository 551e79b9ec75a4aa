import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type JobContext,
  type JobResult,
  pipeline,
  type Stage,
  type TabularSample,
  writeCsv,
  writeFileAtomic,
} from '@growset/core';
import { inferSchema, type ReadCsvOptions, readCsv } from '@growset/tables';
import type { z } from 'zod';
import { dedupeRows } from '../dedupe/dedupe-rows.ts';
import { normalizeLabels } from '../labels/normalize-labels.ts';
import { filterRareClasses } from '../labels/rare-classes.ts';
import { dropMissing } from '../missing/drop-missing.ts';
import { impute } from '../missing/imputer.ts';
import { removeOutliers } from '../outliers/outliers.ts';
import { cleaningSummary, formatCleaningSummary, summaryToJson } from '../summary/cleaning-summary.ts';

/** What `growset clean-csv` runs. */
export interface CleanCsvJobOptions {
  /** The CSV file to clean. */
  input: string;
  /** Output folder: `clean.csv`, `quarantine.jsonl`, `cleaning-summary.json` (and `schema.ts` with `infer`). */
  out: string;
  /** Validate rows (with coercion) against this zod object schema. @default none */
  schema?: z.ZodType;
  /** Infer a schema from the first 1,000 rows, write it to `<out>/schema.ts` and validate with it. @default false */
  infer?: boolean;
  /** Where the data came from, named in the inferred `schema.ts`. @default the input path */
  inferSource?: string;
  /** Column holding the class label. @default none */
  label?: string;
  /** Field separator or `auto`. @default 'auto' */
  delimiter?: string;
  /** Decimal mark or `auto`. @default 'auto' */
  decimal?: '.' | ',' | 'auto';
  /** Text encoding. @default 'utf8' */
  encoding?: ReadCsvOptions['encoding'];
  /** Fill missing numbers (text by mode). @default 'none' */
  impute?: 'mean' | 'median' | 'mode' | 'none';
  /** Drop rows with a missing value (after validation). @default false */
  dropMissing?: boolean;
  /** Drop outlying numbers per column. @default 'none' */
  outliers?: 'iqr' | 'zscore' | 'none';
  /** Drop classes with fewer rows than this (needs `label`). @default none */
  minClassCount?: number;
}

/**
 * Streams a CSV through the cleaning stages (the one CSV reader with validation fused in,
 * label normalization, dedupe, missing values, outliers, rare classes) to `<out>/clean.csv`, with
 * every rejected row in `<out>/quarantine.jsonl` and the counts in `<out>/cleaning-summary.json`:
 * the work behind `growset clean-csv`.
 */
export async function runCleanCsvJob(
  options: CleanCsvJobOptions,
  context: JobContext = {},
): Promise<JobResult> {
  const { input, out, label } = options;
  const csvOptions: ReadCsvOptions = {
    delimiter: options.delimiter ?? 'auto',
    decimal: options.decimal ?? 'auto',
    encoding: options.encoding ?? 'utf8',
    ...(label === undefined ? {} : { label }),
  };
  await mkdir(out, { recursive: true });
  let schema = options.schema;
  let schemaFile: string | undefined;
  if (options.infer) {
    const sample = await firstRows(input, csvOptions, 1000);
    const inferred = inferSchema(sample);
    schema = inferred.schema;
    schemaFile = join(out, 'schema.ts');
    await writeFileAtomic(schemaFile, inferred.toTypeScript({ source: options.inferSource ?? input }));
    context.logger?.info(`Inferred a schema from ${inferred.rows} rows: ${schemaFile}`);
  }

  // Validation runs inside the reader (same checks as a validate stage, one stage fewer per row).
  const source = readCsv(input, { ...csvOptions, ...(schema ? { schema } : {}) });
  const stages: Stage<TabularSample, TabularSample>[] = [];
  if (label !== undefined) stages.push(normalizeLabels<TabularSample['payload']>());
  stages.push(dedupeRows());
  if (options.dropMissing) stages.push(dropMissing());
  const strategy = options.impute ?? 'none';
  if (strategy !== 'none') stages.push(impute({ numeric: strategy }));
  const outliers = options.outliers ?? 'none';
  if (outliers !== 'none') stages.push(removeOutliers({ method: outliers }));
  if (options.minClassCount !== undefined)
    stages.push(filterRareClasses<TabularSample['payload']>({ minCount: options.minClassCount }));
  const cleanFile = join(out, 'clean.csv');
  stages.push(writeCsv(cleanFile, { labelColumn: label ?? false }));
  let run = pipeline(source);
  for (const stage of stages) run = run.pipe(stage);
  const summary = await run.run({
    name: 'clean-csv',
    quarantine: out,
    ...(context.signal ? { signal: context.signal } : {}),
    ...(context.logger ? { logger: context.logger } : {}),
    ...(context.onProgress ? { onProgress: context.onProgress } : {}),
  });
  const cleaning = cleaningSummary(summary, [source, ...stages]);
  const summaryFile = join(out, 'cleaning-summary.json');
  await writeFileAtomic(summaryFile, `${JSON.stringify(cleaning, null, 2)}\n`);
  const files = {
    clean: cleanFile,
    quarantine: join(out, 'quarantine.jsonl'),
    summary: summaryFile,
    ...(schemaFile ? { schema: schemaFile } : {}),
  };
  const json = summaryToJson(cleaning);
  return {
    summary: {
      in: cleaning.totals.in,
      out: cleaning.totals.out,
      filtered: cleaning.totals.filtered,
      quarantined: cleaning.totals.quarantined,
      files,
      reasons: json.reasons ?? [],
      csv: json.csv ?? null,
      warnings: cleaning.warnings,
    },
    files,
    text: `${formatCleaningSummary(cleaning, summary)}\n\nClean rows: ${files.clean}\nQuarantine: ${files.quarantine}\nSummary:    ${files.summary}${schemaFile ? `\nSchema:     ${schemaFile}` : ''}\n`,
  };
}

async function firstRows(file: string, options: ReadCsvOptions, count: number): Promise<TabularSample[]> {
  const rows: TabularSample[] = [];
  for await (const row of pipeline(readCsv(file, options)).start({ name: 'infer-schema' })) {
    rows.push(row);
    if (rows.length >= count) break;
  }
  return rows;
}
