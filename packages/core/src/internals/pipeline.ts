import { abortReason, raceAbort } from './concurrency.ts';
import { AccountingError, errorMessage, GrowsetError, StageError } from './errors.ts';
import { type Logger, silentLogger } from './logger.ts';
import {
  type ProgressEvent,
  type ProgressListener,
  type StageProgress,
  ThrottledProgress,
} from './progress.ts';
import { QuarantineFolder, type QuarantineSink, quarantineRecord } from './quarantine.ts';
import { Rng } from './rng.ts';
import type { Identified } from './sample.ts';
import type { QuarantineOptions, Source, Stage, StageContext } from './stage.ts';

/** Counts of one stage after a run, with the reasons behind every drop. */
export interface StageSummary extends StageProgress {
  /** Filtered samples per reason. */
  filteredBy: { [reason: string]: number };
  /** Quarantined samples per reason. */
  quarantinedBy: { [reason: string]: number };
  /** Wall time from the stage's first pull to its end, in milliseconds. */
  timeMs: number;
}

/** What a run returns: per-stage counts (which always add up) and totals. */
export interface RunSummary {
  run: string;
  ok: boolean;
  /** Whether the run was cancelled through its signal. */
  aborted: boolean;
  /** The seed given (or the key of the generator given). */
  seed: string;
  wallTimeMs: number;
  /** Items that left the last stage. */
  out: number;
  filtered: number;
  quarantined: number;
  created: number;
  stages: StageSummary[];
  /** The error that ended the run, if any. */
  error?: string;
}

export interface RunOptions {
  /** Seed of the run's generator. @default 0 */
  seed?: number | string;
  /** A generator to use instead of `seed` (e.g. forked from a caller's). */
  rng?: Rng;
  signal?: AbortSignal;
  logger?: Logger;
  onProgress?: ProgressListener;
  /** Where quarantined samples go: a sink, or a folder for `quarantine.jsonl`. */
  quarantine?: QuarantineSink | string;
  /** Name used in progress events and the summary. @default 'pipeline' */
  name?: string;
}

type AnyStage = Stage<unknown, unknown>;

/**
 * An immutable, typed chain of a source and stages. `pipe` returns a new pipeline; nothing runs
 * until `run`, `collect` or iteration of `start(...)`.
 */
export class Pipeline<O> {
  readonly #source: Source<unknown>;
  readonly #stages: readonly AnyStage[];

  /** @internal Use {@link pipeline}. */
  constructor(source: Source<unknown>, stages: readonly AnyStage[]) {
    this.#source = source;
    this.#stages = stages;
  }

  /** Stage names in order, source first. */
  get stageNames(): string[] {
    return uniqueNames([this.#source.name, ...this.#stages.map((s) => s.name)]);
  }

  /** A new pipeline with `stage` appended. */
  pipe<N>(stage: Stage<O, N>): Pipeline<N> {
    return new Pipeline<N>(this.#source, [...this.#stages, stage as AnyStage]);
  }

  /** Starts a run. Iterate the result to pull items; its `summary` is live and final at the end. */
  start(options: RunOptions = {}): PipelineExecution<O> {
    return new PipelineExecution<O>(this.#source, this.#stages, options);
  }

  /** Runs to the end, discarding items, and returns the summary. Rejects if the run fails. */
  async run(options: RunOptions = {}): Promise<RunSummary> {
    const execution = this.start(options);
    for await (const _ of execution) {
      // drain
    }
    return execution.summary;
  }

  /** Runs to the end and returns every item with the summary. For small outputs. */
  async collect(options: RunOptions = {}): Promise<{ items: O[]; summary: RunSummary }> {
    const execution = this.start(options);
    const items: O[] = [];
    for await (const item of execution) items.push(item);
    return { items, summary: execution.summary };
  }
}

/**
 * Composes a source and stages into a typed pipeline: each stage's input type must match the
 * previous output type.
 */
export function pipeline<A>(source: Source<A>): Pipeline<A>;
export function pipeline<A, B>(source: Source<A>, s1: Stage<A, B>): Pipeline<B>;
export function pipeline<A, B, C>(source: Source<A>, s1: Stage<A, B>, s2: Stage<B, C>): Pipeline<C>;
export function pipeline<A, B, C, D>(
  source: Source<A>,
  s1: Stage<A, B>,
  s2: Stage<B, C>,
  s3: Stage<C, D>,
): Pipeline<D>;
export function pipeline<A, B, C, D, E>(
  source: Source<A>,
  s1: Stage<A, B>,
  s2: Stage<B, C>,
  s3: Stage<C, D>,
  s4: Stage<D, E>,
): Pipeline<E>;
export function pipeline<A, B, C, D, E, F>(
  source: Source<A>,
  s1: Stage<A, B>,
  s2: Stage<B, C>,
  s3: Stage<C, D>,
  s4: Stage<D, E>,
  s5: Stage<E, F>,
): Pipeline<F>;
export function pipeline<A, B, C, D, E, F, G>(
  source: Source<A>,
  s1: Stage<A, B>,
  s2: Stage<B, C>,
  s3: Stage<C, D>,
  s4: Stage<D, E>,
  s5: Stage<E, F>,
  s6: Stage<F, G>,
): Pipeline<G>;
export function pipeline<A, B, C, D, E, F, G, H>(
  source: Source<A>,
  s1: Stage<A, B>,
  s2: Stage<B, C>,
  s3: Stage<C, D>,
  s4: Stage<D, E>,
  s5: Stage<E, F>,
  s6: Stage<F, G>,
  s7: Stage<G, H>,
): Pipeline<H>;
export function pipeline<A, B, C, D, E, F, G, H, I>(
  source: Source<A>,
  s1: Stage<A, B>,
  s2: Stage<B, C>,
  s3: Stage<C, D>,
  s4: Stage<D, E>,
  s5: Stage<E, F>,
  s6: Stage<F, G>,
  s7: Stage<G, H>,
  s8: Stage<H, I>,
): Pipeline<I>;
export function pipeline(source: Source<unknown>, ...stages: AnyStage[]): Pipeline<unknown> {
  return new Pipeline<unknown>(source, stages);
}

function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name}#${count}`;
  });
}

