import { readFileSync } from 'node:fs';
import { type LabeledData, Rng } from '@growset/core';
import { describe, expect, it } from 'vitest';
import {
  AUTO_MIN_STEPS,
  autoScaling,
  createEstimator,
  epochBudget,
  fitScaler,
  logisticRegression,
  mlp,
  type TrainResult,
} from '../src/index.ts';
import { blobs } from './helpers/data.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

/** A fixture CSV as rows of numbers and labels. */
function readTable(name: string): { x: number[][]; labels: string[] } {
  const lines = readFileSync(fixture(`${name}.csv`), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  return {
    x: lines.map((l) => l.split(',').slice(0, -1).map(Number)),
    labels: lines.map((l) => l.split(',').at(-1)!),
  };
}

interface GoldenCase {
  table: string;
  train: number[];
  test: number[];
  options: { C?: number; class_weight?: string };
  classes: string[];
  proba: number[][];
}
const golden = JSON.parse(
  readFileSync(new URL('./golden/logistic-golden.json', import.meta.url), 'utf8'),
) as {
  cases: GoldenCase[];
};

describe('fair budgets', () => {
  it('gives small data at least as many gradient steps as the auto budget promises', () => {
    expect(epochBudget('auto', 1) * 1).toBeGreaterThanOrEqual(AUTO_MIN_STEPS);
    expect(epochBudget('auto', 25)).toBe(200);
    expect(epochBudget(7, 1)).toBe(7);
  });

  it('stops an MLP when its training loss stops improving, and says so', async () => {
    const data = blobs(60, 4, 3, 'converge', 0.3);
    const model = mlp({ hidden: [16], learningRate: 0.05 });
    const result = (await model.fit(data, { rng: Rng.create(1) })) as TrainResult;
    expect(result.stopReason).toBe('converged');
    expect(result.epochs).toBeLessThan(epochBudget('auto', 2));
    expect((await model.score(data)).accuracy).toBeGreaterThan(0.95);
    model.dispose();
  });

  it('runs the whole budget without a convergence criterion and reports `budget`', async () => {
    const model = mlp({ hidden: [8], epochs: 4, convergence: false });
    const result = (await model.fit(blobs(40, 3, 2, 'budget'), { rng: Rng.create(2) })) as TrainResult;
    expect(result).toMatchObject({ epochs: 4, stopReason: 'budget', stoppedEarly: false });
    model.dispose();
  });

  it('gives an ensemble its members` stop reason: budget when any member ran out of it', async () => {
    const data = blobs(40, 3, 2, 'members');
    const cut = createEstimator({
      model: 'bagging',
      base: { model: 'mlp', hidden: [4], epochs: 2, convergence: false },
      n: 2,
    });
    expect(await cut.fit(data, { rng: Rng.create(1) })).toMatchObject({ stopReason: 'budget' });
    const knn = createEstimator({ model: 'voting', estimators: [{ model: 'knn' }, { model: 'logistic' }] });
    expect(await knn.fit(data, { rng: Rng.create(1) })).toMatchObject({ stopReason: 'converged' });
    cut.dispose();
    knn.dispose();
  });

  it('never stops on the training loss of fresh per-epoch data: convergence watches the fixed rows', async () => {
    const data = blobs(48, 3, 3, 'fresh', 0.3);
    const rng = Rng.create('noise');
    // Every epoch's rows are the originals under heavy noise: their loss jumps up and down.
    const epochData = (): LabeledData => ({
      ...data,
      x: Float32Array.from(data.x, (v) => v + 3 * rng.normal()),
    });
    const model = mlp({ hidden: [16], epochs: 60, learningRate: 0.01, earlyStopping: { patience: 2 } });
    const result = (await model.fit(data, { rng: Rng.create(3), epochData })) as TrainResult;
    expect(result.stopReason).not.toBe('validation');
    expect(result.history.every((log) => typeof log.fixedLoss === 'number')).toBe(true);
    const fixed = result.history.map((log) => log.fixedLoss!);
    expect(fixed.at(-1)!).toBeLessThan(fixed[0]!);
    expect(result.epochs).toBeGreaterThan(10);
    model.dispose();
  });
});

describe('logistic regression by L-BFGS', () => {
  for (const c of golden.cases) {
    const label = `${c.table}${c.options.C ? `, C=${c.options.C}, balanced classes` : ''}`;
    it(`matches scikit-learn's LogisticRegression probabilities on ${label}`, async () => {
      const { x, labels } = readTable(c.table);
      const d = x[0]!.length;
      const rows = (indices: number[]) => Float64Array.from(indices.flatMap((i) => x[i]!));
      const scaler = fitScaler(rows(c.train), d, 'standardize');
      const model = logisticRegression({
        ...(c.options.C ? { C: c.options.C } : {}),
        ...(c.options.class_weight ? { classWeight: 'balanced' as const } : {}),
      });
      const train: LabeledData = {
        x: scaler.transform(rows(c.train)),
        y: Int32Array.from(c.train.map((i) => c.classes.indexOf(labels[i]!))),
        featureShape: [d],
        classes: c.classes,
      };
      const result = (await model.fit(train)) as TrainResult;
      expect(result.stopReason).toBe('converged');
      const proba = await model.predictProba({ x: scaler.transform(rows(c.test)), featureShape: [d] });
      let worst = 0;
      c.proba.forEach((p, i) => {
        p.forEach((v, k) => {
          worst = Math.max(worst, Math.abs(v - proba[i * c.classes.length + k]!));
        });
      });
      expect(worst).toBeLessThan(2e-3);
      model.dispose();
    });
  }
});

describe('feature scaling', () => {
  it('chooses min-max for pixel intensities and z-scores for measurements', () => {
    const flat = (name: string) => {
      const { x } = readTable(name);
      return { x: Float64Array.from(x.slice(0, 200).flat()), d: x[0]!.length };
    };
    const digits = flat('digits');
    const iris = flat('iris');
    const penguins = flat('penguins');
    expect(autoScaling(digits.x, digits.d)).toBe('minmax');
    expect(autoScaling(iris.x, iris.d)).toBe('standardize');
    expect(autoScaling(penguins.x, penguins.d)).toBe('standardize');
  });

  it('scales as scikit-learn: z-scores with the population std, min-max to [0, 1], constant columns kept', () => {
    const x = Float64Array.from([1, 5, 2, 5, 3, 5, 6, 5]);
    const z = fitScaler(x, 2, 'standardize').transform(x);
    expect(Array.from(z.filter((_, i) => i % 2 === 0)).map((v) => +v.toFixed(4))).toEqual([
      -1.069, -0.5345, 0, 1.6036,
    ]);
    expect(Array.from(z.filter((_, i) => i % 2 === 1))).toEqual([0, 0, 0, 0]);
    const m = fitScaler(x, 2, 'minmax').transform(Float64Array.from([1, 5, 6, 5, 11, 7]));
    expect(Array.from(m)).toEqual([0, 0, 1, 0, 2, 2]);
    expect(fitScaler(x, 2, 'none').transform(x)).toEqual(Float32Array.from(x));
  });
});
