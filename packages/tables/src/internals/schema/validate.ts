import {
  type Cell,
  type Label,
  OptionsError,
  parseOptions,
  type Sample,
  type TabularPayload,
  type TabularSample,
} from '@growset/core';
import { z } from 'zod';
import { showCell } from '../cells.ts';
import type { CleaningReport, CleaningStage } from '../stage/contract.ts';
import { coerceCell, type FieldPlan, objectShape, planField, toOutputCell } from './coerce.ts';

const optionsSchema = z.strictObject({
  label: z.custom<z.ZodType>(isZodSchema, { message: 'a zod schema' }).optional(),
  coerce: z.boolean().default(true),
  examples: z.int().min(0).max(100).default(3),
  name: z.string().min(1).default('validate'),
});

/** Options of {@link validate}. */
export interface ValidateOptions {
  /** A zod schema for labels (e.g. `z.enum(['Adelie', 'Gentoo'])`); a label it rejects is quarantined. @default labels are not checked */
  label?: z.ZodType;
  /** Coerce text cells toward each field's type before checking (numbers, booleans, ISO dates, enum case). @default true */
  coerce?: boolean;
  /** Offending values kept per column in the report. @default 3 */
  examples?: number;
  /** Stage name. @default 'validate' */
  name?: string;
}

/** Failures per column. */
export interface ColumnFailures {
  /** Rows rejected because of a value in this column that is present but wrong. */
  invalid: number;
  /** Rows rejected because this required column was missing. */
  missing: number;
  /** A few offending values. */
  examples: Cell[];
}

/** What {@link validate} checked and rejected. */
export interface ValidateReport extends CleaningReport {
  kind: 'validate';
  checked: number;
  passed: number;
  /** Rows quarantined as `invalid value` (a present value the schema rejects). */
  invalidRows: number;
  /** Rows quarantined as `missing value` (only required cells missing). */
  missingRows: number;
  invalidLabels: number;
  columns: { [column: string]: ColumnFailures };
  /** Columns present in the rows but not in the schema, which the schema dropped. */
  droppedColumns: string[];
}

/**
 * A stage checking each row against a zod object schema, pandera-style: every row the schema
 * rejects is quarantined (`invalid value`, or `missing value` when only required cells are
 * missing) with its row, the first failing column and one message per failing column. With
 * `coerce` (default) text cells are converted first: numbers (`"3.5"`), booleans (`"yes"`), ISO
 * dates (`"2024-05-01"`, stored as ISO text) and enum options in any case. Passing rows carry the
 * schema's output values. A field accepts a missing cell only if it is `.nullable()` or
 * `.optional()`, so imputation can come after validation.
 */
export function validate(
  schema: z.ZodType,
  options: ValidateOptions = {},
): CleaningStage<TabularSample, TabularSample, ValidateReport> {
  const opts = parseOptions(optionsSchema, options, 'ValidateOptions');
  const validator = new RowValidator(schema, opts);
  return {
    name: opts.name,
    report: () => validator.report,
    async *run(input, ctx) {
      validator.reset();
      for await (const sample of input) {
        const verdict = validator.check(sample.payload.values, sample.label);
        if (verdict.ok) {
          const out: Sample<TabularPayload> = {
            ...sample,
            payload: { kind: 'tabular', values: verdict.values },
          };
          if (verdict.label !== sample.label) (out as { label?: Label }).label = verdict.label;
          yield out;
          continue;
        }
        ctx.quarantine(sample, verdict.reason, {
          detail: verdict.detail,
          source: { ...sample.source, ...(verdict.column === undefined ? {} : { column: verdict.column }) },
        });
      }
      validator.finish();
    },
  };
}

/** The outcome of checking one row. */
export type RowVerdict =
  | { ok: true; values: { [column: string]: Cell }; label: Label | undefined }
  | {
      ok: false;
      reason: 'invalid value' | 'missing value' | 'invalid label';
      detail: string;
      column?: string;
    };

/**
 * Checks rows against a zod object schema (with coercion) and keeps the counts: the engine of
 * {@link validate}, also run inside {@link readCsv} when it is given a `schema`.
 */
