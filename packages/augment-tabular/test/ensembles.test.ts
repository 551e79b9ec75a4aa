import { type LabeledData, OptionsError, Rng } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { applyThreshold, BalancedBagging, EasyEnsemble, RusBoost, tuneThreshold } from '../src/index.ts';
import { KNearest, NearestCentroid } from './helpers/estimators.ts';

/** Two overlapping Gaussian classes, 200 : 20, in 2-D. */
function imbalanced(seed: number, majority = 200, minority = 20): LabeledData {
  const rng = Rng.create(seed);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < majority + minority; i++) {
    const c = i < majority ? 0 : 1;
    x.push(rng.normal() + 1.4 * c, rng.normal() + 1.4 * c);
    y.push(c);
  }
  return { x: Float32Array.from(x), y: Int32Array.from(y), featureShape: [2], classes: ['common', 'rare'] };
}

const train = imbalanced(1);
const test = imbalanced(2);

describe('balanced ensembles over any core Estimator', () => {
  it('balanced bagging trains every member on a balanced bootstrap and beats the plain learner on balanced accuracy', async () => {
    const base = new KNearest(7);
    const plain = new KNearest(7);
    await plain.fit(train);
    const bagging = new BalancedBagging({ estimator: base, nEstimators: 8 });
    await bagging.fit(train, { rng: Rng.create(3) });
    expect(bagging.memberWeights).toHaveLength(8);
    expect(base.fits).toHaveLength(8); // one fit per member clone, each on balanced classes
    for (const [common, rare] of base.fits) expect(common).toBe(rare);
    const plainScore = await plain.score(test);
    const baggingScore = await bagging.score(test);
    expect(baggingScore.balancedAccuracy).toBeGreaterThan(plainScore.balancedAccuracy + 0.05);
  });

  it('balanced bagging takes any resampling method as its sampler (SMOTE gives over-bagging)', async () => {
    const bagging = new BalancedBagging({
      estimator: new NearestCentroid(),
      nEstimators: 3,
      sampler: { method: 'smote', k: 3 },
      bootstrap: false,
    });
    await bagging.fit(train, { rng: Rng.create(1) });
    const proba = await bagging.predictProba(test);
    expect(proba).toHaveLength(test.y.length * 2);
    for (let i = 0; i < test.y.length; i++) expect(proba[2 * i]! + proba[2 * i + 1]!).toBeCloseTo(1, 5);
    expect(
      () => new BalancedBagging({ estimator: new NearestCentroid(), sampler: { method: 'smot' } as never }),
    ).toThrow(/did you mean `smote`/);
  });

  it.each([
    ['BalancedBagging', () => new BalancedBagging({ estimator: new KNearest(5), nEstimators: 4 })],
    [
      'EasyEnsemble',
      () => new EasyEnsemble({ estimator: new NearestCentroid(), nEstimators: 4, boostRounds: 3 }),
    ],
    ['RusBoost', () => new RusBoost({ estimator: new NearestCentroid(), nEstimators: 5 })],
  ] as const)(
    '%s: same rng gives the same probabilities; clone() is untrained with the same params',
    async (_, make) => {
      const a = make();
      const b = make();
      await a.fit(train, { rng: Rng.create(9) });
      await b.fit(train, { rng: Rng.create(9) });
      expect(await b.predictProba(test)).toEqual(await a.predictProba(test));
      const copy = a.clone();
      expect(copy.getParams()).toEqual(a.getParams());
      expect(JSON.parse(JSON.stringify(a.getParams()))).toEqual(a.getParams());
      expect((copy as unknown as { memberWeights: number[] }).memberWeights).toEqual([]);
      const other = make();
      await other.fit(train, { rng: Rng.create(10) });
      expect(await other.predictProba(test)).not.toEqual(await a.predictProba(test));
    },
  );

  it('RUSBoost trains each round on an under-sample balanced to the rare class, with positive vote weights', async () => {
    const base = new NearestCentroid();
    const boost = new RusBoost({ estimator: base, nEstimators: 6 });
    await boost.fit(train, { rng: Rng.create(4) });
    expect(boost.memberWeights.length).toBeGreaterThan(0);
    expect(base.fits.length).toBeGreaterThanOrEqual(boost.memberWeights.length);
    for (const counts of base.fits) expect(counts).toEqual([20, 20]);
    expect(boost.memberWeights.every((w) => w > 0)).toBe(true);
    const score = await boost.score(test);
    expect(score.balancedAccuracy).toBeGreaterThan(0.7);
  });

  it('EasyEnsemble beats the plain majority-biased learner on balanced accuracy', async () => {
    const plain = new KNearest(7);
    await plain.fit(train);
    const easy = new EasyEnsemble({ estimator: new KNearest(7), nEstimators: 5, boostRounds: 2 });
    await easy.fit(train, { rng: Rng.create(2) });
    expect((await easy.score(test)).balancedAccuracy).toBeGreaterThan(
      (await plain.score(test)).balancedAccuracy + 0.05,
    );
  });

  it('rejects bad options naming the field', () => {
    expect(() => new RusBoost({ estimator: new NearestCentroid(), nEstimators: 0 })).toThrow(OptionsError);
    expect(() => new RusBoost({ estimator: {} as never })).toThrow(/`estimator`/);
  });
});

describe('tuneThreshold', () => {
  it('finds the threshold that maximizes balanced accuracy on held-out rows, checked against a brute-force scan', async () => {
    const model = new KNearest(9);
    await model.fit(train);
    const proba = await model.predictProba(test);
    const choice = tuneThreshold(proba, test.y);
    const balanced = (t: number) => {
      const pred = applyThreshold(proba, t);
      const recall = [0, 1].map((c) => {
        const rows = [...test.y.keys()].filter((i) => test.y[i] === c);
        return rows.filter((i) => pred[i] === c).length / rows.length;
      });
      return (recall[0]! + recall[1]!) / 2;
    };
    expect(choice.score).toBeCloseTo(balanced(choice.threshold), 12);
    for (let t = 0; t <= 1.0001; t += 0.01) expect(balanced(t)).toBeLessThanOrEqual(choice.score + 1e-12);
    expect(choice.score).toBeGreaterThan(choice.scoreAtHalf);
    expect(choice.threshold).toBeLessThan(0.5);
  });

  it('only takes binary probabilities', () => {
    expect(() => tuneThreshold(new Float32Array(9), Int32Array.from([0, 1, 2]))).toThrow(
      /binary classification only/,
    );
  });
});
