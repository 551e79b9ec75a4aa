import { parentPort, workerData } from 'node:worker_threads';
import { DataError, errorMessage, GrowsetError, Rng } from '@growset/core';
import { augment } from '../execute.ts';
import { parseRecipe } from '../transforms/builtins.ts';
import { paramsToJson } from '../transforms/contract.ts';
import type { ThreadOutcome, ThreadRequest, ThreadResponse, ThreadSetup } from './protocol.ts';

/**
 * An augmentation thread (this module is its entry; pool.ts starts it): rebuilds the recipe from
 * its JSON, says ready, then runs each task it is sent. A task draws from `Rng.fromKey(rngKey)`,
 * the very generator the calling thread would have used, so the bytes do not depend on the thread.
 */
function startWorker(): void {
  const port = parentPort;
  if (!port) return;
  const setup = workerData as ThreadSetup;
  let recipe: ReturnType<typeof parseRecipe>;
  try {
    recipe = parseRecipe(setup.recipe);
  } catch (error) {
    port.postMessage({ type: 'fatal', error: errorMessage(error) } satisfies ThreadResponse);
    return;
  }
  port.on('message', async (message: ThreadRequest) => {
    if (message.type !== 'task') return;
    let outcome: ThreadOutcome;
    try {
      const { task } = message;
      const result = await augment(recipe, task.target, Rng.fromKey(task.rngKey), task.options);
      outcome = {
        ok: true,
        target: result.target,
        params: paramsToJson(result.params),
        dropped: result.dropped,
        plan: result.plan,
      };
    } catch (error) {
      outcome = { ok: false, error: describeError(error) };
    }
    port.postMessage({ type: 'result', id: message.id, outcome } satisfies ThreadResponse);
  });
  port.postMessage({ type: 'ready' } satisfies ThreadResponse);
}

function describeError(error: unknown): Extract<ThreadOutcome, { ok: false }>['error'] {
  if (error instanceof DataError)
    return { name: 'DataError', message: error.message, reason: error.reason, code: error.code };
  if (error instanceof GrowsetError)
    return { name: 'GrowsetError', message: error.message, code: error.code };
  return { name: error instanceof Error ? error.name : 'Error', message: errorMessage(error) };
}

startWorker();
