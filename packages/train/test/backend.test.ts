import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Rng } from '@growset/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { cnn, describeBackend, initBackend } from '../src/index.ts';
import { NATIVE_IN_WORKER } from '../src/internals/backend/init.ts';
import { tinyImages } from './helpers/data.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

function runWorker(): Promise<{
  backend: string;
  skipped: { backend: string; reason: string }[];
  sameInfo: boolean;
  kernels: string[];
  fitBackend: string;
  proba: number[];
}> {
  return new Promise((resolve, reject) => {
    // Workers do not inherit tsx's loader: register it first, then load the TypeScript entry.
    const entry = JSON.stringify(new URL('./helpers/worker-fit.ts', import.meta.url).href);
    const code = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); })`;
    const worker = new Worker(code, { eval: true });
    worker.once('message', (message) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

const TFJS_NODE = '@tensorflow/tfjs-node';
/** A missing package, as Node (`Cannot find package`) or vite (`Could not resolve`) words it. */
const NOT_FOUND = /(Cannot find (package|module)|Could not resolve) .?@tensorflow\/tfjs-node/;

/** Whether tfjs-node resolves from this package, as growset's own import of it would. */
function tfjsNodeResolves(): boolean {
  try {
    createRequire(import.meta.url).resolve(TFJS_NODE);
    return true;
  } catch {
    return false;
  }
}

describe('backend selection', () => {
  it('auto takes tfjs-node when it resolves and loads, else wasm and says why; and is idempotent', async () => {
    const info = await initBackend();
    if (!tfjsNodeResolves()) {
      expect(info.name).toBe('wasm');
      expect(info.skipped).toEqual([
        {
          backend: 'tensorflow',
          reason: expect.stringMatching(NOT_FOUND),
        },
      ]);
      expect(describeBackend(info)).toMatch(/\[tensorflow unavailable: /);
    } else if (info.name === 'tensorflow') {
      expect(info.skipped).toEqual([]);
      expect(tf.getBackend()).toBe('tensorflow');
    } else {
      // Installed, but its native part did not load: the reason is that failure, not a missing package.
      expect(info.name).toBe('wasm');
      expect(info.skipped[0]?.backend).toBe('tensorflow');
      expect(info.skipped[0]?.reason).not.toMatch(NOT_FOUND);
    }
    expect(await initBackend()).toBe(info);
  });

  it('describes the wasm backend: SIMD, one thread, growset kernels', async () => {
    const info = await initBackend({ backend: 'wasm' });
    expect(info).toMatchObject({ name: 'wasm', simd: true, threads: 1, skipped: [] });
    expect(describeBackend(info)).toMatch(/^wasm \(SIMD; 1 thread; growset kernels: .*Conv2DBackpropFilter/);
    // `auto` keeps the thread's explicit choice.
    expect(await initBackend()).toBe(info);
  });

  it('never auto-loads tfjs-node in a worker thread; initializes wasm and its kernels there, with the same results as the main thread', async () => {
    const fromWorker = await runWorker();
    expect(fromWorker.backend).toBe('wasm');
    expect(fromWorker.skipped).toEqual([{ backend: 'tensorflow', reason: NATIVE_IN_WORKER }]);
    expect(fromWorker.sameInfo).toBe(true);
    expect(fromWorker.kernels).toContain('Conv2DBackpropFilter');
    expect(fromWorker.fitBackend).toBe('wasm');
    await initBackend({ backend: 'wasm' });
    const estimator = cnn({ conv: [2], epochs: 3, batchSize: 8, learningRate: 0.01 });
    await estimator.fit(tinyImages(24, 6, 'worker'), { rng: Rng.create(1) });
    const proba = await estimator.predictProba(tinyImages(6, 6, 'worker-query'));
    estimator.dispose();
    expect(fromWorker.proba).toEqual(Array.from(proba));
  });

  it('honours GROWSET_BACKEND=cpu and rejects an unknown backend name', () => {
    const script = `
      import { initBackend } from ${JSON.stringify(here('../src/index.ts'))};
      const info = await initBackend();
      console.log(JSON.stringify({ name: info.name }));
      try { await initBackend({ backend: 'gpu' }); } catch (e) { console.log(JSON.stringify({ error: e.message })); }
    `;
    const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, GROWSET_BACKEND: 'cpu' },
      encoding: 'utf8',
    });
    const lines = out.stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(JSON.parse(lines[0]!)).toEqual({ name: 'cpu' });
    expect(JSON.parse(lines[1]!).error).toMatch(
      /option `backend` in BackendOptions: expected one of "auto", "tensorflow", "wasm", "cpu", got `"gpu"`/,
    );
  });
});
