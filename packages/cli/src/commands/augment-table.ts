import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  augmentTable,
  formatClassCounts,
  METHODS,
  type MethodName,
  parseStrategyText,
  type ResampleOptions,
  type ResampleReport,
  readCsvHeader,
  readCsvTable,
} from '@growset/augment-tabular';
import {
  type Cell,
  formatRunSummary,
  isOriginal,
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
import {
  defineCommand,
  intOption,
  listOption,
  numberOption,
  type ParsedCommandArgs,
  stringOption,
  UsageError,
} from '../command.ts';

export const augmentTableCommand = defineCommand({
  name: 'augment-table',
  summary: 'resample a CSV table: SMOTE family, noise, mixup, over/under-sampling, bootstrap',
  usage: '<file.csv> --label COL --method NAME --out FILE [--k 5] [--strategy auto] [--seed N] [--json]',
  details: `
Writes the original rows plus synthetic ones (a column marks them) and prints class counts
before and after. Methods: ${METHODS.join(', ')} (kebab-case works too: smote-nc).
--strategy: auto (balance), a ratio in (0, 1], x<factor> (x2 doubles every class), or
class=count,... Options that do not apply to the method are rejected.
Apply it to training data only: resampling before a train/test split leaks test rows.`,
  positionals: { min: 1, max: 1 },
  options: {
    label: { type: 'string', value: 'COL', description: 'column holding the class label (required)' },
    method: { type: 'string', value: 'NAME', description: 'resampling method (required)' },
    out: { type: 'string', value: 'FILE', description: 'output CSV (required)' },
    seed: { type: 'string', value: 'N', description: 'seed of every random choice', default: '0' },
    strategy: { type: 'string', value: 'S', description: 'target class counts', default: 'auto' },
    k: { type: 'string', value: 'N', description: 'neighbours (SMOTE family, ADASYN)', default: '5' },
    m: {
      type: 'string',
      value: 'N',
      description: 'neighbours deciding danger (borderlineSmote)',
      default: '10',
    },
    kind: {
      type: 'string',
      value: 'KIND',
      description: 'borderline-1 or borderline-2',
      default: 'borderline-1',
    },
    scale: {
      type: 'string',
      value: 'X',
      description: 'noise std as a fraction of column std (gaussianNoise)',
      default: '0.1',
    },
    swap: {
      type: 'string',
      value: 'P',
      description: 'category swap probability (gaussianNoise)',
      default: '0',
    },
    shrinkage: {
      type: 'string',
      value: 'X',
      description: 'smoothed bootstrap (randomOverSample)',
      default: '0',
    },
    alpha: { type: 'string', value: 'A', description: 'Beta(alpha, alpha) of mixup', default: '0.2' },
    'within-class': { type: 'boolean', description: 'mix only rows of the same class (mixup)' },
    unstratified: { type: 'boolean', description: 'bootstrap from the whole table, not per class' },
    'no-standardize': { type: 'boolean', description: 'measure distances on raw values' },
    'round-integers': { type: 'boolean', description: 'round synthetic values of integer-only columns' },
    'small-class': {
      type: 'string',
      value: 'HOW',
      description: 'shrink (use fewer neighbours) or error',
      default: 'shrink',
    },
    columns: { type: 'string', value: 'A,B', description: 'feature columns', default: 'all but the label' },
    numeric: { type: 'string', value: 'A,B', description: 'columns to read as numbers', default: 'inferred' },
    categorical: {
      type: 'string',
      value: 'A,B',
      description: 'columns to read as categories',
      default: 'inferred',
    },
    'id-column': { type: 'string', value: 'COL', description: 'column of unique row ids (written first)' },
    'synthetic-column': {
      type: 'string',
      value: 'NAME',
      description: 'column marking synthetic rows',
      default: 'synthetic',
    },
    lineage: {
      type: 'string',
      value: 'FILE',
      description: "also write a JSONL manifest with every row's lineage",
    },
    quarantine: { type: 'string', value: 'DIR', description: 'write rejected rows to DIR/quarantine.jsonl' },
    delimiter: { type: 'string', value: 'C', description: 'field delimiter', default: ',' },
  },
  async run(args, io) {
    const input = resolve(io.cwd, args.positionals[0]!);
    if (!existsSync(input) || !statSync(input).isFile())
      throw new UsageError(`Input CSV not found: ${input}`);
    const label = required(args, 'label');
    const method = methodOption(required(args, 'method'));
    const out = resolve(io.cwd, required(args, 'out'));
    const seed = intOption(args, 'seed', { min: 0, max: 2 ** 31 - 1 }) ?? 0;
    const delimiter = stringOption(args, 'delimiter') ?? ',';
    if (delimiter.length !== 1)
      throw new UsageError(`Expected \`--delimiter\` to be one character, got \`${delimiter}\``);
    const idColumn = stringOption(args, 'id-column');
    const syntheticColumn = stringOption(args, 'synthetic-column') ?? 'synthetic';
    const numeric = listOption(args, 'numeric');
    const categorical = listOption(args, 'categorical');

    const header = await readCsvHeader(input, delimiter);
    const known = (flag: string, column: string) => {
      if (!header.includes(column)) {
        throw new UsageError(
          `\`--${flag}\` names column \`${column}\`, which ${input} does not have; its columns: ${header.join(', ')}`,
        );
      }
    };
    known('label', label);
    if (idColumn !== undefined) known('id-column', idColumn);
    for (const flag of ['columns', 'numeric', 'categorical'])
      for (const c of listOption(args, flag) ?? []) known(flag, c);
    if (header.includes(syntheticColumn)) {
      throw new UsageError(
        `${input} already has a column \`${syntheticColumn}\`; choose another with --synthetic-column`,
      );
    }

    const options = resampleOptions(args, method);
    let report: ResampleReport | undefined;
    const memory = new MemoryQuarantine();
    const folder = stringOption(args, 'quarantine');
    const quarantine = teeQuarantine(
      memory,
      folder === undefined ? undefined : new QuarantineFolder(resolve(io.cwd, folder)),
    );
    await mkdir(dirname(out), { recursive: true });
    const lineage = stringOption(args, 'lineage');
    if (lineage !== undefined) await mkdir(dirname(resolve(io.cwd, lineage)), { recursive: true });

    const softColumns = (sample: Sample<TabularPayload>): { [column: string]: Cell } => {
      if (method !== 'mixup' || !report) return {};
      const soft = typeof sample.label === 'object' ? sample.label : { [String(sample.label)]: 1 };
      return Object.fromEntries(report.classes.map((c) => [`${label}:${c}`, soft[c] ?? 0]));
    };
    const csv = writeCsv(out, {
      columns: header.filter((c) => c !== idColumn),
      labelColumn: label,
      idColumn: idColumn ?? false,
      delimiter,
      extra: (sample) => ({ [syntheticColumn]: !isOriginal(sample), ...softColumns(sample) }),
    });
    const stage = augmentTable({
      ...options,
      onReport: (r) => {
        report = r;
      },
    });
    const source = readCsvTable(input, {
      label,
      delimiter,
      ...(idColumn === undefined ? {} : { id: idColumn }),
      ...(numeric === undefined ? {} : { numeric }),
      ...(categorical === undefined ? {} : { categorical }),
    });
    const runOptions = {
      name: 'augment-table',
      seed,
      signal: io.signal,
      logger: io.logger,
      onProgress: io.onProgress,
      quarantine,
    };
    const summary =
      lineage === undefined
        ? await pipeline(source, stage, csv).run(runOptions)
        : await pipeline(source, stage, csv, writeManifest<TabularPayload>(resolve(io.cwd, lineage))).run(
            runOptions,
          );

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
      `Wrote ${out} (column \`${syntheticColumn}\` marks synthetic rows)${lineage ? ` and lineage to ${resolve(io.cwd, lineage)}` : ''}.`,
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
        quarantined: st.quarantined,
        timeMs: st.timeMs,
      })),
      ...(lineage === undefined ? {} : { lineage: resolve(io.cwd, lineage) }),
    };
    if (summary.out === 0) {
      return {
        summary: { ...result, error: 'no usable rows' },
        text: `${text.join('\n')}\nNo usable rows in ${input}.`,
        exitCode: 1,
      };
    }
    return { summary: result, text: text.join('\n') };
  },
});

