import { readFile, stat } from 'node:fs/promises';
import {
  AtomicFileWriter,
  csvField,
  formatNumber,
  type JobContext,
  type QuarantineSink,
  Rng,
  type RunSummary,
  type StageSummary,
} from '@growset/core';
import { type NumericCsv, readNumericCsv } from '@growset/tables';
import { METHODS, type MethodName, type ParsedOptions } from '../options.ts';
import { entryOf } from '../registry.ts';
import { type ResampleReport, resampleTable } from '../resample.ts';
import { classMembers, compareClassNames, type EncodedTable } from '../table/encode.ts';

/**
 * Methods the columnar path runs: every method whose rows are originals (kept or removed) and
 * numeric synthetic rows labelled with their class. Not mixup (soft labels), the categorical
 * methods (smoteNC, smoteN), nor the regression and multilabel ones (their groups are not classes).
 */
export const COLUMNAR_METHODS: ReadonlySet<MethodName> = new Set<MethodName>(
  METHODS.filter((method) => {
    const { kind } = entryOf(method);
    return (
      kind !== 'regression' &&
      kind !== 'multilabel' &&
      method !== 'mixup' &&
      method !== 'smoteNC' &&
      method !== 'smoteN'
    );
  }),
);

/** Files above this size take the streaming row path. */
const MAX_BYTES = 1 << 30;

export interface ColumnarJob {
  input: string;
  out: string;
  label: string;
  options: ParsedOptions;
  seed: number;
  delimiter: string;
  syntheticColumn: string;
  quarantine: QuarantineSink;
}

/**
 * `augment-table` on a plain all-numeric table without a row object: the file is read into one
 * `Float64Array` per column (`readNumericCsv`), the method runs on the matrix, and the output is
 * written from it (an original row whose numbers are already written as `String(n)` writes them
 * is copied as its text). The output bytes, the report and the counts are those of the row path
 * (`readCsvTable` -> `augmentTable` -> `writeCsv`), with the same generator keys.
 *
 * Returns `undefined`, having written nothing, when the table is not one it takes (see
 * `readNumericCsv`; a feature column repeating the label; a method result it does not write):
 * the caller then runs the row path, which accounts for every row.
 */
export async function runColumnar(
  job: ColumnarJob,
  context: JobContext,
): Promise<{ summary: RunSummary; report: ResampleReport } | undefined> {
  const started = performance.now();
  const info = await stat(job.input).catch(() => undefined);
  if (info === undefined || !info.isFile() || info.size > MAX_BYTES) return undefined;
  const bytes = await readFile(job.input);
  const csv = readNumericCsv(bytes, { delimiter: job.delimiter, label: job.label });
  if (csv === undefined || csv.header.includes(job.syntheticColumn)) return undefined;
  if (repeatsLabel(csv)) return undefined;
  const read = performance.now();

  const table = encode(csv);
  const stageRng = Rng.create(job.seed).fork('stage:augment-table');
  let resampled$: ReturnType<typeof resampleTable>;
  try {
    resampled$ = resampleTable(table, job.options, stageRng.fork('resample'));
  } catch {
    // The row path raises the same error where it belongs (inside its stage, named).
    return undefined;
  }
  const { result, report } = resampled$;
  if (result.groups || result.synthetic.some((row) => row.label !== undefined)) return undefined;
  const resampled = performance.now();

  const field = csvField(job.delimiter);
  const delimiter = job.delimiter;
  const roundIntegers = 'roundIntegers' in job.options && job.options.roundIntegers === true;
  const round = table.integer.map((integer) => roundIntegers && integer);
  const sink = new ByteSink(bytes.length + csv.n * (job.syntheticColumn.length + 8));
  sink.text(`${[...csv.header, job.syntheticColumn].map(field).join(delimiter)}\n`, 'utf8');
  const { labelIndex, values, n } = csv;
  const dn = values.length;
  const formatted = (label: string, cells: (j: number) => number): string => {
    let text = '';
    for (let h = 0, j = 0; h <= dn; h++) {
      const cell = h === labelIndex ? label : formatNumber(cells(j++));
      text = h === 0 ? cell : text + delimiter + cell;
    }
    return text;
  };
  const original = (i: number, label: string, marker: string) => {
    if (csv.canonical[i] === 1 && label === csv.labels[csv.labelOf[i]!]) {
      sink.copy(bytes, csv.start[i]!, csv.end[i]!);
      sink.text(marker, 'latin1');
    } else {
      sink.text(formatted(label, (j) => values[j]![i]!) + marker, 'latin1');
    }
  };
  const writer = await AtomicFileWriter.open(job.out);
  let committed = false;
  try {
    const kept = `${delimiter}false\n`;
    let keptCount = 0;
    for (let i = 0; i < n; i++) {
      if (!result.keep[i]) continue;
      keptCount += 1;
      original(i, csv.labels[csv.labelOf[i]!]!, kept);
      if (sink.size >= 1 << 20) await writer.write(sink.take());
    }
    const made = `${delimiter}true\n`;
    for (const row of result.synthetic) {
      const className = table.classes[row.cls]!;
      const parent = row.parents[0]!;
      const numeric = row.numeric;
      if (numeric === null) original(parent, className, made);
      else
        sink.text(
          formatted(className, (j) => (round[j] ? Math.round(numeric[j]!) : numeric[j]!)) + made,
          'latin1',
        );
      if (sink.size >= 1 << 20) await writer.write(sink.take());
    }
    await writer.write(sink.take());
    await writer.commit();
    committed = true;
    const created = result.synthetic.length;
    const out = keptCount + created;
    const removed = n - keptCount;
    const ended = performance.now();
    context.logger?.debug(`augment-table: ${n} rows read as typed columns (columnar path)`);
    for (const warning of report.warnings) context.logger?.warn(`augment-table: ${warning}`);
    const reason = entryOf(job.options.method).removedReason ?? 'removed';
    const stage = (
      name: string,
      counts: { in: number; out: number; created?: number; filtered?: number },
      ms: number,
    ): StageSummary => ({
      stage: name,
      in: counts.in,
      out: counts.out,
      created: counts.created ?? 0,
      filtered: counts.filtered ?? 0,
      quarantined: 0,
      filteredBy: counts.filtered ? { [reason]: counts.filtered } : {},
      quarantinedBy: {},
      timeMs: Math.round(ms),
    });
    const stages = [
      stage('read-csv', { in: n, out: n }, read - started),
      stage('augment-table', { in: n, out, created, filtered: removed }, resampled - started),
      stage('write-csv', { in: out, out }, ended - started),
    ];
    const summary: RunSummary = {
      run: 'augment-table',
      ok: true,
      aborted: false,
      seed: String(job.seed),
      wallTimeMs: Math.round(ended - started),
      out,
      filtered: removed,
      quarantined: 0,
      created,
      stages,
    };
    context.onProgress?.({ type: 'run-start', run: 'augment-table', stages: stages.map((s) => s.stage) });
    for (const s of stages) {
      const { filteredBy: _f, quarantinedBy: _q, timeMs: _t, ...progress } = s;
      context.onProgress?.({ type: 'stage-progress', run: 'augment-table', progress });
    }
    context.onProgress?.({
      type: 'run-end',
      run: 'augment-table',
      stages: stages.map(({ filteredBy: _f, quarantinedBy: _q, timeMs: _t, ...progress }) => progress),
      ok: true,
    });
    return { summary, report };
  } finally {
    if (!committed) await writer.abort();
    await job.quarantine.close();
  }
}

