import { z } from 'zod';
import { abortReason, concurrentMap } from './concurrency.ts';
import { DataError, errorMessage, StageError } from './errors.ts';
import type { Logger } from './logger.ts';
import { parseOptions } from './options.ts';
import type { Rng } from './rng.ts';
import type { Identified, Sample, SourceRef } from './sample.ts';

/** What a stage sees of the run it is part of. */
export interface StageContext {
  /** This stage's unique name within the run. */
  readonly stage: string;
  /** This stage's generator, forked from the run's by the stage name. Fork it per sample id. */
  readonly rng: Rng;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** Records that `subject` was dropped on purpose. `reason` is a short category. */
  filter(subject: Identified, reason: string, detail?: string): void;
  /** Records that `subject` is bad input, with its reason and where it came from. */
  quarantine(subject: Identified, reason: string, options?: QuarantineOptions): void;
  /** Records `count` samples created by this stage (augmented copies, synthetic rows). */
  created(count?: number): void;
  /**
   * Reports the expected total, a status message, or (a source reading a file) the bytes read and
   * the file's size, for progress displays.
   */
  progress(update: { total?: number; message?: string; bytes?: number; totalBytes?: number }): void;
}

export interface QuarantineOptions {
  /** Longer explanation: the parser's message, the offending value. */
  detail?: string;
  /** Where the bad input came from; defaults to the sample's own `source`. */
  source?: SourceRef;
  cause?: unknown;
}

/**
 * A step of a pipeline: turns a stream of `I` into a stream of `O`.
 *
 * Every item a stage takes in must leave it: passed on (`out`), dropped with `ctx.filter`, or
 * quarantined with `ctx.quarantine`; items it makes up are declared with `ctx.created`. The
 * pipeline checks `in + created = out + filtered + quarantined` when the run ends.
 */
export interface Stage<I, O> {
  readonly name: string;
  run(input: AsyncIterable<I>, ctx: StageContext): AsyncIterable<O>;
  /** Releases what the stage holds (browser, workers, files). Called once per run, in reverse order. */
  dispose?(): void | Promise<void>;
}

/** The first step of a pipeline: produces items from files, a package's data, a crawl... */
export interface Source<O> {
  readonly name: string;
  run(ctx: StageContext): AsyncIterable<O>;
  dispose?(): void | Promise<void>;
}

const DROP = Symbol.for('growset.drop');

/** The outcome "drop this sample" returned by a per-sample function instead of a value. */
export interface Drop {
  readonly [DROP]: 'filter' | 'quarantine';
  readonly reason: string;
  readonly detail?: string;
  readonly source?: SourceRef;
  readonly cause?: unknown;
}

/** Drop the sample on purpose, counted under `reason`. */
export function filtered(reason: string, detail?: string): Drop {
  return { [DROP]: 'filter', reason, ...(detail === undefined ? {} : { detail }) };
}

/** Send the sample to quarantine, counted under `reason`. */
export function quarantined(reason: string, options: QuarantineOptions = {}): Drop {
  return { [DROP]: 'quarantine', reason, ...options };
}

export function isDrop(value: unknown): value is Drop {
  return typeof value === 'object' && value !== null && DROP in value;
}

/** What a per-sample function gets: the stage context plus a generator forked by the sample id. */
export interface ItemContext {
  readonly stage: string;
  /** Forked from the stage's generator by the item's id: the same whatever the order of work. */
  readonly rng: Rng;
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

const mapOptionsSchema = z.strictObject({
  concurrency: z.int().min(1).max(1024).default(1),
  ordered: z.boolean().default(true),
  onError: z.enum(['raise', 'quarantine']).default('raise'),
});

export interface MapStageOptions {
  /** Items processed at once. @default 1 */
  concurrency?: number;
  /** Emit results in input order (`true`) or as they finish. @default true */
  ordered?: boolean;
  /**
   * What an unexpected error thrown by the function does: fail the run (`raise`) or quarantine
   * the sample with the error message. A {@link DataError} always quarantines. @default 'raise'
   */
  onError?: 'raise' | 'quarantine';
}

type MaybePromise<T> = T | Promise<T>;

/**
 * A stage that applies `fn` to each item, `concurrency` at a time. `fn` returns the new item, or
 * `filtered(...)` / `quarantined(...)`; throwing a {@link DataError} quarantines the item.
 */
export function mapStage<I extends Identified, O>(
  name: string,
  fn: (item: I, ctx: ItemContext) => MaybePromise<O | Drop>,
  options: MapStageOptions = {},
): Stage<I, O> {
  const opts = parseOptions(mapOptionsSchema, options, 'MapStageOptions');
  return {
    name,
    run(input, ctx) {
      // Stays synchronous for synchronous functions: no promise per item unless fn returns one.
      return expandItems(input, ctx, opts, (item, itemCtx) => {
        const result = fn(item, itemCtx);
        if (isPromiseLike(result)) return result.then((value) => (isDrop(value) ? value : [value]));
        return isDrop(result) ? result : [result];
      });
    },
  };
}

/**
 * A stage that turns each item into zero or more items (augmented copies, tiles). Returning an
 * empty array without a drop is an error: use `filtered(...)`. Extra outputs count as created.
 */
export function flatMapStage<I extends Identified, O>(
  name: string,
  fn: (item: I, ctx: ItemContext) => MaybePromise<readonly O[] | Drop>,
  options: MapStageOptions = {},
): Stage<I, O> {
  const opts = parseOptions(mapOptionsSchema, options, 'MapStageOptions');
  return { name, run: (input, ctx) => expandItems(input, ctx, opts, fn) };
}

/** A stage that keeps items for which `predicate` returns `true`; a string return is the drop reason. */
export function filterStage<I extends Identified>(
  name: string,
  predicate: (item: I, ctx: ItemContext) => MaybePromise<true | string>,
  options: MapStageOptions = {},
): Stage<I, I> {
  return mapStage<I, I>(
    name,
    async (item, ctx) => {
      const verdict = await predicate(item, ctx);
      return verdict === true ? item : filtered(verdict);
    },
    options,
  );
}

/** A stage that looks at each item (to log, count, collect) and passes it on unchanged. */
export function tapStage<I extends Identified>(
  name: string,
  fn: (item: I, ctx: ItemContext) => MaybePromise<void>,
): Stage<I, I> {
  return {
    name,
    async *run(input, ctx) {
      for await (const item of input) {
        await fn(item, itemContext(ctx, item.id));
        yield item;
      }
    },
  };
}

/** A source over an array, iterable or async iterable (or a function returning one). */
export function fromIterable<O>(
  name: string,
  items: Iterable<O> | AsyncIterable<O> | ((ctx: StageContext) => Iterable<O> | AsyncIterable<O>),
  options: { total?: number } = {},
): Source<O> {
  return {
    name,
    async *run(ctx) {
      const iterable = typeof items === 'function' ? items(ctx) : items;
      const total = options.total ?? (Array.isArray(iterable) ? iterable.length : undefined);
      if (total !== undefined) ctx.progress({ total });
      yield* iterable as AsyncIterable<O>;
    },
  };
}

/** Context handed to per-item functions. */
export function itemContext(ctx: StageContext, id: string): ItemContext {
  return new LazyItemContext(ctx, id);
}

/** Forks the per-item generator only when a function asks for it (hashing costs ~1 µs). */
class LazyItemContext implements ItemContext {
  readonly #ctx: StageContext;
  readonly #id: string;
  #rng: Rng | undefined;

