import { OptionsError, Rng } from '@growset/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdaBoostFitResult,
  adaBoost,
  type BaggingFitResult,
  bagging,
  createEstimator,
  initBackend,
  stacking,
  voting,
} from '../src/index.ts';
import { blobs } from './helpers/data.ts';

const disposers: { dispose(): void }[] = [];
afterEach(() => {
  for (const d of disposers.splice(0)) d.dispose();
});
function track<T extends { dispose(): void }>(e: T): T {
  disposers.push(e);
  return e;
}

/** XOR-like data: class = sign(x0 * x1); no linear model separates it. */
function xor(n: number, seed: string) {
  const rng = Rng.create(seed);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.uniform(-1, 1);
    const b = rng.uniform(-1, 1);
    x[i * 2] = a;
    x[i * 2 + 1] = b;
    y[i] = a * b > 0 ? 1 : 0;
  }
  return { x, y, featureShape: [2], classes: ['diff', 'same'] };
}

beforeAll(async () => {
  await initBackend();
});

describe('ensembles', () => {
  it('bagging reports an out-of-bag score close to the held-out score', async () => {
    const train = blobs(120, 4, 3, 'bag', 1.2);
    const test = blobs(300, 4, 3, 'bag-test', 1.2);
    const estimator = track(bagging({ base: { model: 'knn', k: 5 }, n: 8 }));
    const result = (await estimator.fit(train, { rng: Rng.create(1) })) as BaggingFitResult;
    expect(result.oobScore).toBeDefined();
    expect(result.oobUncovered).toBeLessThan(5);
    const held = (await estimator.score(test)).accuracy;
    expect(Math.abs(result.oobScore! - held)).toBeLessThan(0.12);
    expect(estimator.name).toBe('bagging(knn)');
  });

  it('AdaBoost SAMME over a weak MLP (sample weights) beats one such MLP on XOR-like data', async () => {
    const train = xor(200, 'xor-train');
    const test = xor(200, 'xor-test');
    const base = { model: 'mlp', hidden: [2], epochs: 4, learningRate: 0.05, batchSize: 16 };
    const single = track(createEstimator(base));
    await single.fit(train, { rng: Rng.create(2) });
    const boosted = track(adaBoost({ base, n: 8 }));
    const result = (await boosted.fit(train, { rng: Rng.create(2) })) as AdaBoostFitResult;
    expect(result.alphas.length).toBeGreaterThan(1);
    expect(result.errors.every((e) => e < 0.5)).toBe(true);
    expect((await boosted.score(test)).accuracy).toBeGreaterThan((await single.score(test)).accuracy + 0.05);
  });

  it('stacking learns from out-of-fold probabilities and beats its weakest member', async () => {
    const train = blobs(120, 4, 3, 'stack', 1.3);
    const test = blobs(300, 4, 3, 'stack-test', 1.3);
    const estimator = track(
      stacking({
        estimators: [{ model: 'knn', k: 7 }, { model: 'majority' }],
        folds: 4,
        meta: { epochs: 60 },
      }),
    );
    await estimator.fit(train, { rng: Rng.create(3) });
    expect((await estimator.score(test)).accuracy).toBeGreaterThan(0.6);
    expect(estimator.name).toBe('stacking(knn,majority)');
  });

  it('hard voting follows the weighted majority of predicted classes, soft voting averages probabilities', async () => {
    const train = blobs(60, 3, 3, 'vote');
    const hard = track(
      voting({
        estimators: [{ model: 'majority' }, { model: 'knn', k: 1 }],
        voting: 'hard',
        weights: [1, 3],
      }),
    );
    await hard.fit(train);
    // knn (k=1, weight 3) outvotes the majority baseline: predictions equal knn's on the training data.
    expect(Array.from(await hard.predict(train))).toEqual(Array.from(train.y));
    const soft = track(
      voting({ estimators: [{ model: 'majority' }, { model: 'knn', k: 1 }], voting: 'soft' }),
    );
    await soft.fit(train);
    const proba = await soft.predictProba(train);
    // majority gives 1/3 to each class, knn gives 1 to the true class: the average is 2/3 and 1/6.
    expect(proba[train.y[0]!]).toBeCloseTo(2 / 3, 5);
  });

  it('reports a bad member spec as an option error on the ensemble field', () => {
    expect(() => bagging({ base: { model: 'mlp', hiden: [4] } })).toThrow(OptionsError);
    expect(() => bagging({ base: { model: 'mlp', hiden: [4] } })).toThrow(/`base.hiden` in BaggingOptions/);
    expect(() => voting({ estimators: [{ model: 'knn' }], weights: [1, 2] })).toThrow(/`weights`.*1 weights/);
    expect(() => stacking({ estimators: [{ model: 'tree' }] })).toThrow(/`estimators\[0\].model`/);
  });
});
