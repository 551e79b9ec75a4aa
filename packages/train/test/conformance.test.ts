import { type Estimator, type JsonObject, OptionsError, Rng } from '@growset/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConformanceCheck,
  createEstimator,
  estimatorNames,
  estimatorRegistry,
  initBackend,
  MODELS,
  registerEstimator,
} from '../src/index.ts';
import { CentroidEstimator, centroidDefinition } from './helpers/centroid.ts';
import { blobs, tinyImages } from './helpers/data.ts';

/**
 * One suite over every estimator (scikit-learn's check_estimator, in small), driven by the
 * estimator registry: each registered definition's examples are fitted on the data they name. A
 * registered model without an example fails here; a check an estimator does not pass by design is
 * an opt-out with its reason in the registration (`optOuts`): that check must then fail, so an
 * opt-out that no longer applies is caught.
 * The suite also registers a user's own estimator (`test-centroid`), which runs it like the
 * built-ins.
 */
registerEstimator(centroidDefinition);
const dataOf = {
  table: blobs(90, 4, 3, 'conformance'),
  images: tinyImages(60, 8, 'conformance'),
} as const;
const CHECK_TITLES: { [check in ConformanceCheck]: string } = {
  learns: 'learns separable blobs (accuracy above 0.6)',
  sampleWeight: 'honours sample weights: up-weighting a class makes it predicted more often',
};

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

describe.each(estimatorRegistry.definitions)('the $name estimator', (definition) => {
  it('registers at least one example of its own model', () => {
    expect(definition.examples.length).toBeGreaterThan(0);
    for (const { spec } of definition.examples) expect(spec.model).toBe(definition.name);
  });

  describe.each(definition.examples.map((example, i) => ({ ...example, i: i + 1 })))(
    'example $i',
    (example) => {
      const { spec } = example;
      const data = dataOf[example.data ?? 'table'];
      const optOut = (check: ConformanceCheck) => definition.optOuts?.[check];
      const checked = (check: ConformanceCheck, body: () => Promise<void>) => {
        const reason = optOut(check);
        if (!reason) it(CHECK_TITLES[check], body);
        // An opt-out is checked too: the check must really fail, or the opt-out is stale.
        else
          it(`opts out of "${CHECK_TITLES[check]}" (${reason}), and the check does fail`, async () => {
            await expect(body()).rejects.toThrow();
          });
      };
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
      });

      checked('learns', async () => {
        const estimator = make(spec);
        await estimator.fit(data, { rng: Rng.create(2) });
        expect((await estimator.score(data)).accuracy).toBeGreaterThan(0.6);
      });

      it('gives identical probabilities for the same seed', async () => {
        const a = make(spec);
        const b = make(spec);
        await a.fit(data, { rng: Rng.create(3) });
        await b.fit(data, { rng: Rng.create(3) });
        expect(Array.from(await b.predictProba(data))).toEqual(Array.from(await a.predictProba(data)));
      });

      checked('sampleWeight', async () => {
        const probe = make(spec);
        expect(
          probe.supportsSampleWeight,
          'it does not take sample weights: give the reason in optOuts.sampleWeight',
        ).toBe(true);
        // Overlapping classes, so that the weights decide the contested samples.
        const overlapping = (seed: string) =>
          example.data === 'images' ? tinyImages(60, 8, seed, 1.5) : blobs(90, 4, 3, seed, 1.6);
        const contested = overlapping('weights');
        const query = overlapping('weights-query');
        const share = async (sampleWeight?: Float32Array) => {
          const estimator = make(spec);
          await estimator.fit(sampleWeight ? { ...contested, sampleWeight } : contested, {
            rng: Rng.create(4),
          });
          const predicted = await estimator.predict(query);
          return predicted.filter((c) => c === 1).length / predicted.length;
        };
        const plain = await share();
        const weighted = await share(Float32Array.from(contested.y, (c) => (c === 1 ? 20 : 1)));
        expect(weighted).toBeGreaterThan(plain + 0.05);
      });
    },
  );
});

describe('the estimator registry', () => {
  it('builds a user-registered estimator by name, as an ensemble member too, and clones it', async () => {
    expect(estimatorNames()).toContain('test-centroid');
    expect(MODELS).not.toContain('test-centroid');
    const bag = make({ model: 'bagging', base: { model: 'test-centroid' }, n: 3 });
    expect(bag.name).toBe('bagging(test-centroid)');
    await bag.fit(dataOf.table, { rng: Rng.create(5) });
    expect((await bag.score(dataOf.table)).accuracy).toBeGreaterThan(0.6);
    const own = make({ model: 'test-centroid', temperature: 3 });
    const copy = own.clone();
    live.push(copy);
    expect(copy).toBeInstanceOf(CentroidEstimator);
    expect(copy.getParams()).toEqual({ model: 'test-centroid', temperature: 3 });
  });

  it('refuses a second estimator with a taken name', () => {
    expect(() => registerEstimator({ ...centroidDefinition })).toThrow(/already registered/);
  });

  it('names the field and suggests the closest model for an unknown one', () => {
    let error: unknown;
    try {
      createEstimator({ model: 'mpl' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptionsError);
    expect((error as OptionsError).field).toBe('model');
    expect((error as OptionsError).message).toContain('did you mean `mlp`');
  });
});
