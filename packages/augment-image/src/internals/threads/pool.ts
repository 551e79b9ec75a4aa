import { Worker } from 'node:worker_threads';
import { DataError, GrowsetError, type Rng, workerThreadEntry } from '@growset/core';
import type { ApplyOptions } from '../execute.ts';
import type { AugmentTarget } from '../targets/types.ts';
import type { SerializedTransform } from '../transforms/contract.ts';
import type { ThreadOutcome, ThreadResponse, ThreadSetup } from './protocol.ts';

/** How a worker thread starts: built `worker.js`, or the sources through tsx (core's helper). */
const workerEntry = () => workerThreadEntry(import.meta.url);

export type ThreadResult = Extract<ThreadOutcome, { ok: true }>;

interface Slot {
  worker: Worker;
  busy: number;
  isReady: boolean;
}

interface Running {
  slot: Slot;
  resolve: (outcome: ThreadOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Worker threads that run a recipe (rebuilt from its JSON by the default registry) on images
 * handed out round-robin to the least busy thread. Each thread has its own JavaScript engine, so
 * the typed-array and WebAssembly steps of a plan run on every core; libvips' own threads are
 * shared by the process. The bytes do not depend on the thread: a task carries the key of its
 * generator.
 *
 * {@link AugmentThreads.run} resolves `undefined` while no thread is ready and when the threads
 * cannot run this recipe (a transform registered only in the calling thread): the caller then
 * runs it itself.
 */
export class AugmentThreads {
  readonly #threads: number;
  readonly #setup: ThreadSetup;
  #workers: Slot[] | undefined;
  #unusable = false;
  #nextId = 0;
  readonly #running = new Map<number, Running>();

  constructor(recipe: SerializedTransform, threads: number) {
    this.#threads = threads;
    this.#setup = { recipe };
  }

  /**
   * Runs one augmentation on the least busy thread that is ready; `undefined` when none is ready
   * yet (they start on the first call, and the caller works meanwhile: a thread takes a fraction
   * of a second to load), when every thread already has two images, or when the threads cannot
   * run this recipe. The caller runs the image itself then, so it works beside the threads.
   */
  async run(target: AugmentTarget, rng: Rng, options: ApplyOptions): Promise<ThreadResult | undefined> {
    if (this.#unusable) return undefined;
    const ready = this.#start().filter((w) => w.isReady);
    if (ready.length === 0) return undefined;
    const slot = ready.reduce((best, w) => (w.busy < best.busy ? w : best));
    // Every thread has one image in work and one queued: the caller takes this one itself.
    if (slot.busy >= 2) return undefined;
    slot.busy++;
    // Busy threads keep the process alive; idle ones must not (a run may never close the pool).
    if (slot.busy === 1) slot.worker.ref();
    try {
      const id = this.#nextId++;
      const outcome = await new Promise<ThreadOutcome>((resolve, reject) => {
        this.#running.set(id, { slot, resolve, reject });
        slot.worker.postMessage({ type: 'task', id, task: { target, rngKey: rng.key, options } });
      });
      if (outcome.ok) return outcome;
      throw rebuildError(outcome.error);
    } finally {
      slot.busy--;
      if (slot.busy === 0) slot.worker.unref();
    }
  }

  /**
   * Starts the threads loading (idempotent) without waiting for them: a stage calls it when its
   * run starts, so they load while the source lists and reads the first files.
   */
  start(): void {
    this.#start();
  }

  /** Starts the threads; resolves `true` once every one is ready, `false` if they cannot run the recipe. */
  whenReady(): Promise<boolean> {
    const slots = this.#start();
    return new Promise((resolve) => {
      const check = () => {
        if (this.#unusable) resolve(false);
        else if (slots.every((w) => w.isReady)) resolve(true);
        else setTimeout(check, 5);
      };
      check();
    });
  }

  /**
   * Stops every thread (idempotent). Does not wait for threads still loading (terminating one
   * mid-load can take a second or more); being unreferenced, they never hold the process.
   */
  async close(): Promise<void> {
    const workers = this.#workers ?? [];
    this.#workers = undefined;
    const stopping = workers.map((w) => w.worker.terminate());
    await Promise.all(stopping.filter((_, i) => workers[i]!.isReady));
  }

  #start(): Slot[] {
    if (this.#workers) return this.#workers;
    const entry = workerEntry();
    this.#workers = Array.from({ length: this.#threads }, () => {
      const worker = new Worker(entry.url, {
        workerData: this.#setup,
        ...(entry.execArgv ? { execArgv: entry.execArgv } : {}),
      });
      worker.unref();
      const slot: Slot = { worker, busy: 0, isReady: false };
      worker.on('message', (message: ThreadResponse) => {
        if (message.type === 'ready') slot.isReady = true;
        else if (message.type === 'fatal') this.#unusable = true;
        else {
          const running = this.#running.get(message.id);
          this.#running.delete(message.id);
          running?.resolve(message.outcome);
        }
      });
      // A thread that fails or stops (closed while busy: an aborted run) fails its own tasks.
      const failTasks = (error: unknown) => {
        slot.isReady = false;
        for (const [id, running] of this.#running) {
          if (running.slot !== slot) continue;
          this.#running.delete(id);
          running.reject(error);
        }
      };
      worker.on('error', (error) => {
        this.#unusable = true;
        failTasks(error);
      });
      worker.on('exit', (code) => failTasks(new Error(`augmentation thread stopped (exit code ${code})`)));
      return slot;
    });
    return this.#workers;
  }
}

function rebuildError(error: Extract<ThreadOutcome, { ok: false }>['error']): Error {
  if (error.name === 'DataError' && error.reason !== undefined) {
    const prefix = `${error.reason}: `;
    const detail = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : undefined;
    return new DataError(error.reason, detail);
  }
  if (error.name === 'GrowsetError' || error.code)
    return new GrowsetError(error.message, { code: error.code ?? 'ERR_GROWSET' });
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}
