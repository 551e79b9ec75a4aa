import { type Estimator, type JsonObject, Rng } from '@growset/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEstimator, initBackend } from '../src/index.ts';
import { blobs, tinyImages } from './helpers/data.ts';

/**
 * One suite over every estimator (scikit-learn's check_estimator, in small): each registry entry
 * gives a spec and the data it trains on. A new model without an entry here is a gap in coverage.
 */
const tabular = blobs(90, 4, 3, 'conformance');
const images = tinyImages(60, 8, 'conformance');
const fast = { epochs: 15, batchSize: 16, learningRate: 0.02 };
const registry: { spec: JsonObject; data: typeof tabular }[] = [
  { spec: { model: 'mlp', hidden: [16], ...fast }, data: tabular },
  {
    spec: { model: 'mlp', hidden: [16, 8], dropout: 0.2, batchNorm: true, l2: 1e-4, ...fast },
    data: tabular,
  },
  { spec: { model: 'logistic', epochs: 20, learningRate: 0.05 }, data: tabular },
  { spec: { model: 'cnn', conv: [4], dense: [8], dropout: 0.1, ...fast }, data: images },
  { spec: { model: 'knn', k: 3 }, data: tabular },
  { spec: { model: 'knn', k: 5, weights: 'distance' }, data: tabular },
  { spec: { model: 'majority' }, data: tabular },
  {
    spec: { model: 'bagging', base: { model: 'logistic', epochs: 10, learningRate: 0.05 }, n: 3 },
    data: tabular,
  },
  {
    spec: { model: 'adaboost', base: { model: 'logistic', epochs: 10, learningRate: 0.05 }, n: 3 },
    data: tabular,
  },
  {
    spec: {
      model: 'stacking',
      estimators: [
        { model: 'knn', k: 3 },
        { model: 'logistic', epochs: 10 },
      ],
      folds: 3,
      meta: { epochs: 20 },
    },
    data: tabular,
  },
  {
    spec: {
      model: 'voting',
      estimators: [{ model: 'knn' }, { model: 'logistic', epochs: 10 }],
      voting: 'soft',
    },
    data: tabular,
  },
  {
    spec: {
      model: 'voting',
      estimators: [{ model: 'knn' }, { model: 'majority' }],
      voting: 'hard',
      weights: [2, 1],
    },
    data: tabular,
  },
  {
    spec: {
      model: 'tuned',
      base: { model: 'logistic', epochs: 10, learningRate: 0.05 },
      space: { l2: [0, 1e-3] },
      strategy: 'grid',
      folds: 2,
    },
    data: tabular,
  },
];

const live: Estimator[] = [];
function make(spec: JsonObject): Estimator {
  const estimator = createEstimator(spec);
  live.push(estimator);
  return estimator;
}

beforeAll(async () => {
  await initBackend();
});

afterAll(() => {
  for (const e of live) e.dispose();
});

describe.each(registry)('estimator $spec.model', ({ spec, data }) => {
  const n = data.y.length;
  const k = data.classes.length;

  it('getParams is plain JSON and clone keeps the params but not the fitted state', async () => {
    const estimator = make(spec);
    const params = estimator.getParams();
    expect(JSON.parse(JSON.stringify(params))).toEqual(params);
    expect(params.model).toBe(spec.model);
    await estimator.fit(data, { rng: Rng.create(1) });
    const copy = estimator.clone();
    live.push(copy);
    expect(copy.getParams()).toEqual(params);
    expect(copy.name).toBe(estimator.name);
    await expect(copy.predict(data)).rejects.toThrow(/not fitted/);
    // Rebuilding from JSON gives the same estimator.
    expect(createEstimator(JSON.parse(JSON.stringify(params))).getParams()).toEqual(params);
  });

  it('fits, then predicts one class per sample and probabilities that sum to 1', async () => {
    const estimator = make(spec);
    const result = await estimator.fit(data, { rng: Rng.create(2) });
    expect(result.epochs).toBeGreaterThanOrEqual(1);
    expect(result.wallTimeMs).toBeGreaterThan(0);
    const proba = await estimator.predictProba(data);
    expect(proba.length).toBe(n * k);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let c = 0; c < k; c++) sum += proba[i * k + c]!;
      expect(sum).toBeCloseTo(1, 4);
    }
    const predicted = await estimator.predict(data);
    expect(predicted.length).toBe(n);
    expect(predicted.every((c) => c >= 0 && c < k)).toBe(true);
    const metrics = await estimator.score(data);
    expect(metrics.confusion?.flat().reduce((a, b) => a + b, 0)).toBe(n);
    if (spec.model !== 'majority') expect(metrics.accuracy).toBeGreaterThan(0.6);
  });

  it('gives identical probabilities for the same seed', async () => {
    const a = make(spec);
    const b = make(spec);
    await a.fit(data, { rng: Rng.create(3) });
    await b.fit(data, { rng: Rng.create(3) });
    expect(Array.from(await b.predictProba(data))).toEqual(Array.from(await a.predictProba(data)));
  });

  it('honours sample weights when it claims to: up-weighting a class makes it predicted more often', async () => {
    const probe = make(spec);
    if (!probe.supportsSampleWeight) return;
    // Overlapping classes, so that the weights decide the contested samples.
    const overlapping = (seed: string) =>
      spec.model === 'cnn' ? tinyImages(60, 8, seed, 1.5) : blobs(90, 4, 3, seed, 1.6);
    const contested = overlapping('weights');
    const query = overlapping('weights-query');
    const share = async (sampleWeight?: Float32Array) => {
      const estimator = make(spec);
      await estimator.fit(sampleWeight ? { ...contested, sampleWeight } : contested, { rng: Rng.create(4) });
      const predicted = await estimator.predict(query);
      return predicted.filter((c) => c === 1).length / predicted.length;
    };
    const plain = await share();
    const weighted = await share(Float32Array.from(contested.y, (c) => (c === 1 ? 20 : 1)));
    expect(weighted).toBeGreaterThan(plain + 0.05);
  });
});

it('every model name has a conformance entry', async () => {
  const { MODELS } = await import('../src/index.ts');
  const covered = new Set(registry.map((r) => r.spec.model));
  expect(MODELS.filter((m) => !covered.has(m))).toEqual([]);
});
