import { Worker } from 'node:worker_threads';
import { AbortError, GrowsetError, workerThreadEntry } from '@growset/core';
import { loadPlugins } from './plugins.ts';
import { runTrial, type TrialTask } from './trial.ts';
import type { TrialRecord } from './types.ts';
import type { WorkerRequest, WorkerResponse, WorkerSetup } from './worker.ts';

/**
 * Where a study's pending trials run: `runTrialPool` (worker threads of this process, the
 * default) or any runner with the same contract, such as @growset/queue's (workers on other
 * machines). `onResult` is called once per trial, in completion order.
 */
export type TrialRunner = ((
  tasks: readonly TrialTask[],
  setup: WorkerSetup,
  options: PoolOptions,
  // biome-ignore lint/suspicious/noConfusingVoidType: runTrialPool (Promise<void>) is the default runner
) => Promise<void | TrialRunReport>) & {
  /**
   * Where a runner whose workers are elsewhere sends trials (`the queue at redis://***@host:6379`),
   * for the study's log; such a runner ignores `options.workers` and says in its
   * {@link TrialRunReport} how many workers took part. Absent: this process's worker threads.
   */
  readonly where?: string;
};

/** What a runner whose workers are elsewhere reports when its trials are done. */
export interface TrialRunReport {
  /** Worker processes that returned this run's trials (0 when every trial was already done). */
  workers: number;
  /** Where trials went, without credentials (results.json's `config.queue`). */
  queue?: string;
}

export interface PoolOptions {
  /** Worker threads; 0 runs trials in this thread. */
  workers: number;
  signal?: AbortSignal;
  /** Called as each trial finishes (in completion order). Throwing stops the pool. */
  onResult: (record: TrialRecord) => void | Promise<void>;
}

/** How a worker thread starts: built `worker.js`, or the sources through tsx (core's helper). */
const workerEntry = () => workerThreadEntry(import.meta.url);

/**
 * Runs trials on a pool of worker threads (each loads the data and plugins once), handing out the
 * next task as soon as a worker is free. Results do not depend on which worker ran a trial: each
 * trial draws only from generators forked by its own key.
 */
export async function runTrialPool(
  tasks: readonly TrialTask[],
  setup: WorkerSetup,
  options: PoolOptions,
): Promise<void> {
  if (tasks.length === 0) return;
  if (options.workers <= 0) {
    const plugins = await loadPlugins(setup.plugins, setup.variants);
    for (const task of tasks) {
      if (options.signal?.aborted) throw new AbortError();
      await options.onResult(await runTrial(setup.data, setup.plan, plugins, task));
    }
    return;
  }
  const count = Math.min(options.workers, tasks.length);
  const entry = workerEntry();
  const workers: Worker[] = [];
  let next = 0;
  let finished = 0;
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      reject(error);
    };
    const onAbort = () => fail(new AbortError('The study was aborted'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const dispatch = (worker: Worker) => {
      if (failed) return;
      if (next >= tasks.length) return;
      const id = next++;
      worker.postMessage({ type: 'trial', id, task: tasks[id] });
    };
    for (let w = 0; w < count; w++) {
      const worker = new Worker(entry.url, {
        workerData: setup,
        ...(entry.execArgv ? { execArgv: entry.execArgv } : {}),
        // Each worker is single threaded; leave the libuv pool small.
        env: { ...process.env, UV_THREADPOOL_SIZE: '2' },
      });
      workers.push(worker);
      worker.on('message', (message: WorkerResponse) => {
        if (message.type === 'ready') dispatch(worker);
        else if (message.type === 'fatal')
          fail(new GrowsetError(`A study worker could not start: ${message.error}`, { code: 'ERR_WORKER' }));
        else if (message.type === 'result') {
          // Hand out the next trial first: the worker should not wait for the journal write.
          dispatch(worker);
          Promise.resolve(options.onResult(message.record)).then(() => {
            finished += 1;
            if (finished === tasks.length) resolve();
          }, fail);
        }
      });
      worker.on('error', (error) =>
        fail(
          new GrowsetError(`A study worker crashed: ${error.message}`, { code: 'ERR_WORKER', cause: error }),
        ),
      );
      worker.on('exit', (code) => {
        if (code !== 0 && finished < tasks.length)
          fail(new GrowsetError(`A study worker exited with code ${code}`, { code: 'ERR_WORKER' }));
      });
    }
  }).finally(async () => {
    await Promise.all(workers.map((w) => w.terminate()));
  });
}

/**
 * Trial threads started before their study is known (a queue worker starts them when it starts):
 * each loads the estimators and initializes the training backend (tfjs, its wasm) while it waits,
 * so the first trial a {@link TrialThreads} gives it does not pay for that. `ready` resolves when
 * every one is warm (or has failed: a failed spare is dropped, and a cold thread replaces it).
 */
export class SpareThreads {
  readonly ready: Promise<void>;
  readonly #idle: Worker[] = [];
  readonly #detach = new Map<Worker, () => void>();

