import { Rng } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { candidateSpec, search, tuned, validationCurve } from '../src/index.ts';
import { blobs } from './helpers/data.ts';

const data = blobs(60, 3, 3, 'space', 0.8);

describe('search spaces over the hyperparameters people tune', () => {
  it('turns an mlp candidate`s layers and units into hidden, keeping the base`s other options', () => {
    const base = { model: 'mlp', hidden: [32, 16], learningRate: 0.01 };
    expect(candidateSpec(base, { layers: 3, units: 8, activation: 'tanh' })).toEqual({
      model: 'mlp',
      hidden: [8, 8, 8],
      learningRate: 0.01,
      activation: 'tanh',
    });
    expect(candidateSpec(base, { units: 64 }).hidden).toEqual([64, 64]);
    expect(candidateSpec(base, { layers: 1 }).hidden).toEqual([32]);
    expect(() => candidateSpec({ model: 'cnn' }, { units: 8 })).toThrow(/apply to an mlp base, not `cnn`/);
  });

  it('searches activation, depth, width, learning rate, batch size, epochs, L1, L2 and dropout', async () => {
    const result = await search(
      data,
      {
        base: { model: 'mlp', hidden: [8] },
        space: {
          activation: ['relu', 'tanh', 'elu'],
          layers: [1, 2],
          units: { int: [4, 12] },
          learningRate: { logUniform: [3e-3, 3e-2] },
          batchSize: [8, 16],
          epochs: [3, 5],
          l1: [0, 1e-4],
          l2: { uniform: [0, 1e-3] },
          dropout: [0, 0.2],
        },
        strategy: 'random',
        candidates: 3,
        folds: 2,
      },
      { rng: Rng.create(4) },
    );
    expect(result.ranked).toHaveLength(3);
    for (const r of result.ranked) {
      expect(r.error).toBeUndefined();
      const { layers, units } = r.params as { layers: number; units: number };
      expect(r.spec.hidden).toEqual(Array.from({ length: layers }, () => units));
      expect(r.spec).not.toHaveProperty('layers');
      for (const key of ['activation', 'learningRate', 'batchSize', 'epochs', 'l1', 'l2', 'dropout'])
        expect(r.spec[key]).toEqual(r.params[key]);
    }
  });

  it('refuses a search space with an option the model does not have, naming it', () => {
    return expect(
      tuned({ base: { model: 'mlp' }, space: { learningrate: [0.1] } }).fit(data, { rng: Rng.create(1) }),
    ).rejects.toThrow(/learningrate/);
  });
});

describe('validation curves', () => {
  it('scores every value of one hyperparameter on the same folds, on training rows and held-out folds', async () => {
    const curve = await validationCurve({ model: 'logistic' }, blobs(90, 6, 3, 'curve', 1.6), {
      param: 'C',
      values: [1e-4, 1, 100],
      folds: 3,
      rng: Rng.create(5),
    });
    expect(curve).toMatchObject({ param: 'C', metric: 'accuracy', folds: 3 });
    expect(curve.points.map((p) => p.value)).toEqual([1e-4, 1, 100]);
    for (const p of curve.points) {
      expect(p.train.folds).toHaveLength(3);
      expect(p.test.folds).toHaveLength(3);
      expect(p.spec.C).toBe(p.value);
    }
    const [strong, , weak] = curve.points;
    // Almost no freedom (C = 1e-4) fits the training rows worse than almost none of the penalty.
    expect(weak!.train.mean).toBeGreaterThan(strong!.train.mean);
    expect(weak!.train.mean).toBeGreaterThanOrEqual(weak!.test.mean);
  });

  it('fails before training on an option the model does not have', async () => {
    await expect(
      validationCurve({ model: 'mlp' }, data, { param: 'learningrate', values: [0.1], rng: Rng.create(1) }),
    ).rejects.toThrow(/learningrate/);
  });
});
