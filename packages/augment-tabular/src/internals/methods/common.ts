import { DataError, type JsonObject, type Label, OptionsError, type Rng } from '@growset/core';
import type { MethodName, ParsedOptionsOf } from '../options.ts';
import type { EncodedTable } from '../table/encode.ts';

/** A synthetic row, before it becomes a sample. */
export interface SyntheticRow {
  /** Class index (the hard label). */
  readonly cls: number;
  /** Row indices of the parents; the first is the row it starts from. */
  readonly parents: readonly number[];
  /** Numeric feature values in original units, or `null` to copy the first parent's. */
  readonly numeric: Float64Array | null;
  /** Categorical codes, or `null` to copy the first parent's. */
  readonly codes: Int32Array | null;
  /** A soft label (mixup); the class name otherwise. */
  readonly label?: Label;
  /** Per-row parameters recorded in the lineage (gap, lambda, noise...). */
  readonly params: JsonObject;
}

/** What a method returns. */
export interface MethodResult {
  /** 1 where the original row is kept. */
  readonly keep: Uint8Array;
  readonly synthetic: SyntheticRow[];
  /** Neighbours actually used per class (neighbour methods), after small-class shrinking. */
  readonly neighbors?: { [className: string]: number };
  /**
   * Counts by group, for methods whose groups are not the label's classes: target bins
   * (regression), single labels (multilabel). The report shows these instead of classes.
   */
  readonly groups?: { readonly names: string[]; readonly before: number[]; readonly after: number[] };
}

export interface MethodContext<M extends MethodName> {
  readonly table: EncodedTable;
  /** Target count per class. */
  readonly targets: readonly number[];
  /** Forked per class by the caller through {@link classRng}. */
  readonly rng: Rng;
  readonly options: ParsedOptionsOf<M>;
  /** Messages for the report (fallbacks taken, classes left alone). */
  readonly warnings: string[];
}

/** The generator for one class: adding or removing a class never changes another's rows. */
export function classRng(ctx: MethodContext<MethodName>, c: number): Rng {
  return ctx.rng.fork(`class:${ctx.table.classes[c]!}`);
}

/** Keeps every original row. */
export function keepAll(table: EncodedTable): Uint8Array {
  return new Uint8Array(table.n).fill(1);
}

/** Numeric values of row `i` (original units). */
export function rowNumeric(table: EncodedTable, i: number): Float64Array {
  const dn = table.schema.numeric.length;
  return table.numeric.slice(i * dn, (i + 1) * dn);
}

/** Categorical codes of row `i`. */
export function rowCodes(table: EncodedTable, i: number): Int32Array {
  const dc = table.schema.categorical.length;
  return table.codes.slice(i * dc, (i + 1) * dc);
}

/** `base + gap * (neighbor - base)` per numeric feature, in original units. */
export function interpolate(table: EncodedTable, base: number, neighbor: number, gap: number): Float64Array {
  const dn = table.schema.numeric.length;
  const out = new Float64Array(dn);
  const a = base * dn;
  const b = neighbor * dn;
  for (let j = 0; j < dn; j++) {
    const x = table.numeric[a + j]!;
    out[j] = x + gap * (table.numeric[b + j]! - x);
  }
  return out;
}

/**
 * Neighbours to use in a class of `size` samples: `k`, or `size - 1` when the class is smaller
 * (with a warning), or 0 when it has a single sample (the caller copies it instead). Throws a
 * {@link DataError} naming the class when `onSmallClass` is `'error'`.
 */
export function neighborsFor(ctx: MethodContext<NeighborMethod>, c: number, k: number): number {
  const size = ctx.table.members[c]!.length;
  if (size > k) return k;
  const name = ctx.table.classes[c]!;
  const method = ctx.options.method;
  if (ctx.options.onSmallClass === 'error') {
    throw new DataError(
      'class too small',
      `class \`${name}\` has ${size} sample(s); ${method} with k=${k} needs at least ${k + 1} (set onSmallClass: 'shrink' to use fewer neighbours)`,
    );
  }
  if (size === 1) {
    ctx.warnings.push(`class \`${name}\` has a single sample: ${method} copied it instead of interpolating`);
    return 0;
  }
  ctx.warnings.push(`class \`${name}\` has ${size} samples: ${method} used k=${size - 1} instead of ${k}`);
  return size - 1;
}

export type NeighborMethod =
  | 'smote'
  | 'smoteNC'
  | 'borderlineSmote'
  | 'adasyn'
  | 'svmSmote'
  | 'kmeansSmote'
  | 'smoteN'
  | 'smoteEnn'
  | 'smoteTomek';

/** `count` plain copies of random rows of class `c` (uniform, with replacement). */
export function copies(
  rng: Rng,
  ctx: MethodContext<MethodName>,
  c: number,
  count: number,
  params: JsonObject,
): SyntheticRow[] {
  const members = ctx.table.members[c]!;
  const out: SyntheticRow[] = [];
  for (let s = 0; s < count; s++) {
    const base = members[rng.int(0, members.length - 1)]!;
    out.push({ cls: c, parents: [base], numeric: null, codes: null, params });
  }
  return out;
}

/** Interpolating methods need numeric features and no categorical ones. */
export function requireNumericOnly(ctx: MethodContext<MethodName>, optionsType: string): void {
  const { numeric, categorical } = ctx.table.schema;
  const method = ctx.options.method;
  if (categorical.length > 0) {
    throw new OptionsError({
      optionsType,
      field: 'columns',
      expected: `numeric feature columns only for ${method} (use method \`smoteNC\` for categorical columns, or leave them out with \`columns\`)`,
      received: categorical,
    });
  }
  if (numeric.length === 0) {
    throw new OptionsError({
      optionsType,
      field: 'columns',
      expected: `at least one numeric feature column for ${method}`,
      received: ctx.table.schema.columns,
    });
  }
}

/** Number of rows to add to class `c`. */
export function toAdd(ctx: MethodContext<MethodName>, c: number): number {
  return Math.max(0, ctx.targets[c]! - ctx.table.members[c]!.length);
}

/**
 * The loop the neighbour methods share: for each class that needs rows, its own generator and its
 * neighbour count after small-class shrinking ({@link neighborsFor}); a single-sample class is
 * copied instead of calling `grow`, which returns the class's synthetic rows.
 */
export function growByNeighbors(
  ctx: MethodContext<NeighborMethod>,
  grow: (c: number, name: string, count: number, rng: Rng, k: number) => SyntheticRow[],
): MethodResult {
  const synthetic: SyntheticRow[] = [];
  const used: { [className: string]: number } = {};
  ctx.table.classes.forEach((name, c) => {
    const count = toAdd(ctx, c);
    if (count === 0) return;
    const rng = classRng(ctx, c);
    const k = neighborsFor(ctx, c, ctx.options.k);
    used[name] = k;
    const rows =
      k === 0
        ? copies(rng, ctx, c, count, { fallback: 'single-sample class copied' })
        : grow(c, name, count, rng, k);
    for (const row of rows) synthetic.push(row);
  });
  return { keep: keepAll(ctx.table), synthetic, neighbors: used };
}
