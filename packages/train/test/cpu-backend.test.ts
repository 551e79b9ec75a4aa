// Every model kind trains end to end on the plain cpu backend (the path tfjs-node's backend
// mirrors: stock tfjs kernels, the optimizer as tf ops, no growset kernels) and reaches the wasm
// backend's accuracy within noise on a small task.
import { type LabeledData, Rng } from '@growset/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createEstimator, type EstimatorSpec, estimatorRegistry, initBackend } from '../src/index.ts';
import { blobs, tinyImages } from './helpers/data.ts';

const tabular = { train: blobs(90, 4, 3, 'backends', 1.1), test: blobs(150, 4, 3, 'backends-test', 1.1) };
const images = { train: tinyImages(48, 8, 'backends'), test: tinyImages(60, 8, 'backends-test') };
/**
 * Every registered estimator, with its first registered example: a model added to the registry is
 * covered here without a line of this file. Floors: 0.8, or 0.3 for an estimator that opts out of
 * learning (the majority baseline).
 */
const cases = estimatorRegistry.definitions.map((definition) => {
  const example = definition.examples[0]!;
  return {
    name: definition.name,
    spec: example.spec,
    data: example.data === 'images' ? images : tabular,
    floor: definition.optOuts?.learns ? 0.3 : 0.8,
  };
});

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
  it.each(cases)('$name', async ({ spec, data, floor }) => {
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
