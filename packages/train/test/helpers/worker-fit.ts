// Runs inside a worker thread (see backend.test.ts): initializes the backend there (auto), twice,
// and fits a small CNN, whose gradients need growset's wasm kernels.
import { parentPort } from 'node:worker_threads';
import { Rng } from '@growset/core';
import { cnn, initBackend } from '../../src/index.ts';
import { tinyImages } from './data.ts';

const first = await initBackend();
const second = await initBackend();
const estimator = cnn({ conv: [2], epochs: 3, batchSize: 8, learningRate: 0.01 });
const result = await estimator.fit(tinyImages(24, 6, 'worker'), { rng: Rng.create(1) });
const proba = await estimator.predictProba(tinyImages(6, 6, 'worker-query'));
estimator.dispose();
parentPort?.postMessage({
  backend: first.name,
  skipped: first.skipped,
  sameInfo: first === second,
  kernels: first.kernels,
  fitBackend: result.backend,
  proba: Array.from(proba),
});
