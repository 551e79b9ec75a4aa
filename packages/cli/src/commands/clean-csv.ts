import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { runCleanCsvJob } from '@growset/clean';
import { errorMessage, GrowsetError } from '@growset/core';
import { type ReadCsvOptions, readCsvHeader } from '@growset/tables';
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
quarantine with their line. LF, CRLF and a lone CR all end a record. The delimiter (, ; tab |)
and the decimal mark (3,5 in European spreadsheet exports) are detected unless --delimiter /
--decimal force them; the summary says what was used. An empty file, a file holding only a byte
order mark or an unreadable header ends with zero rows and a warning naming the file (exit 0). With --schema (a module exporting a zod object schema, e.g.
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
    delimiter: {
      type: 'string',
      value: 'CHAR',
      description:
        'field separator: auto (detect , ; tab |), or the character (tab, comma, semicolon, pipe by name)',
      default: 'auto',
    },
    decimal: {
      type: 'string',
      value: 'MARK',
      description: 'decimal mark: auto, . or , (3,5 read as 3.5; point and comma by name)',
      default: 'auto',
    },
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
      delimiter: delimiterOption(stringOption(args, 'delimiter')),
      decimal: decimalOption(stringOption(args, 'decimal')),
      encoding,
      ...(label === undefined ? {} : { label }),
    };
    // An empty file or an unreadable header is bad data, not bad usage: the run goes on, reads
    // zero rows (or quarantines them) and says why in a warning.
    let columns: string[] | undefined;
    try {
      columns = await readCsvHeader(file, {
        delimiter: csvOptions.delimiter!,
        decimal: csvOptions.decimal!,
        encoding,
      });
    } catch (error) {
      if (!(error instanceof GrowsetError && error.code === 'ERR_CSV')) throw error;
      columns = undefined;
    }
    if (label !== undefined && columns !== undefined && !columns.includes(label)) {
      throw new UsageError(`--label: column \`${label}\` is not in ${file} (columns: ${columns.join(', ')})`);
    }
    const schema = schemaSpec === undefined ? undefined : await loadSchema(schemaSpec, io.cwd);
    const job = await runCleanCsvJob(
      {
        input: file,
        out,
        ...(schema === undefined ? {} : { schema }),
        infer,
        inferSource: args.positionals[0]!,
        ...(label === undefined ? {} : { label }),
        delimiter: csvOptions.delimiter!,
        decimal: csvOptions.decimal!,
        encoding,
        impute: strategy,
        dropMissing: dropRows,
        outliers: outlierMethod,
        ...(minClassCount === undefined ? {} : { minClassCount }),
      },
      { signal: io.signal, logger: io.logger, onProgress: io.onProgress },
    );
    return { summary: job.summary, text: job.text };
  },
});

const DELIMITER_NAMES: { [name: string]: string } = {
  tab: '\t',
  '\\t': '\t',
  comma: ',',
  semicolon: ';',
  pipe: '|',
  space: ' ',
};

/** `--delimiter`: `auto`, a name (tab, comma, semicolon, pipe, space, \t) or the text itself (1-8 characters). */
function delimiterOption(value: string | undefined): string {
  if (value === undefined || value === 'auto') return 'auto';
  const delimiter = DELIMITER_NAMES[value.toLowerCase()] ?? value;
  if (delimiter.length < 1 || delimiter.length > 8 || /[\r\n"]/.test(delimiter)) {
    throw new UsageError(
      `Expected \`--delimiter\` to be auto, tab, comma, semicolon, pipe or 1 to 8 characters (no quote or line break), got \`${value}\``,
    );
  }
  return delimiter;
}

/** `--decimal`: `auto`, `.` / `point` or `,` / `comma`. */
function decimalOption(value: string | undefined): '.' | ',' | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  if (value === '.' || value === 'point') return '.';
  if (value === ',' || value === 'comma') return ',';
  throw new UsageError(`Expected \`--decimal\` to be one of auto, . (point), , (comma), got \`${value}\``);
}

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
