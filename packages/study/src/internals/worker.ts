import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '@growset/core';
import type { StudyData } from './dataset.ts';
import { loadPlugins, type StudyPlugins } from './plugins.ts';
import { runTrial, type StudyPlan, type TrialTask } from './trial.ts';
import type { TrialRecord, VariantSpec } from './types.ts';

/** What every worker receives once. */
export interface WorkerSetup {
  data: StudyData;
  plan: StudyPlan;
  plugins: StudyPlugins;
  variants: VariantSpec[];
}

export type WorkerRequest =
  | { type: 'trial'; id: number; task: TrialTask }
  /** To a spare thread (started without a setup): the study it serves from now on. */
  | { type: 'setup'; setup: WorkerSetup };
export type WorkerResponse =
  | { type: 'ready' }
  /** A spare thread has warmed up and waits for its setup. */
  | { type: 'warm' }
  | { type: 'result'; id: number; record: TrialRecord }
  | { type: 'fatal'; error: string };

/**
 * What a spare thread does while it waits for its study: loads the estimators and initializes the
 * training backend (tfjs and its wasm), the fixed cost a thread's first trial pays otherwise.
 * The same `initBackend()` every estimator calls before it fits, so trials see the same backend.
 * Errors are left for the trial to report.
 */
async function warmUp(): Promise<void> {
  try {
    await import('@growset/train/study');
    await (await import('@growset/train')).initBackend();
  } catch {}
}

/**
 * A study worker thread (this module is its entry; pool.ts starts it): loads the plugins, says
 * ready, then runs each trial it is sent. A spare thread (no workerData) warms up first and takes
 * its setup from a `setup` message.
 */
async function startWorker(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  if (workerData === undefined) {
    const warm = warmUp().then(() => port.postMessage({ type: 'warm' } satisfies WorkerResponse));
    port.once('message', async (message: WorkerRequest) => {
      if (message.type !== 'setup') return;
      await warm;
      await serve(port, message.setup);
    });
    return;
  }
  await serve(port, workerData as WorkerSetup);
}

async function serve(port: NonNullable<typeof parentPort>, setup: WorkerSetup): Promise<void> {
  try {
    const plugins = await loadPlugins(setup.plugins, setup.variants);
    port.on('message', async (message: WorkerRequest) => {
      if (message.type !== 'trial') return;
      const record = await runTrial(setup.data, setup.plan, plugins, message.task);
      port.postMessage({ type: 'result', id: message.id, record } satisfies WorkerResponse);
    });
    port.postMessage({ type: 'ready' } satisfies WorkerResponse);
  } catch (error) {
    port.postMessage({ type: 'fatal', error: errorMessage(error) } satisfies WorkerResponse);
  }
}

if (!isMainThread) await startWorker();
