import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import {
  DataError,
  errorMessage,
  MemoryQuarantine,
  OptionsError,
  pipeline,
  type QuarantineSink,
  readImageFolder,
  type Sample,
} from '@growset/core';
import { type ReadCsvOptions, readCsv, readCsvHeader } from '../csv/read-csv.ts';
import { inferSchema } from '../schema/infer.ts';
import { type ImageShape, type LabelledDataReport, labelledDataFromSamples } from './labelled.ts';

/** Options of {@link loadLabelledDataset}. */
export interface LoadLabelledOptions {
  /** CSV: the column holding the class label (required for a CSV file). */
  label?: string;
  /** Images: the size and channels to decode to. @default the first image's size and channels */
  image?: ImageShape;
  /** CSV dialect: field separator (`auto` detects `,` `;` tab `|`). @default 'auto' */
  delimiter?: ReadCsvOptions['delimiter'];
  /** CSV dialect: decimal mark. @default 'auto' */
  decimal?: ReadCsvOptions['decimal'];
  /** Rows or files that cannot be read go here, with the reason. @default kept in memory */
  quarantine?: QuarantineSink;
  signal?: AbortSignal;
}

/** A loaded data set, what was left out of it, and how many inputs were read. */
export interface LoadedLabelledDataset extends LabelledDataReport {
  kind: 'images' | 'csv';
  /** Files or rows read (before anything was quarantined or left out). */
  read: number;
}

/**
 * The one labelled-dataset loader (`growset train` and `growset study` both use it): an
 * ImageFolder (`root/<class>/<image>`: decoded to one uint8 block) or a CSV file (read with
 * {@link readCsv}, so every dialect and every hostile file is handled alike: a schema is inferred
 * from the first 1,000 rows with {@link inferSchema} and the file read again coercing to it;
 * numeric columns hold numbers, others are categorical, missing cells are `null` and left to the
 * encoder). Unreadable rows and files go to `quarantine`; labelled originals that cannot be used
 * are listed in `excluded`.
 */
export async function loadLabelledDataset(
  path: string,
  options: LoadLabelledOptions = {},
): Promise<LoadedLabelledDataset> {
  const info = await stat(path).catch((error: unknown) => {
    throw new DataError('missing input', `Cannot read \`${path}\`: ${errorMessage(error)}`);
  });
  const quarantine = options.quarantine ?? new MemoryQuarantine();
  const run = { quarantine, name: 'read', ...(options.signal ? { signal: options.signal } : {}) };
  if (info.isDirectory()) {
    const { items, summary } = await pipeline(readImageFolder(path)).collect(run);
    const report = await labelledDataFromSamples(items as Sample<unknown>[], {
      name: basename(path) || 'images',
      ...(options.image ? { image: options.image } : {}),
    });
    return { ...report, kind: 'images', read: summary.stages[0]!.in };
  }
  if (extname(path).toLowerCase() !== '.csv') {
    throw new DataError('unsupported input', `\`${path}\` is neither a folder (ImageFolder) nor a .csv file`);
  }
  const label = options.label;
  const dialect = {
    ...(options.delimiter === undefined ? {} : { delimiter: options.delimiter }),
    ...(options.decimal === undefined ? {} : { decimal: options.decimal }),
  };
  const columns = await readCsvHeader(path, dialect);
  if (label === undefined || !columns.includes(label)) {
    throw new OptionsError({
      optionsType: 'LoadLabelledOptions',
      field: 'label',
      expected: `a column of ${path} (columns: ${columns.join(', ')})`,
      received: label,
    });
  }
  // Types come from the values: read once as text, infer a schema, read again coercing to it.
  const raw = await pipeline(readCsv(path, { ...dialect, label })).collect({
    name: 'sniff',
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const schema = inferSchema(raw.items.slice(0, 1000)).schema;
  const { items, summary } = await pipeline(readCsv(path, { ...dialect, label, schema })).collect(run);
  const report = await labelledDataFromSamples(items as Sample<unknown>[], {
    name: basename(path) || 'table',
  });
  return { ...report, kind: 'csv', read: summary.stages[0]!.in };
}
