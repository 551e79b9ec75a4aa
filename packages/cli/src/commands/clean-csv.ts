import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import {
  cleaningSummary,
  dedupeRows,
  dropMissing,
  filterRareClasses,
  formatCleaningSummary,
  impute,
  inferSchema,
  normalizeLabels,
  type ReadCsvOptions,
  readCsv,
  readCsvHeader,
  removeOutliers,
  summaryToJson,
} from '@growset/clean';
import {
  errorMessage,
  pipeline,
  type Stage,
  type TabularSample,
  writeCsv,
  writeFileAtomic,
} from '@growset/core';
import type { z } from 'zod';
import { defineCommand, intOption, stringOption, UsageError } from '../command.ts';
import { importModule } from '../load-module.ts';

const ENCODINGS = ['utf8', 'utf16le', 'latin1', 'ascii'] as const;
const IMPUTE = ['mean', 'median', 'mode', 'none'] as const;
const OUTLIERS = ['iqr', 'zscore', 'none'] as const;

export const cleanCsvCommand = defineCommand({
  name: 'clean-csv',
  summary: 'clean a CSV: quarantine bad rows, validate, dedupe, handle missing values',
  usage:
    '<file.csv> --out <dir> [--schema <module#export> | --infer] [--label <column>] [--impute mean|median|mode] [--drop-missing] [--json]',
  details: `
Reads the CSV as a stream; ragged rows, bad or unterminated quoting and invalid UTF-8 go to
quarantine with their line. With --schema (a module exporting a zod object schema, e.g.
schema.ts#schema) or --infer (a schema proposed from the first 1,000 rows, written to
<out>/schema.ts), rows are validated with coercion. Exact duplicate rows are dropped; a copy
with another label is quarantined. Writes <out>/clean.csv, <out>/quarantine.jsonl (one line per
rejected input with its reason) and <out>/cleaning-summary.json.`,
  positionals: { min: 1, max: 1 },
  options: {
    out: { type: 'string', value: 'DIR', description: 'output folder (required)' },
    schema: { type: 'string', value: 'MODULE#EXPORT', description: 'zod row schema to validate with' },
    infer: { type: 'boolean', description: 'infer a schema from the first rows and validate with it' },
    label: { type: 'string', value: 'COLUMN', description: 'column holding the class label' },
    delimiter: { type: 'string', value: 'CHAR', description: 'field separator', default: ',' },
    encoding: {
      type: 'string',
      value: 'NAME',
      description: `text encoding (${ENCODINGS.join(', ')})`,
      default: 'utf8',
    },
    impute: {
      type: 'string',
      value: 'STRATEGY',
      description: 'fill missing numbers (mean, median, mode; text by mode)',
      default: 'none',
    },
    'drop-missing': { type: 'boolean', description: 'drop rows with a missing value (after validation)' },
    outliers: {
      type: 'string',
      value: 'METHOD',
      description: 'drop outlying numbers per column (iqr, zscore)',
      default: 'none',
    },
    'min-class-count': { type: 'string', value: 'K', description: 'drop classes with fewer than K rows' },
  },
  async run(args, io) {
    const file = resolve(io.cwd, args.positionals[0]!);
    if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`CSV file not found: ${file}`);
    const outOption = stringOption(args, 'out');
    if (outOption === undefined) throw new UsageError('Missing `--out <dir>`: where to write the clean data');
    const out = resolve(io.cwd, outOption);
    const schemaSpec = stringOption(args, 'schema');
    const infer = args.values.infer === true;
    if (schemaSpec !== undefined && infer)
      throw new UsageError('Use either `--schema` or `--infer`, not both');
    const label = stringOption(args, 'label');
    const encoding = choice(args, 'encoding', ENCODINGS) ?? 'utf8';
    const strategy = choice(args, 'impute', IMPUTE) ?? 'none';
    const outlierMethod = choice(args, 'outliers', OUTLIERS) ?? 'none';
    const dropRows = args.values['drop-missing'] === true;
    if (dropRows && strategy !== 'none')
      throw new UsageError('Use either `--drop-missing` or `--impute`, not both');
    const minClassCount = intOption(args, 'min-class-count', { min: 1 });
    if (minClassCount !== undefined && label === undefined) {
      throw new UsageError('`--min-class-count` needs `--label <column>`');
    }
    const csvOptions: ReadCsvOptions = {
      delimiter: stringOption(args, 'delimiter') ?? ',',
      encoding,
      ...(label === undefined ? {} : { label }),
    };
    let columns: string[];
    try {
      columns = await readCsvHeader(file, { delimiter: csvOptions.delimiter, encoding });
    } catch (error) {
      throw new UsageError(errorMessage(error), { cause: error });
    }
    if (label !== undefined && !columns.includes(label)) {
      throw new UsageError(`--label: column \`${label}\` is not in ${file} (columns: ${columns.join(', ')})`);
    }
    await mkdir(out, { recursive: true });

    let schema: z.ZodType | undefined;
    let schemaFile: string | undefined;
    if (schemaSpec !== undefined) schema = await loadSchema(schemaSpec, io.cwd);
    if (infer) {
      const sample = await firstRows(file, csvOptions, 1000);
      const inferred = inferSchema(sample);
      schema = inferred.schema;
      schemaFile = join(out, 'schema.ts');
      await writeFileAtomic(schemaFile, inferred.toTypeScript({ source: args.positionals[0]! }));
      io.logger.info(`Inferred a schema from ${inferred.rows} rows: ${schemaFile}`);
    }

    // Validation runs inside the reader (same checks as a validate stage, one stage fewer per row).
    const source = readCsv(file, { ...csvOptions, ...(schema ? { schema } : {}) });
    const stages: Stage<TabularSample, TabularSample>[] = [];
    if (label !== undefined) stages.push(normalizeLabels<TabularSample['payload']>());
    stages.push(dedupeRows());
    if (dropRows) stages.push(dropMissing());
    if (strategy !== 'none') stages.push(impute({ numeric: strategy }));
    if (outlierMethod !== 'none') stages.push(removeOutliers({ method: outlierMethod }));
    if (minClassCount !== undefined)
      stages.push(filterRareClasses<TabularSample['payload']>({ minCount: minClassCount }));
    const cleanFile = join(out, 'clean.csv');
    stages.push(writeCsv(cleanFile, { labelColumn: label ?? false }));
    let run = pipeline(source);
    for (const stage of stages) run = run.pipe(stage);
    const summary = await run.run({
      name: 'clean-csv',
      signal: io.signal,
      logger: io.logger,
      onProgress: io.onProgress,
      quarantine: out,
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
    return {
      summary: {
        in: cleaning.totals.in,
        out: cleaning.totals.out,
        filtered: cleaning.totals.filtered,
        quarantined: cleaning.totals.quarantined,
        files,
        reasons: summaryToJson(cleaning).reasons ?? [],
      },
      text: `${formatCleaningSummary(cleaning, summary)}\n\nClean rows: ${files.clean}\nQuarantine: ${files.quarantine}\nSummary:    ${files.summary}${schemaFile ? `\nSchema:     ${schemaFile}` : ''}\n`,
    };
  },
});

function choice<T extends string>(
  args: Parameters<typeof stringOption>[0],
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`Expected \`--${name}\` to be one of ${allowed.join(', ')}, got \`${value}\``);
  }
  return value as T;
}