  constructor(ctx: StageContext, id: string) {
    this.#ctx = ctx;
    this.#id = id;
  }
  get stage(): string {
    return this.#ctx.stage;
  }
  get rng(): Rng {
    this.#rng ??= this.#ctx.rng.fork(this.#id);
    return this.#rng;
  }
  get signal(): AbortSignal {
    return this.#ctx.signal;
  }
  get logger(): Logger {
    return this.#ctx.logger;
  }
}

type Outcome<O> = { ok: true; items: readonly O[] | Drop } | { ok: false; error: unknown };

async function* expandItems<I extends Identified, O>(
  input: AsyncIterable<I>,
  ctx: StageContext,
  opts: z.output<typeof mapOptionsSchema>,
  fn: (item: I, ctx: ItemContext) => MaybePromise<readonly O[] | Drop>,
): AsyncGenerator<O> {
  const settle = (item: I, outcome: Outcome<O>): readonly O[] => {
    if (!outcome.ok) {
      const { error } = outcome;
      if (ctx.signal.aborted) throw abortReason(ctx.signal);
      if (error instanceof DataError) {
        ctx.quarantine(item, error.reason, {
          detail: error.message,
          ...(error.source ? { source: error.source } : {}),
          cause: error,
        });
        return NOTHING;
      }
      if (opts.onError === 'quarantine') {
        ctx.quarantine(item, 'error', { detail: errorMessage(error), cause: error });
        return NOTHING;
      }
      throw new StageError(ctx.stage, item.id, errorMessage(error), { cause: error });
    }
    const result = outcome.items;
    if (isDrop(result)) {
      if (result[DROP] === 'filter') ctx.filter(item, result.reason, result.detail);
      else {
        ctx.quarantine(item, result.reason, {
          ...(result.detail === undefined ? {} : { detail: result.detail }),
          ...(result.source === undefined ? {} : { source: result.source }),
          ...(result.cause === undefined ? {} : { cause: result.cause }),
        });
      }
      return NOTHING;
    }
    if (result.length === 0) {
      throw new StageError(
        ctx.stage,
        item.id,
        'returned no output without filtering or quarantining the sample; return filtered(reason) to drop it',
      );
    }
    if (result.length > 1) ctx.created(result.length - 1);
    return result;
  };

  if (opts.concurrency === 1) {
    // Sequential fast path: no promise bookkeeping beyond the awaits themselves.
    for await (const item of input) {
      let outcome: Outcome<O>;
      try {
        const result = fn(item, new LazyItemContext(ctx, item.id));
        outcome = { ok: true, items: isPromiseLike(result) ? await result : result };
      } catch (error) {
        outcome = { ok: false, error };
      }
      const out = settle(item, outcome);
      if (out.length === 1) yield out[0]!;
      else for (const o of out) yield o;
    }
    return;
  }

  const work = async (item: I): Promise<[I, Outcome<O>]> => {
    try {
      return [item, { ok: true, items: await fn(item, new LazyItemContext(ctx, item.id)) }];
    } catch (error) {
      return [item, { ok: false, error }];
    }
  };
  for await (const [item, outcome] of concurrentMap(input, work, {
    concurrency: opts.concurrency,
    ordered: opts.ordered,
    signal: ctx.signal,
  })) {
    const out = settle(item, outcome);
    if (out.length === 1) yield out[0]!;
    else for (const o of out) yield o;
  }
}

const NOTHING: readonly never[] = Object.freeze([]);

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Convenience type: a stage over samples. */
export type SampleStage<PI, PO = PI> = Stage<Sample<PI>, Sample<PO>>;