class StageCounter {
  readonly name: string;
  readonly isSource: boolean;
  out = 0;
  created = 0;
  filtered = 0;
  quarantined = 0;
  total: number | undefined;
  bytes: number | undefined;
  totalBytes: number | undefined;
  message: string | undefined;
  readonly filteredBy = new Map<string, number>();
  readonly quarantinedBy = new Map<string, number>();
  startedAt: number | undefined;
  endedAt: number | undefined;
  /**
   * Items between two progress reports: doubled (up to 256) while items come faster than one per
   * 10 ms, halved (down to 1) when they come slower. A slow stream (image files) reports every
   * item; a fast one costs a clock read per `stride` items.
   */
  stride = 1;
  nextReport = 1;
  lastReport = 0;

  constructor(name: string, isSource: boolean) {
    this.name = name;
    this.isSource = isSource;
  }

  /** The stage feeding this one; everything it emitted was taken in here. */
  upstream: StageCounter | undefined;

  /** Items taken in. A source's input is whatever it read: what it emitted, filtered or quarantined. */
  get in(): number {
    return this.upstream ? this.upstream.out : this.out + this.filtered + this.quarantined;
  }

  snapshot(): StageProgress {
    return {
      stage: this.name,
      in: this.in,
      out: this.out,
      created: this.created,
      filtered: this.filtered,
      quarantined: this.quarantined,
      ...(this.total === undefined ? {} : { total: this.total }),
      ...(this.bytes === undefined ? {} : { bytes: this.bytes }),
      ...(this.totalBytes === undefined ? {} : { totalBytes: this.totalBytes }),
      ...(this.message === undefined ? {} : { message: this.message }),
    };
  }

  summary(): StageSummary {
    return {
      ...this.snapshot(),
      filteredBy: Object.fromEntries(this.filteredBy),
      quarantinedBy: Object.fromEntries(this.quarantinedBy),
      timeMs:
        this.startedAt === undefined ? 0 : Math.round((this.endedAt ?? performance.now()) - this.startedAt),
    };
  }
}

/** One run of a pipeline: an async iterable of its output with a live summary. */
export class PipelineExecution<O> implements AsyncIterable<O> {
  readonly #source: Source<unknown>;
  readonly #stages: readonly AnyStage[];
  readonly #options: RunOptions;
  readonly #counters: StageCounter[];
  readonly #runName: string;
  readonly #seed: string;
  #started = false;
  #startedAt = 0;
  #endedAt: number | undefined;
  #ok = false;
  #aborted = false;
  #error: string | undefined;