/** Imports `module#export` (export `schema`, then the default export, when none is named). */
async function loadSchema(spec: string, cwd: string): Promise<z.ZodType> {
  const hash = spec.lastIndexOf('#');
  const path = hash > 0 ? spec.slice(0, hash) : spec;
  const name = hash > 0 ? spec.slice(hash + 1) : undefined;
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  if (!existsSync(file)) throw new UsageError(`--schema: module not found: ${file}`);
  let mod: { [name: string]: unknown };
  try {
    mod = await importModule(file);
  } catch (error) {
    throw new UsageError(`--schema: cannot load ${file}: ${errorMessage(error)}`, { cause: error });
  }
  const value = name !== undefined ? mod[name] : (mod.schema ?? mod.default);
  const isZod =
    typeof value === 'object' &&
    value !== null &&
    '_zod' in value &&
    typeof (value as { safeParse?: unknown }).safeParse === 'function';
  if (!isZod) {
    throw new UsageError(
      `--schema: ${file} has no zod schema export ${name === undefined ? '`schema` or default' : `\`${name}\``} (its exports: ${Object.keys(mod).join(', ') || 'none'})`,
    );
  }
  return value as z.ZodType;
}

async function firstRows(file: string, options: ReadCsvOptions, count: number): Promise<TabularSample[]> {
  const rows: TabularSample[] = [];
  if (count <= 0) return rows;
  for await (const row of pipeline(readCsv(file, options)).start({ name: 'infer-schema' })) {
    rows.push(row);
    if (rows.length >= count) break;
  }
  return rows;
}
