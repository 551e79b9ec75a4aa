import { Worker } from 'node:worker_threads';
import { AbortError, GrowsetError } from '@growset/core';
import { loadPlugins } from './plugins.ts';
import { runTrial, type TrialTask } from './trial.ts';
import type { TrialRecord } from './types.ts';
import type { WorkerResponse, WorkerSetup } from './worker.ts';

export interface PoolOptions {
  /** Worker threads; 0 runs trials in this thread. */
  workers: number;
  signal?: AbortSignal;
  /** Called as each trial finishes (in completion order). Throwing stops the pool. */
  onResult: (record: TrialRecord) => void | Promise<void>;
}

/** The export condition under which growset's packages resolve to their TypeScript sources. */
const SOURCE_CONDITION = '@growset/source';

/**
 * How a worker thread starts: built JavaScript loads `worker.js` as it is; the TypeScript sources
 * (this module runs as `.ts` only in the repository) load through worker-source.mjs, which
 * registers tsx, with growset's packages resolved to their sources.
 */
function workerEntry(): { url: URL; execArgv?: string[] } {
  if (!import.meta.url.endsWith('.ts')) return { url: new URL('./worker.js', import.meta.url) };
  const execArgv = process.execArgv.some((a) => a.includes(SOURCE_CONDITION))
    ? process.execArgv
    : [...process.execArgv, `--conditions=${SOURCE_CONDITION}`];
  return { url: new URL('./worker-source.mjs', import.meta.url), execArgv };
}

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