function required(args: ParsedCommandArgs, name: string): string {
  const value = stringOption(args, name);
  if (value === undefined || value.trim() === '') {
    throw new UsageError(
      `\`growset augment-table\` needs \`--${name}\`. See \`growset augment-table --help\``,
    );
  }
  return value;
}

/** A method by name, ignoring case and dashes: `smoteNC`, `smote-nc`, `SMOTENC`. */
function methodOption(text: string): MethodName {
  const key = text.replace(/[-_]/g, '').toLowerCase();
  const method = METHODS.find((m) => m.toLowerCase() === key);
  if (!method) throw new UsageError(`Unknown method \`${text}\`; methods: ${METHODS.join(', ')}`);
  return method;
}

/** Options for `resample` from the flags given: flags left out keep the method's defaults. */
function resampleOptions(args: ParsedCommandArgs, method: MethodName): ResampleOptions {
  const options: { [name: string]: unknown } = { method };
  const strategy = stringOption(args, 'strategy');
  if (strategy !== undefined) {
    const parsed = parseStrategyText(strategy);
    if (typeof parsed === 'object' && 'error' in parsed)
      throw new UsageError(`Expected \`--strategy\` to be ${parsed.error}`);
    options.strategy = parsed;
  }
  const ints = { k: 'k', m: 'm' } as const;
  for (const [flag, key] of Object.entries(ints)) {
    const value = intOption(args, flag, { min: 1 });
    if (value !== undefined) options[key] = value;
  }
  const numbers = {
    scale: 'scale',
    swap: 'swapProbability',
    shrinkage: 'shrinkage',
    alpha: 'alpha',
  } as const;
  for (const [flag, key] of Object.entries(numbers)) {
    const value = numberOption(args, flag, { min: 0 });
    if (value !== undefined) options[key] = value;
  }
  const strings = { kind: 'kind', 'small-class': 'onSmallClass' } as const;
  for (const [flag, key] of Object.entries(strings)) {
    const value = stringOption(args, flag);
    if (value !== undefined) options[key] = value;
  }
  for (const flag of ['columns', 'numeric', 'categorical']) {
    const value = listOption(args, flag);
    if (value !== undefined) options[flag] = value;
  }
  if (args.values['within-class'] === true) options.withinClass = true;
  if (args.values.unstratified === true) options.stratify = false;
  if (args.values['no-standardize'] === true) options.standardize = false;
  if (args.values['round-integers'] === true) options.roundIntegers = true;
  return options as unknown as ResampleOptions;
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
