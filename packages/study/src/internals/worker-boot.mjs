// Entry of a study worker thread. Three ways in, fastest first:
// - the bundle the parent built (worker-bundle.ts): one ES module, no TypeScript loader;
// - compiled JavaScript (`worker.js`) when the package runs from its build;
// - the TypeScript sources through tsx's loader (hooks are per thread in Node 20).
// A bundle whose imports cannot be resolved from where it was written falls back to the sources.
import { workerData } from 'node:worker_threads';

let entry;
if (workerData?.bundle) {
  try {
    entry = await import(workerData.bundle);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  }
}
if (!entry && !workerData?.compiled) {
  const { register } = await import('tsx/esm/api');
  register();
}
entry ??= await import(new URL(workerData?.compiled ? './worker.js' : './worker.ts', import.meta.url).href);
await entry.startWorker(entry.bundledModules);
