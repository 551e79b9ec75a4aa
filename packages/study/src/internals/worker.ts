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

export type WorkerRequest = { type: 'trial'; id: number; task: TrialTask };
export type WorkerResponse =
  | { type: 'ready' }
  | { type: 'result'; id: number; record: TrialRecord }
  | { type: 'fatal'; error: string };

/**
 * A study worker thread (this module is its entry; pool.ts starts it): loads the plugins, says
 * ready, then runs each trial it is sent.
 */
async function startWorker(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const setup = workerData as WorkerSetup;
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
