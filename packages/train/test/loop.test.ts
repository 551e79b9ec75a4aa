import { DataError, GrowsetError, Rng } from '@growset/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnn, initBackend, logisticRegression, mlp, type TrainResult } from '../src/index.ts';
import { blobs, tinyImages } from './helpers/data.ts';

beforeAll(async () => {
  await initBackend();
});

describe('training loop', () => {
  it('leaves tf.memory().numTensors unchanged after 100 build/fit/predict/dispose cycles', async () => {
    const data = blobs(40, 6, 2, 'leak');
    const specs = [
      () =>
        mlp({
          hidden: [8],
          epochs: 1,
          batchSize: 16,
          dropout: 0.2,
          batchNorm: true,
          earlyStopping: { patience: 1 },
        }),
      () => cnn({ conv: [2], epochs: 1, batchSize: 16 }),
    ];
    const images = tinyImages(12, 6, 'leak');
    // Warm up once: backends allocate lazily on first use.
    const warm = specs[0]!();
    await warm.fit(data, { rng: Rng.create(0), validation: data });
    warm.dispose();
    const before = tf.memory().numTensors;
    for (let cycle = 0; cycle < 100; cycle++) {
      const useCnn = cycle % 10 === 9;
      const estimator = specs[useCnn ? 1 : 0]!();
      const train = useCnn ? images : data;
      await estimator.fit(train, { rng: Rng.create(cycle), ...(useCnn ? {} : { validation: data }) });
      await estimator.predictProba(train);
      estimator.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the same weights, losses and metrics for the same seed, and different ones for another seed', async () => {
    const data = blobs(60, 5, 3, 'determinism');
    const run = async (seed: number) => {
      const estimator = mlp({ hidden: [12], dropout: 0.3, epochs: 4, batchSize: 8 });
      const result = await estimator.fit(data, { rng: Rng.create(seed) });
      const proba = Array.from(await estimator.predictProba(data));
      const metrics = await estimator.score(data);
      estimator.dispose();
      return { losses: result.history.map((h) => h.loss), proba, metrics };
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(b).toEqual(a);
    expect(c.losses).not.toEqual(a.losses);
  });

  it('stops early on the validation loss and restores the best epoch', async () => {
    const train = blobs(40, 8, 2, 'overfit-train', 2.5);
    const validation = blobs(40, 8, 2, 'overfit-val', 2.5);
    const estimator = mlp({
      hidden: [64],
      epochs: 200,
      batchSize: 8,
      learningRate: 0.02,
      earlyStopping: { patience: 3, restoreBest: true },
    });
    const result = (await estimator.fit(train, { rng: Rng.create(1), validation })) as TrainResult;
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochs).toBeLessThan(200);
    const losses = result.history.map((h) => h.valLoss!);
    const bestEpoch = losses.indexOf(Math.min(...losses)) + 1;
    expect(result.bestEpoch).toBe(bestEpoch);
    expect(result.epochs).toBe(bestEpoch + 3);
    // The restored weights score the best epoch's validation loss.
    const metrics = await estimator.score(validation);
    expect(metrics.logLoss).toBeCloseTo(losses[bestEpoch - 1]!, 4);
    estimator.dispose();
  });

  it('records a loss that becomes NaN in the result instead of throwing, with the last good weights', async () => {
    const data = blobs(40, 4, 2, 'nan');
    const epochs: number[] = [];
    const estimator = mlp({ hidden: [8], optimizer: 'sgd', learningRate: 1e30, epochs: 10, batchSize: 8 });
    const result = (await estimator.fit(data, {
      rng: Rng.create(1),
      onEpochEnd: (log) => epochs.push(log.epoch),
    })) as TrainResult;
    expect(result.error).toMatch(/Training stopped at epoch \d+: the loss became (NaN|infinite)/);
    expect(result.epochs).toBeLessThan(10);
    expect(epochs.length).toBe(result.epochs);
    const proba = await estimator.predictProba(data);
    if (result.epochs > 1) expect(proba.every((p) => Number.isFinite(p))).toBe(true);
    estimator.dispose();
  });

  it('weights classes: balanced class weights raise the recall of a rare class', async () => {
    const base = blobs(120, 4, 2, 'imbalanced', 1.4);
    const keep = Array.from(base.y.keys()).filter((i) => base.y[i] === 0 || i % 8 === 1);
    const x = new Float32Array(keep.length * 4);
    keep.forEach((row, i) => {
      x.set(base.x.subarray(row * 4, row * 4 + 4), i * 4);
    });
    const data = { ...base, x, y: Int32Array.from(keep, (row) => base.y[row]!) };
    const recall = async (classWeight?: 'balanced') => {
      const estimator = logisticRegression({ epochs: 40, ...(classWeight ? { classWeight } : {}) });
      await estimator.fit(data, { rng: Rng.create(2) });
      const m = await estimator.score(blobs(200, 4, 2, 'imbalanced-test', 1.4));
      estimator.dispose();
      return m.confusion![1]![1]! / 100;
    };
    expect(await recall('balanced')).toBeGreaterThan((await recall()) + 0.05);
  });

  it('trains a cnn that separates simple image classes', async () => {
    const estimator = cnn({
      conv: [{ filters: 4, kernel: 3, padding: 'same' }],
      epochs: 12,
      batchSize: 8,
      learningRate: 0.01,
    });
    const result = await estimator.fit(tinyImages(48, 8, 'cnn-train'), { rng: Rng.create(3) });
    expect(result.backend).toBe(tf.getBackend());
    expect((await estimator.score(tinyImages(30, 8, 'cnn-test'))).accuracy).toBeGreaterThan(0.9);
    estimator.dispose();
  });

  it('carves a stratified validation split when asked, and reports validation metrics per epoch', async () => {
    const estimator = mlp({ hidden: [8], epochs: 3, validationSplit: 0.25 });
    const result = await estimator.fit(blobs(40, 3, 2, 'split'), { rng: Rng.create(1) });
    expect(result.history.every((h) => h.valLoss !== undefined && h.valAccuracy !== undefined)).toBe(true);
    estimator.dispose();
  });

  it('stops when the abort signal fires', async () => {
    const controller = new AbortController();
    const estimator = mlp({ hidden: [8], epochs: 50 });
    const fit = estimator.fit(blobs(40, 3, 2, 'abort'), {
      signal: controller.signal,
      onEpochEnd: (log) => {
        if (log.epoch === 2) controller.abort(new Error('stop'));
      },
    });
    await expect(fit).rejects.toThrow(/aborted/);
    estimator.dispose();
  });
});

describe('bad input', () => {
  const data = blobs(20, 3, 2, 'bad');

  it.each([
    [
      'NaN features',
      { ...data, x: Object.assign(data.x.slice(), { 7: Number.NaN }) },
      /sample 2, feature 1 is NaN/,
    ],
    [
      'infinite features',
      { ...data, x: Object.assign(data.x.slice(), { 0: Number.POSITIVE_INFINITY }) },
      /sample 0, feature 0 is Infinity/,
    ],
    [
      'a feature length that does not match the shape',
      { ...data, x: data.x.subarray(0, 59) },
      /not a multiple of the sample width 3/,
    ],
    ['a zero in the feature shape', { ...data, featureShape: [0] }, /featureShape must be positive integers/],
    [
      'a label index outside the classes',
      { ...data, y: Int32Array.from(data.y, (c, i) => (i === 4 ? 5 : c)) },
      /sample 4 has label index 5/,
    ],
    [
      'fewer samples than classes',
      { ...blobs(3, 3, 3, 'few'), classes: ['a', 'b', 'c', 'd'] },
      /3 sample\(s\), fewer than its 4 classes/,
    ],
    ['an empty training set', { ...data, x: new Float32Array(0), y: new Int32Array(0) }, /has no samples/],
    [
      'a label count that differs from the samples',
      { ...data, y: data.y.subarray(0, 10) },
      /20 samples but 10 labels/,
    ],
    [
      'negative sample weights',
      { ...data, sampleWeight: new Float32Array(20).fill(-1) },
      /sample 0 has weight -1/,
    ],
  ])('rejects %s with a DataError naming the problem', async (_name, bad, message) => {
    const estimator = mlp({ epochs: 1 });
    const fit = estimator.fit(bad as typeof data);
    await expect(fit).rejects.toBeInstanceOf(DataError);
    await expect(estimator.fit(bad as typeof data)).rejects.toThrow(message);
    estimator.dispose();
  });

  it('rejects predictions on features of another shape and scoring on labels never seen in training', async () => {
    const estimator = logisticRegression({ epochs: 2 });
    await estimator.fit(data);
    await expect(estimator.predict({ x: new Float32Array(8), featureShape: [4] })).rejects.toThrow(
      /featureShape \[4\] but the model was fitted on \[3\]/,
    );
    const unseen = { ...data, classes: ['c0', 'zebra'] };
    await expect(estimator.score(unseen)).rejects.toThrow(
      /label "zebra", which the model was not trained on/,
    );
    // Same names in another order are aligned, not rejected.
    const swapped = { ...data, classes: ['c1', 'c0'], y: Int32Array.from(data.y, (c) => 1 - c) };
    expect((await estimator.score(swapped)).accuracy).toBe((await estimator.score(data)).accuracy);
    estimator.dispose();
  });

  it('refuses to predict before fit and after dispose, and a cnn on flat features', async () => {
    const estimator = mlp();
    await expect(estimator.predict(data)).rejects.toThrow(/not fitted yet/);
    estimator.dispose();
    await expect(estimator.fit(data)).rejects.toBeInstanceOf(GrowsetError);
    await expect(cnn().fit(data)).rejects.toThrow(
      /needs image features shaped \[height, width, channels\], got \[3\]/,
    );
  });

  it('rejects bad options at construction, naming the field', () => {
    expect(() => mlp({ hidden: [0] })).toThrow(
      /option `hidden\[0\]` in MlpOptions: expected a number >= 1, got `0`/,
    );
    expect(() => mlp({ dropout: 1.5 })).toThrow(/`dropout`/);
    expect(() => mlp({ hiden: [3] } as never)).toThrow(/did you mean `hidden`/);
  });
});
