// Entry of a study worker thread. Sources are TypeScript: register tsx's loader in this thread
// (loader hooks are per thread in Node 20), then start the worker proper.
import { workerData } from 'node:worker_threads';

if (!workerData?.compiled) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(new URL(workerData?.compiled ? './worker.js' : './worker.ts', import.meta.url).href);
