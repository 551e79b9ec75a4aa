import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '@growset/core';
import type { StudyData } from './dataset.ts';
import type { BundledModules, StudyPlugins } from './plugins.ts';
import { loadPlugins, runTrial, type StudyPlan, type TrialTask } from './trial.ts';
import type { VariantSpec } from './types.ts';

/** What every worker receives once. */
export interface WorkerSetup {
  data: StudyData;
  plan: StudyPlan;
  plugins: StudyPlugins;
  variants: VariantSpec[];
  /** Running from compiled JavaScript: load `worker.js`, no TypeScript loader. */
  compiled?: boolean;
  /** File URL of the worker bundle (worker-bundle.ts), when one could be built. */
  bundle?: string;
}

export type WorkerRequest = { type: 'trial'; id: number; task: TrialTask };
export type WorkerResponse =
  | { type: 'ready' }
  | { type: 'result'; id: number; record: import('./types.ts').TrialRecord }
  | { type: 'fatal'; error: string };

/**
 * The worker proper, started by worker-boot.mjs: loads the plugins (from `bundled` when the
 * worker runs from its bundle), says ready, then runs each trial it is sent.
 */
export async function startWorker(bundled?: BundledModules): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const setup = workerData as WorkerSetup;
  try {
    const plugins = await loadPlugins(setup.plugins, setup.variants, bundled);
    port.on('message', async (message: WorkerRequest) => {
      if (message.type !== 'trial') return;
      const record = await runTrial(setup.data, setup.plan, plugins, message.task);
      port.postMessage({ type: 'result', id: message.id, record } satisfies WorkerResponse);
    });
    port.postMessage({ type: 'ready' } satisfies WorkerResponse);
  } catch (error) {
    port.postMessage({
      type: 'fatal',
      error: errorMessage(error),
    } satisfies WorkerResponse);
  }
}