  constructor(count: number) {
    const entry = workerEntry();
    const warm: Promise<void>[] = [];
    for (let i = 0; i < Math.max(0, Math.floor(count)); i++) {
      const worker = new Worker(entry.url, {
        ...(entry.execArgv ? { execArgv: entry.execArgv } : {}),
        env: { ...process.env, UV_THREADPOOL_SIZE: '2' },
      });
      this.#idle.push(worker);
      warm.push(
        new Promise<void>((resolve) => {
          const onMessage = (message: WorkerResponse) => {
            if (message.type === 'warm') resolve();
          };
          const onGone = () => {
            this.#take(worker);
            resolve();
          };
          worker.on('message', onMessage);
          worker.on('error', onGone);
          worker.on('exit', onGone);
          this.#detach.set(worker, () => {
            worker.off('message', onMessage);
            worker.off('error', onGone);
            worker.off('exit', onGone);
            resolve();
          });
        }),
      );
    }
    this.ready = Promise.all(warm).then(() => {});
  }

  /** A spare thread for a study (it then waits for a `setup` message), if one is left. */
  take(): Worker | undefined {
    const worker = this.#idle[0];
    if (worker) this.#take(worker);
    return worker;
  }

  async close(): Promise<void> {
    const left = this.#idle.slice();
    for (const worker of left) this.#take(worker);
    await Promise.all(left.map((w) => w.terminate()));
  }

  #take(worker: Worker): void {
    const index = this.#idle.indexOf(worker);
    if (index >= 0) this.#idle.splice(index, 1);
    this.#detach.get(worker)?.();
    this.#detach.delete(worker);
  }
}

/**
 * A long-lived pool of trial threads for one study setup (the queue's workers use it): `run`
 * queues a trial and resolves with its record once a thread is free and has run it. `threads: 0`
 * runs trials in this thread.
 */
export class TrialThreads {
  readonly #setup: WorkerSetup;
  readonly #size: number;
  readonly #idle: Worker[] = [];
  readonly #all: Worker[] = [];
  readonly #waiting: { task: TrialTask; resolve: (r: TrialRecord) => void; reject: (e: unknown) => void }[] =
    [];
  readonly #running = new Map<Worker, { resolve: (r: TrialRecord) => void; reject: (e: unknown) => void }>();
  readonly #spares: SpareThreads | undefined;
  #local: Promise<Awaited<ReturnType<typeof loadPlugins>>> | undefined;
  #closed = false;
  #nextId = 0;

  /** `spares`: warm threads to use before starting new ones. */
  constructor(setup: WorkerSetup, threads: number, options: { spares?: SpareThreads } = {}) {
    this.#setup = setup;
    this.#size = Math.max(0, Math.floor(threads));
    this.#spares = options.spares;
  }

  /** Runs one trial (same record whatever thread runs it). */
  async run(task: TrialTask): Promise<TrialRecord> {
    if (this.#closed) throw new GrowsetError('The trial threads are closed', { code: 'ERR_WORKER' });
    if (this.#size === 0) {
      this.#local ??= loadPlugins(this.#setup.plugins, this.#setup.variants);
      return await runTrial(this.#setup.data, this.#setup.plan, await this.#local, task);
    }
    return await new Promise<TrialRecord>((resolve, reject) => {
      this.#waiting.push({ task, resolve, reject });
      if (this.#all.length < this.#size && this.#idle.length === 0) this.#spawn();
      else this.#pump();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const w of this.#waiting.splice(0)) w.reject(new AbortError('The trial threads were closed'));
    await Promise.all(this.#all.map((w) => w.terminate()));
  }

  #spawn(): void {
    const spare = this.#spares?.take();
    const worker = spare ?? this.#start();
    this.#all.push(worker);
    const failAll = (error: Error) => {
      this.#running.get(worker)?.reject(error);
      this.#running.delete(worker);
      const index = this.#all.indexOf(worker);
      if (index >= 0) this.#all.splice(index, 1);
      const idle = this.#idle.indexOf(worker);
      if (idle >= 0) this.#idle.splice(idle, 1);
      worker.terminate().catch(() => {});
      if (this.#all.length === 0) for (const w of this.#waiting.splice(0)) w.reject(error);
    };
    worker.on('message', (message: WorkerResponse) => {
      if (message.type === 'ready') {
        this.#idle.push(worker);
        this.#pump();
      } else if (message.type === 'fatal') {
        failAll(new GrowsetError(`A study worker could not start: ${message.error}`, { code: 'ERR_WORKER' }));
      } else if (message.type === 'result') {
        const pending = this.#running.get(worker);
        this.#running.delete(worker);
        this.#idle.push(worker);
        pending?.resolve(message.record);
        this.#pump();
      }
    });
    worker.on('error', (error) =>
      failAll(
        new GrowsetError(`A study worker crashed: ${error.message}`, { code: 'ERR_WORKER', cause: error }),
      ),
    );
    worker.on('exit', (code) => {
      if (!this.#closed)
        failAll(new GrowsetError(`A study worker exited with code ${code}`, { code: 'ERR_WORKER' }));
    });
    // A spare thread loads the plugins and says ready once it has the setup.
    if (spare) spare.postMessage({ type: 'setup', setup: this.#setup } satisfies WorkerRequest);
  }

  #start(): Worker {
    const entry = workerEntry();
    return new Worker(entry.url, {
      workerData: this.#setup,
      ...(entry.execArgv ? { execArgv: entry.execArgv } : {}),
      env: { ...process.env, UV_THREADPOOL_SIZE: '2' },
    });
  }

  #pump(): void {
    while (this.#idle.length > 0 && this.#waiting.length > 0) {
      const worker = this.#idle.shift()!;
      const next = this.#waiting.shift()!;
      this.#running.set(worker, next);
      worker.postMessage({ type: 'trial', id: this.#nextId++, task: next.task });
    }
    if (this.#waiting.length > 0 && this.#all.length < this.#size) this.#spawn();
  }
}
