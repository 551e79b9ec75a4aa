// One thread of the hardware-ceiling measurement in workers.bench.ts: the first layer's MatMul
// of the benchmark's MLP (a batch of 32 digits by 784 x 64 weights) on tfjs's wasm backend, the
// kernel that dominates the study's trials, repeated for a fixed count once told to start.
import { parentPort, workerData } from 'node:worker_threads';

const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-wasm');
await tf.setBackend('wasm');
await tf.ready();
const a = tf.randomNormal([32, 784], 0, 1, 'float32', 1);
const b = tf.randomNormal([784, 64], 0, 1, 'float32', 2);
const step = () => tf.tidy(() => tf.matMul(a, b).dataSync());
for (let i = 0; i < 300; i++) step();
parentPort.postMessage('ready');
parentPort.once('message', () => {
  const started = performance.now();
  for (let i = 0; i < workerData.iterations; i++) step();
  parentPort.postMessage(performance.now() - started);
});