/** The table the methods compute on, built from the columns (what `encodeTable` builds from rows). */
function encode(csv: NumericCsv): EncodedTable {
  const { n, values } = csv;
  const dn = values.length;
  const classes = [...csv.labels].sort(compareClassNames);
  const classOfLabel = csv.labels.map((l) => classes.indexOf(l));
  const classOf = new Int32Array(n);
  for (let i = 0; i < n; i++) classOf[i] = classOfLabel[csv.labelOf[i]!]!;
  const members = classMembers(classOf, classes.length);
  const numeric = new Float64Array(n * dn);
  const integer: boolean[] = [];
  for (let j = 0; j < dn; j++) {
    const column = values[j]!;
    let whole = true;
    for (let i = 0; i < n; i++) {
      const v = column[i]!;
      numeric[i * dn + j] = v;
      if (whole && !Number.isInteger(v)) whole = false;
    }
    integer.push(whole);
  }
  const columns = [...csv.columns];
  return {
    n,
    schema: { columns, numeric: columns, categorical: [], labelColumn: undefined },
    classes,
    classOf,
    members,
    numeric,
    categories: [],
    codes: new Int32Array(0),
    integer,
  };
}

/**
 * Whether a feature column holds the label in every row (`String(value) === label`): the row
 * path then treats it as the label's column, not a feature; that case takes the row path.
 */
function repeatsLabel(csv: NumericCsv): boolean {
  return csv.values.some((column) => {
    for (let i = 0; i < csv.n; i++) {
      if (String(column[i]) !== csv.labels[csv.labelOf[i]!]) return false;
    }
    return true;
  });
}

/** Output bytes gathered in one growing buffer, handed to the file in large pieces. */
class ByteSink {
  #buffer: Buffer;
  size = 0;

  constructor(capacity: number) {
    this.#buffer = Buffer.allocUnsafe(Math.max(1 << 16, Math.min(capacity, 1 << 22)));
  }

  #reserve(bytes: number): void {
    if (this.size + bytes <= this.#buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.size + bytes));
    this.#buffer.copy(next, 0, 0, this.size);
    this.#buffer = next;
  }

  copy(bytes: Uint8Array, from: number, to: number): void {
    this.#reserve(to - from);
    this.#buffer.set(bytes.subarray(from, to), this.size);
    this.size += to - from;
  }

  text(text: string, encoding: 'utf8' | 'latin1'): void {
    this.#reserve(encoding === 'utf8' ? Buffer.byteLength(text) : text.length);
    this.size += this.#buffer.write(text, this.size, encoding);
  }

  /** The bytes gathered so far (a copy), emptying the sink. */
  take(): Buffer {
    const out = Buffer.from(this.#buffer.subarray(0, this.size));
    this.size = 0;
    return out;
  }
}