  constructor(source: Source<unknown>, stages: readonly AnyStage[], options: RunOptions) {
    this.#source = source;
    this.#stages = stages;
    this.#options = options;
    this.#runName = options.name ?? 'pipeline';
    this.#seed = options.rng ? `rng:${options.rng.key}` : String(options.seed ?? 0);
    this.#counters = uniqueNames([source.name, ...stages.map((s) => s.name)]).map(
      (n, i) => new StageCounter(n, i === 0),
    );
  }

  /** Counts so far; final once iteration has finished. */
  get summary(): RunSummary {
    const last = this.#counters[this.#counters.length - 1]!;
    const stages = this.#counters.map((c) => c.summary());
    return {
      run: this.#runName,
      ok: this.#ok,
      aborted: this.#aborted,
      seed: this.#seed,
      wallTimeMs: Math.round((this.#endedAt ?? performance.now()) - (this.#startedAt || performance.now())),
      out: last.out,
      filtered: sum(stages, 'filtered'),
      quarantined: sum(stages, 'quarantined'),
      created: sum(stages, 'created'),
      stages,
      ...(this.#error === undefined ? {} : { error: this.#error }),
    };
  }

  [Symbol.asyncIterator](): AsyncIterator<O> {
    if (this.#started)
      throw new GrowsetError('A pipeline execution can be iterated only once; call start() again');
    this.#started = true;
    return this.#execute();
  }

  async *#execute(): AsyncGenerator<O> {
    const options = this.#options;
    const signal = options.signal ?? new AbortController().signal;
    const logger = options.logger ?? silentLogger;
    const rng = options.rng ?? Rng.create(options.seed ?? 0);
    const sink =
      typeof options.quarantine === 'string' ? new QuarantineFolder(options.quarantine) : options.quarantine;
    const throttle = options.onProgress ? new ThrottledProgress(options.onProgress) : undefined;
    const counters = this.#counters;
    const names = counters.map((c) => c.name);
    // One event builder per stage, called only when the throttle delivers: reporting every item
    // costs a clock read, not an event.
    const events = new Map(
      counters.map((counter) => [
        counter,
        (): ProgressEvent => ({ type: 'stage-progress', run: this.#runName, progress: counter.snapshot() }),
      ]),
    );
    const emit = (counter: StageCounter, force = false) =>
      throttle?.emit(counter.name, events.get(counter)!, force);

    const contexts = counters.map((counter) =>
      makeContext(counter, rng, signal, logger, sink, () => emit(counter)),
    );
    this.#startedAt = performance.now();
    options.onProgress?.({ type: 'run-start', run: this.#runName, stages: names });

    let failure: unknown;
    try {
      if (signal.aborted) throw abortReason(signal);
      let stream: AsyncIterable<unknown> = countOut(
        this.#source.run(contexts[0]!),
        counters[0]!,
        signal,
        emit,
      );
      this.#stages.forEach((stage, index) => {
        const counter = counters[index + 1]!;
        counter.upstream = counters[index]!;
        stream = countOut(stage.run(stream, contexts[index + 1]!), counter, signal, emit);
      });
      // Only the consumer-facing end races the signal: an abort is noticed at once even while
      // a stage is busy; stages see the signal through their context.
      const final = stream[Symbol.asyncIterator]();
      let drained = false;
      try {
        for (;;) {
          const step = options.signal ? await raceAbort(final.next(), options.signal) : await final.next();
          if (step.done) break;
          yield step.value as O;
        }
        drained = true;
      } finally {
        // A consumer that stops early (break) must close the stages and the source (open files).
        // Not after an abort: a busy stage would delay it; the abort reaches stages by signal.
        if (!drained && !signal.aborted) await final.return?.(undefined);
      }
      for (const counter of counters) counter.endedAt ??= performance.now();
      checkAccounting(counters);
      this.#ok = true;
    } catch (error) {
      failure = error;
      this.#aborted = signal.aborted;
      this.#error = errorMessage(error);
      throw error;
    } finally {
      this.#endedAt = performance.now();
      const disposeErrors: unknown[] = [];
      const all = [this.#source, ...this.#stages];
      for (let i = all.length - 1; i >= 0; i--) {
        try {
          await all[i]!.dispose?.();
        } catch (error) {
          disposeErrors.push(
            new StageError(names[i]!, undefined, `dispose failed: ${errorMessage(error)}`, { cause: error }),
          );
        }
      }
      try {
        await sink?.close();
      } catch (error) {
        disposeErrors.push(error);
      }
      throttle?.flush();
      for (const counter of counters) emit(counter, true);
      options.onProgress?.({
        type: 'run-end',
        run: this.#runName,
        stages: counters.map((c) => c.snapshot()),
        ok: this.#ok,
      });
      if (disposeErrors.length > 0) {
        for (const e of disposeErrors) logger.error(errorMessage(e));
        if (failure === undefined) {
          this.#ok = false;
          // biome-ignore lint/correctness/noUnsafeFinally: a failed dispose must surface when nothing else failed
          throw disposeErrors[0];
        }
      }
    }
  }
}

function sum(stages: readonly StageSummary[], key: 'filtered' | 'quarantined' | 'created'): number {
  let total = 0;
  for (const s of stages) total += s[key];
  return total;
}

function makeContext(
  counter: StageCounter,
  runRng: Rng,
  signal: AbortSignal,
  logger: Logger,
  sink: QuarantineSink | undefined,
  emit: () => void,
): StageContext {
  return {
    stage: counter.name,
    rng: runRng.fork(`stage:${counter.name}`),
    signal,
    logger,
    filter(subject: Identified, reason: string, detail?: string) {
      counter.filtered += 1;
      counter.filteredBy.set(reason, (counter.filteredBy.get(reason) ?? 0) + 1);
      if (detail !== undefined) logger.debug(`${counter.name}: filtered ${subject.id}: ${reason}: ${detail}`);
      emit();
    },
    quarantine(subject: Identified, reason: string, options: QuarantineOptions = {}) {
      counter.quarantined += 1;
      counter.quarantinedBy.set(reason, (counter.quarantinedBy.get(reason) ?? 0) + 1);
      const record = quarantineRecord(counter.name, subject, reason, options);
      logger.debug(
        `${counter.name}: quarantined ${subject.id}: ${reason}${record.detail ? `: ${record.detail}` : ''}`,
      );
      sink?.add(record, subject);
      emit();
    },
    created(count = 1) {
      counter.created += count;
    },
    progress(update) {
      if (update.total !== undefined) counter.total = update.total;
      if (update.bytes !== undefined) counter.bytes = update.bytes;
      if (update.totalBytes !== undefined) counter.totalBytes = update.totalBytes;
      if (update.message !== undefined) counter.message = update.message;
      emit();
    },
  };
}

/**
 * Counts a stage's output, checks the signal between items, and wraps unexpected errors so that
 * they name the stage. A hand-written iterator rather than an async generator: it adds one
 * promise reaction per item instead of a generator's queue.
 */
function countOut<T>(
  stream: AsyncIterable<T>,
  counter: StageCounter,
  signal: AbortSignal,
  emit: (counter: StageCounter) => void,
): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      counter.startedAt ??= performance.now();
      const iterator = stream[Symbol.asyncIterator]();
      let done = false;
      const fail = (error: unknown): never => {
        done = true; // an iterator that threw is finished
        if (error instanceof GrowsetError) throw error;
        if (signal.aborted) throw abortReason(signal);
        throw new StageError(counter.name, undefined, errorMessage(error), { cause: error });
      };
      return {
        next(): Promise<IteratorResult<T>> {
          if (done) return Promise.resolve({ done: true, value: undefined });
          if (signal.aborted) {
            // Close the stage before reporting the abort, as a generator's finally would.
            return Promise.resolve(iterator.return?.(undefined)).then(
              () => {
                done = true;
                throw abortReason(signal);
              },
              () => {
                done = true;
                throw abortReason(signal);
              },
            );
          }
          let pending: Promise<IteratorResult<T>>;
          try {
            pending = iterator.next();
          } catch (error) {
            return Promise.reject(fail(error));
          }
          return pending.then((step) => {
            if (step.done) {
              done = true;
              counter.endedAt = performance.now();
              return step;
            }
            counter.out += 1;
            if (counter.out >= counter.nextReport) {
              const now = performance.now();
              counter.stride =
                now - counter.lastReport < 10
                  ? Math.min(256, counter.stride * 2)
                  : Math.max(1, counter.stride >> 1);
              counter.lastReport = now;
              counter.nextReport = counter.out + counter.stride;
              emit(counter);
            }
            return step;
          }, fail);
        },
        async return(value?: unknown): Promise<IteratorResult<T>> {
          if (!done) {
            done = true;
            await iterator.return?.(value);
          }
          return { done: true, value: undefined };
        },
      };
    },
  };
}

function checkAccounting(counters: readonly StageCounter[]): void {
  for (const c of counters) {
    const left = c.out + c.filtered + c.quarantined;
    const entered = c.in + c.created;
    if (entered !== left) {
      throw new AccountingError(
        c.name,
        `${c.in} in + ${c.created} created = ${entered}, but ${c.out} out + ${c.filtered} filtered + ` +
          `${c.quarantined} quarantined = ${left}. Every sample must be passed on, filtered or quarantined.`,
      );
    }
  }
}
