// Every model kind trains end to end on the plain cpu backend (the path tfjs-node's backend
// mirrors: stock tfjs kernels, the optimizer as tf ops, no growset kernels) and reaches the wasm
// backend's accuracy within noise on a small task.
import { type LabeledData, Rng } from '@growset/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createEstimator, type EstimatorSpec, initBackend, MODELS, type ModelName } from '../src/index.ts';
import { blobs, tinyImages } from './helpers/data.ts';

const tabular = { train: blobs(90, 4, 3, 'backends', 1.1), test: blobs(150, 4, 3, 'backends-test', 1.1) };
const images = { train: tinyImages(48, 8, 'backends'), test: tinyImages(60, 8, 'backends-test') };
const logistic = { model: 'logistic', epochs: 15, learningRate: 0.05 };

/** One small spec per model name (a model without one is a type error), and its data. */
const registry: Record<ModelName, { spec: EstimatorSpec; data: typeof tabular; floor: number }> = {
  mlp: {
    spec: { model: 'mlp', hidden: [16], epochs: 15, batchSize: 16, learningRate: 0.02 },
    data: tabular,
    floor: 0.8,
  },
  cnn: {
    spec: { model: 'cnn', conv: [4], dense: [8], epochs: 12, batchSize: 8, learningRate: 0.01 },
    data: images,
    floor: 0.8,
  },
  logistic: { spec: { ...logistic, model: 'logistic' }, data: tabular, floor: 0.8 },
  knn: { spec: { model: 'knn', k: 5 }, data: tabular, floor: 0.8 },
  majority: { spec: { model: 'majority' }, data: tabular, floor: 0.3 },
  bagging: { spec: { model: 'bagging', base: logistic, n: 3 }, data: tabular, floor: 0.8 },
  adaboost: { spec: { model: 'adaboost', base: logistic, n: 3 }, data: tabular, floor: 0.8 },
  stacking: {
    spec: {
      model: 'stacking',
      estimators: [{ model: 'knn', k: 3 }, logistic],
      folds: 3,
      meta: { epochs: 20 },
    },
    data: tabular,
    floor: 0.8,
  },
  voting: {
    spec: { model: 'voting', estimators: [{ model: 'knn' }, logistic], voting: 'soft' },
    data: tabular,
    floor: 0.8,
  },
  tuned: {
    spec: { model: 'tuned', base: logistic, space: { l2: [0, 1e-3] }, strategy: 'grid', folds: 2 },
    data: tabular,
    floor: 0.8,
  },
};

async function accuracyOn(
  backend: 'wasm' | 'cpu',
  spec: EstimatorSpec,
  data: typeof tabular,
): Promise<number> {
  await initBackend({ backend });
  const estimator = createEstimator(spec);
  try {
    await estimator.fit(data.train as LabeledData, { rng: Rng.create(11) });
    // The estimator's own initBackend() call kept the explicit choice.
    expect(tf.getBackend()).toBe(backend);
    return (await estimator.score(data.test)).accuracy;
  } finally {
    estimator.dispose();
  }
}

describe('every model trains on the cpu backend as well as on wasm', () => {
  it.each(MODELS.map((m) => [m, registry[m]] as const))('%s', async (_model, { spec, data, floor }) => {
    const wasm = await accuracyOn('wasm', spec, data);
    const cpu = await accuracyOn('cpu', spec, data);
    expect(wasm).toBeGreaterThanOrEqual(floor);
    expect(cpu).toBeGreaterThanOrEqual(floor);
    // Same seed, same algorithm: only float rounding differs between the backends. 0.05 is about
    // one and a half standard errors of an accuracy near 0.9 on 60 to 150 test samples.
    expect(Math.abs(cpu - wasm)).toBeLessThanOrEqual(0.05);
  });

  it('an explicit initBackend choice holds through fit (estimators call initBackend() themselves)', async () => {
    const info = await initBackend({ backend: 'cpu' });
    expect(await initBackend()).toBe(info);
    const estimator = createEstimator({ model: 'mlp', hidden: [4], epochs: 1 });
    const result = await estimator.fit(tabular.train, { rng: Rng.create(1) });
    expect(result.backend).toBe('cpu');
    estimator.dispose();
  });
});