export class RowValidator {
  report: ValidateReport;
  readonly #schema: z.ZodType;
  readonly #opts: z.output<typeof optionsSchema>;
  readonly #plans: FieldPlan[];
  readonly #known: Set<string>;
  readonly #labelPlan: FieldPlan | undefined;
  readonly #direct: boolean;
  #dropped = new Set<string>();

  constructor(schema: z.ZodType, options: ValidateOptions = {}) {
    const opts = parseOptions(optionsSchema, options, 'ValidateOptions');
    const shape = isZodSchema(schema) ? objectShape(schema) : undefined;
    if (shape === undefined) {
      throw new OptionsError({
        optionsType: 'validate',
        field: 'schema',
        expected: 'a zod object schema (z.object({...}))',
        received: schema,
      });
    }
    this.#schema = schema;
    this.#opts = opts;
    this.#plans = Object.entries(shape).map(([column, field]) => planField(column, field));
    this.#known = new Set(this.#plans.map((p) => p.column));
    this.#labelPlan = opts.label ? planField('label', opts.label) : undefined;
    // When every field outputs plain cells and is always present, the schema's output is the row.
    this.#direct =
      shapeDropsUnknown(schema) &&
      shape === (schema as unknown as { _zod: { def: { shape?: unknown } } })._zod.def.shape &&
      this.#plans.every(
        (p) =>
          (p.kind === 'number' || p.kind === 'boolean' || p.kind === 'enum' || p.kind === 'string') &&
          !p.optional &&
          isPlainField(shape[p.column]!),
      );
    this.report = emptyReport(opts.name);
  }

  /** Starts a new run's counts. */
  reset(): void {
    this.report = emptyReport(this.#opts.name);
    this.#dropped = new Set();
  }

  /** Records the columns the schema dropped (call when the input ends). */
  finish(): void {
    this.report.droppedColumns = shapeDropsUnknown(this.#schema) ? [...this.#dropped] : [];
  }

  check(values: { readonly [column: string]: Cell }, label: Label | undefined): RowVerdict {
    const row: { [column: string]: unknown } = {};
    const coerce = this.#opts.coerce;
    for (const plan of this.#plans) {
      row[plan.column] = coerce ? coerceCell(values[plan.column], plan) : (values[plan.column] ?? null);
    }
    for (const column in values) {
      if (!this.#known.has(column)) {
        row[column] = values[column];
        this.#dropped.add(column);
      }
    }
    return this.checkPrepared(row, () => values, label);
  }

  /** How a column is coerced (`undefined` for a column the schema does not name). */
  planFor(column: string): FieldPlan | undefined {
    return this.#plans.find((p) => p.column === column);
  }

  /** The schema's columns. */
  get columns(): string[] {
    return this.#plans.map((p) => p.column);
  }

  /** Whether cells are coerced before checking. */
  get coerces(): boolean {
    return this.#opts.coerce;
  }

  /** Notes a column outside the schema (for the report's `droppedColumns`). */
  noteUnknown(column: string): void {
    this.#dropped.add(column);
  }

  /**
   * Checks a row already coerced with {@link planFor} (every schema column present, unknown
   * columns as read). `raw` gives the cells as read, for messages; called only on failure.
   */
  checkPrepared(
    row: { [column: string]: unknown },
    raw: () => { readonly [column: string]: Cell },
    label: Label | undefined,
  ): RowVerdict {
    const report = this.report;
    report.checked += 1;
    const result = this.#schema.safeParse(row);
    if (!result.success) {
      const values = raw();
      const failure = describeFailure(result.error.issues, values, report, this.#opts.examples);
      if (failure.missingOnly) report.missingRows += 1;
      else report.invalidRows += 1;
      return {
        ok: false,
        reason: failure.missingOnly ? 'missing value' : 'invalid value',
        detail: failure.detail,
        ...(failure.column === undefined ? {} : { column: failure.column }),
      };
    }
    const output = this.#direct
      ? (result.data as { [column: string]: Cell })
      : toValues(result.data, this.#plans);
    if (typeof output === 'string') {
      report.invalidRows += 1;
      return {
        ok: false,
        reason: 'invalid value',
        detail: `${output}: the schema produced a value a table cell cannot hold (only text, numbers, booleans, dates and null)`,
        column: output,
      };
    }
    let checkedLabel = label;
    const labelSchema = this.#opts.label;
    if (labelSchema !== undefined) {
      const given = typeof label === 'string' ? label : undefined;
      const checked = labelSchema.safeParse(
        this.#labelPlan ? coerceCell(given ?? null, this.#labelPlan) : given,
      );
      if (!checked.success || typeof checked.data !== 'string') {
        report.invalidLabels += 1;
        return {
          ok: false,
          reason: 'invalid label',
          detail: `label ${showCell(given)}: ${checked.success ? 'the label schema must output a string' : issueText(checked.error.issues[0], given)}`,
        };
      }
      checkedLabel = checked.data;
    }
    report.passed += 1;
    return { ok: true, values: output, label: checkedLabel };
  }
}

function toValues(data: unknown, plans: readonly FieldPlan[]): { [column: string]: Cell } | string {
  const record = (data ?? {}) as { [column: string]: unknown };
  const values: { [column: string]: Cell } = {};
  for (const plan of plans) {
    const cell = toOutputCell(record[plan.column]);
    if (cell === undefined) return plan.column;
    values[plan.column] = cell;
  }
  for (const column in record) {
    if (column in values) continue;
    const cell = toOutputCell(record[column]);
    if (cell === undefined) return column;
    values[column] = cell;
  }
  return values;
}

interface Issue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  expected?: string;
  values?: readonly unknown[];
}

function describeFailure(
  issues: readonly Issue[],
  values: { readonly [column: string]: Cell },
  report: ValidateReport,
  examples: number,
): { detail: string; column: string | undefined; missingOnly: boolean } {
  const parts: string[] = [];
  const seen = new Set<string>();
  let missingOnly = true;
  let first: string | undefined;
  for (const issue of issues) {
    const column = issue.path.length > 0 ? String(issue.path[0]) : undefined;
    const raw = column === undefined ? undefined : values[column];
    const missing = issue.code === 'invalid_type' && (raw === null || raw === undefined);
    if (!missing) missingOnly = false;
    first ??= column;
    if (column !== undefined && !seen.has(column)) {
      seen.add(column);
      report.columns[column] ??= { invalid: 0, missing: 0, examples: [] };
      const failures = report.columns[column];
      if (missing) failures.missing += 1;
      else {
        failures.invalid += 1;
        if (failures.examples.length < examples && raw !== undefined) failures.examples.push(raw);
      }
    }
    parts.push(missing ? `${column}: missing (the field is not nullable)` : issueText(issue, raw));
  }
  return { detail: parts.join('; '), column: first, missingOnly };
}

function issueText(issue: Issue | undefined, raw: unknown): string {
  if (issue === undefined) return 'rejected by the schema';
  const where = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  if (issue.code === 'invalid_type') return `${where}expected ${issue.expected}, got ${showCell(raw)}`;
  if (issue.code === 'invalid_value' && issue.values) {
    return `${where}expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${showCell(raw)}`;
  }
  return `${where}${issue.message} (got ${showCell(raw)})`;
}

function emptyReport(stage: string): ValidateReport {
  return {
    kind: 'validate',
    stage,
    checked: 0,
    passed: 0,
    invalidRows: 0,
    missingRows: 0,
    invalidLabels: 0,
    columns: {},
    droppedColumns: [],
  };
}

function isZodSchema(value: unknown): value is z.ZodType {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { safeParse?: unknown }).safeParse === 'function' &&
    '_zod' in value
  );
}

/** Whether the schema strips keys it does not know (plain `z.object`), as opposed to loose or strict. */
function shapeDropsUnknown(schema: z.ZodType): boolean {
  const catchall = (schema as unknown as { _zod: { def: { catchall?: unknown } } })._zod.def.catchall;
  return catchall === undefined;
}

/** A field without transforms: its output is its (coerced) input, a plain cell. */
function isPlainField(field: z.ZodType): boolean {
  let current: z.ZodType | undefined = field;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    const def: { type: string; innerType?: z.ZodType } = (
      current as unknown as { _zod: { def: { type: string; innerType?: z.ZodType } } }
    )._zod.def;
    if (def.type === 'pipe' || def.type === 'transform' || def.type === 'default' || def.type === 'catch')
      return false;
    current = def.innerType;
  }
  return true;
}
