import { type LabeledData, Rng } from '@growset/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEstimator, initBackend, type TunedEstimator, type TunedFitResult } from '../src/index.ts';
import { blobs } from './helpers/data.ts';

beforeAll(async () => {
  await initBackend();
});

const data = blobs(90, 4, 3, 'tuned', 1.3);

describe('tuned estimator', () => {
  it('searches on its own training data, refits the best spec, and rebuilds from its params', async () => {
    const spec = {
      model: 'tuned',
      base: { model: 'knn' },
      space: { k: [1, 5, 15] },
      strategy: 'grid',
      folds: 3,
    };
    const estimator = createEstimator(spec) as TunedEstimator;
    expect(estimator.name).toBe('tuned(knn)');
    const result = (await estimator.fit(data, { rng: Rng.create(1) })) as TunedFitResult;
    expect(result.search.ranked).toHaveLength(3);
    expect(result.best).toEqual(result.search.best.spec);
    expect([1, 5, 15]).toContain(result.best.k);
    const metrics = await estimator.score(data);
    expect(metrics.accuracy).toBeGreaterThan(0.8);
    const clone = createEstimator(estimator.getParams());
    await clone.fit(data, { rng: Rng.create(1) });
    expect(await clone.predictProba(data)).toEqual(await estimator.predictProba(data));
    clone.dispose();
    estimator.dispose();
  });

  it('rejects a bad search space naming the field', () => {
    expect(() => createEstimator({ model: 'tuned', base: { model: 'knn' }, space: {} })).toThrow(
      /option `space` in TunedOptions/,
    );
    expect(() => createEstimator({ model: 'tuned', base: { model: 'nope' }, space: { k: [1] } })).toThrow(
      /option `base.model` in TunedOptions/,
    );
  });
});

describe('fresh data every epoch (FitOptions.epochData)', () => {
  it('trains each epoch on the rows epochData returns', async () => {
    const seen: number[] = [];
    // Every epoch gets the same rows with new noise: the network must still learn the blobs.
    const rng = Rng.create('noise');
    const epochData = (epoch: number): LabeledData => {
      seen.push(epoch);
      const r = rng.fork(`epoch-${epoch}`);
      return { ...data, x: data.x.map((v) => v + r.normal(0, 0.05)) };
    };
    const mlp = createEstimator({ model: 'mlp', hidden: [16], epochs: 6, learningRate: 0.02 });
    const result = await mlp.fit(data, { rng: Rng.create(2), epochData });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.epochs).toBe(6);
    expect((await mlp.score(data)).accuracy).toBeGreaterThan(0.8);
    mlp.dispose();
  });

  it('refuses epoch data with another number of rows, and epochData with a validation split', async () => {
    const mlp = createEstimator({ model: 'mlp', hidden: [8], epochs: 2 });
    const half: LabeledData = {
      ...data,
      x: data.x.subarray(0, data.x.length / 2),
      y: data.y.subarray(0, data.y.length / 2),
    };
    await expect(mlp.fit(data, { epochData: () => half })).rejects.toThrow(
      /epochData\(1\) returned 45 rows .* expected 90 rows/,
    );
    mlp.dispose();
    const split = createEstimator({ model: 'mlp', hidden: [8], epochs: 2, validationSplit: 0.2 });
    await expect(split.fit(data, { epochData: () => data })).rejects.toThrow(
      /option `epochData` in FitOptions/,
    );
    split.dispose();
  });
});
