// What the regularizers and the training loop do in real training (wasm, the default backend):
// L1 sparsifies, L2 shrinks, dropout is inverted and active only in training, early stopping puts
// back the best epoch's weights, and every activation trains.
import { type LabeledData, Rng } from '@growset/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, mlp, type TrainResult } from '../src/index.ts';
import { trainNetwork } from '../src/internals/loop/fit.ts';
import { BatchNormLayer, DropoutLayer } from '../src/internals/models/layers.ts';
import { buildLayers, Network } from '../src/internals/models/network.ts';
import { type MlpSpec, mlpSchema } from '../src/internals/models/spec.ts';
import { blobs } from './helpers/data.ts';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/** Two informative features (blobs) followed by `noise` pure-noise features. */
function withNoiseFeatures(n: number, noise: number, seed: string): LabeledData {
  const base = blobs(n, 2, 2, seed, 0.8);
  const rng = Rng.create(`noise-${seed}`);
  const d = 2 + noise;
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    x[i * d] = base.x[i * 2]!;
    x[i * d + 1] = base.x[i * 2 + 1]!;
    for (let j = 2; j < d; j++) x[i * d + j] = rng.normal();
  }
  return { ...base, x, featureShape: [d] };
}

/** Trains a network of `spec` with growset's loop and returns the trained parameters (host copies). */
async function trainedWeights(spec: MlpSpec, data: LabeledData, seed: number): Promise<Float32Array[]> {
  const net = new Network(
    buildLayers(spec, data.featureShape, data.classes.length),
    Rng.create(seed).fork('init'),
  );
  try {
    await trainNetwork(
      net,
      data,
      { ...spec, l1: spec.l1, l2: spec.l2 },
      { rng: Rng.create(seed).fork('loop') },
    );
    const regularized = net.regularized;
    return net.params.filter((_, i) => regularized[i]).map((p) => p.dataSync() as Float32Array);
  } finally {
    net.dispose();
  }
}

const spec = (o: Partial<MlpSpec>) =>
  mlpSchema.parse({ model: 'mlp', hidden: [16], epochs: 20, batchSize: 32, learningRate: 0.02, ...o });

function shareBelow(weights: Float32Array[], threshold: number): number {
  let small = 0;
  let total = 0;
  for (const w of weights) {
    for (const v of w) if (Math.abs(v) < threshold) small++;
    total += w.length;
  }
  return small / total;
}

function norm(weights: Float32Array[]): number {
  let s = 0;
  for (const w of weights) for (const v of w) s += v * v;
  return Math.sqrt(s);
}

describe('regularization in real training', () => {
  const data = withNoiseFeatures(120, 10, 'l1');

  it('L1 drives a large share of the weights to (near) zero, where none are without it', async () => {
    const plain = await trainedWeights(spec({}), data, 1);
    const sparse = await trainedWeights(spec({ l1: 0.01 }), data, 1);
    // With Adam the L1 subgradient makes weights hover within about one step (lr = 0.02) of zero.
    const threshold = 0.02;
    const before = shareBelow(plain, threshold);
    const after = shareBelow(sparse, threshold);
    expect(after).toBeGreaterThan(0.5);
    expect(after).toBeGreaterThan(before + 0.35);
    // The noise features' first-layer weights (rows 2..11 of W1) go first.
    const w1 = sparse[0]!;
    const noiseRows = w1.subarray(2 * 16);
    expect(shareBelow([noiseRows], threshold)).toBeGreaterThan(after);
  });

  it('L2 lowers the weight norm at equal data and seed, more for a larger penalty', async () => {
    const norms = [];
    for (const l2 of [0, 1e-3, 1e-2]) norms.push(norm(await trainedWeights(spec({ l2 }), data, 2)));
    expect(norms[1]!).toBeLessThan(norms[0]! * 0.95);
    expect(norms[2]!).toBeLessThan(norms[1]! * 0.8);
  });
});

describe('dropout', () => {
  it('is inverted: kept units are scaled by 1 / (1 - rate), so the expected activation is unchanged', () => {
    const rate = 0.3;
    const layer = new DropoutLayer(rate, [100]);
    const size = 200 * 100;
    const [values, mean] = tf.tidy(() => {
      const y = layer.forward(tf.ones([200, 100]), [], { training: true, rng: Rng.create('dropout') }).y;
      return [y.dataSync(), tf.mean(y).dataSync()[0]!];
    });
    const kept = Array.from(values).filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / (1 - rate))]));
    // Share dropped within 4 standard errors of the rate; mean within 4 standard errors of 1.
    const dropped = 1 - kept.length / size;
    expect(Math.abs(dropped - rate)).toBeLessThan(4 * Math.sqrt((rate * (1 - rate)) / size));
    expect(Math.abs(mean! - 1)).toBeLessThan(4 * Math.sqrt(rate / (1 - rate) / size));
  });

  it('masks only in training: inference is deterministic and equals the same network without dropout', () => {
    const withDropout = mlpSchema.parse({ model: 'mlp', hidden: [8, 6], dropout: 0.5 });
    const without = mlpSchema.parse({ model: 'mlp', hidden: [8, 6] });
    const a = new Network(buildLayers(withDropout, [4], 3), Rng.create(0));
    const b = new Network(buildLayers(without, [4], 3), Rng.create(0));
    expect(a.layers.filter((l) => l instanceof DropoutLayer)).toHaveLength(2);
    for (const p of b.params) p.dispose();
    b.params = a.params.map((p) => tf.keep(p.clone()));
    const x = tf.tensor2d(
      Float32Array.from({ length: 40 }, (_, i) => Math.sin(i)),
      [10, 4],
    );
    const run = (net: Network, training: boolean, seed: string) =>
      tf.tidy(() => Array.from(net.logits(x, { training, rng: Rng.create(seed) }).dataSync()));
    const evalA = run(a, false, 's1');
    expect(run(a, false, 's2')).toEqual(evalA);
    expect(run(b, false, 's1')).toEqual(evalA);
    // In training, masks change the output, and they follow the step's seed.
    expect(run(a, true, 's1')).not.toEqual(evalA);
    expect(run(a, true, 's1')).toEqual(run(a, true, 's1'));
    expect(run(a, true, 's2')).not.toEqual(run(a, true, 's1'));
    x.dispose();
    a.dispose();
    b.dispose();
  });

  it('through the estimator: predictions are deterministic, and dropout raises the training loss', async () => {
    const data = blobs(60, 4, 3, 'dropout-fit', 1.2);
    const fit = async (dropout: number) => {
      const estimator = mlp({ hidden: [32], dropout, epochs: 15, batchSize: 16, learningRate: 0.01 });
      const result = await estimator.fit(data, { rng: Rng.create(3) });
      const p1 = Array.from(await estimator.predictProba(data));
      const p2 = Array.from(await estimator.predictProba(data));
      estimator.dispose();
      return { loss: result.history.at(-1)!.loss, same: p1.every((v, i) => v === p2[i]) };
    };
    const plain = await fit(0);
    const dropped = await fit(0.5);
    expect(plain.same && dropped.same).toBe(true);
    expect(dropped.loss).toBeGreaterThan(plain.loss);
  });
});

describe('batch normalization at inference', () => {
  it('holds the batch statistics after the first step (cumulative average), not (0, 1) moved by 1%', () => {
    const layer = new BatchNormLayer(3);
    const values = Float32Array.from({ length: 12 }, (_, i) => 5 + ((i * 7) % 5));
    tf.tidy(() => {
      const x = tf.tensor2d(values, [4, 3]);
      layer.forward(x, [tf.ones([3]), tf.zeros([3])], { training: true });
      const { mean, variance } = tf.moments(x, 0);
      const [movingMean, movingVar] = layer.getState();
      expect(Array.from(movingMean!.dataSync())).toEqual(Array.from(mean.dataSync()));
      const unbiased = Array.from(variance.dataSync(), (v) => (v * 4) / 3);
      Array.from(movingVar!.dataSync()).forEach((v, j) => {
        expect(v).toBeCloseTo(unbiased[j]!, 5);
      });
    });
    layer.dispose();
  });

  it('a 30-sample batch-norm MLP on unscaled features predicts its training data in inference mode', async () => {
    const train = blobs(30, 8, 3, 'bn-30', 1.2);
    for (let i = 0; i < train.x.length; i++) train.x[i] = train.x[i]! * 3 + 5;
    const estimator = mlp({ hidden: [32], batchNorm: true, epochs: 20, batchSize: 32, learningRate: 0.01 });
    await estimator.fit(train, { rng: Rng.create(1) });
    // With moving statistics still near (0, 1) after 20 steps at 0.99, this was 0.57.
    expect((await estimator.score(train)).accuracy).toBeGreaterThanOrEqual(0.9);
    estimator.dispose();
  });
});

describe('early stopping through the Estimator API', () => {
  const train = blobs(40, 8, 2, 'es-train', 2.5);
  const validation = blobs(60, 8, 2, 'es-val', 2.5);

  it.each([
    ['restoreBest: true holds the best epoch', true, false],
    ['restoreBest: false keeps the last epoch', false, false],
    ['restoreBest: true with batch norm (moving statistics restored too)', true, true],
  ] as const)('%s', async (_name, restoreBest, batchNorm) => {
    const estimator = mlp({
      hidden: [64],
      epochs: 100,
      batchSize: 8,
      learningRate: 0.02,
      batchNorm,
      earlyStopping: { patience: 3, restoreBest },
    });
    const result = (await estimator.fit(train, { rng: Rng.create(4), validation })) as TrainResult;
    const losses = result.history.map((h) => h.valLoss!);
    const best = losses.indexOf(Math.min(...losses));
    expect(result.stoppedEarly).toBe(true);
    // The run overfits: the last epoch is worse than the best one, so restoring is visible.
    expect(losses.at(-1)!).toBeGreaterThan(losses[best]! + 1e-3);
    const held = (await estimator.score(validation)).logLoss!;
    expect(held).toBeCloseTo(restoreBest ? losses[best]! : losses.at(-1)!, 4);
    if (restoreBest) expect(result.bestEpoch).toBe(best + 1);
    estimator.dispose();
  });
});

describe('activations train', () => {
  /** XOR of the signs of two features: no linear model does better than chance. */
  function xor(n: number, seed: string): LabeledData {
    const rng = Rng.create(`xor-${seed}`);
    const x = new Float32Array(n * 2);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const a = rng.uniform(-1, 1);
      const b = rng.uniform(-1, 1);
      x[i * 2] = a;
      x[i * 2 + 1] = b;
      y[i] = a * b > 0 ? 1 : 0;
    }
    return { x, y, featureShape: [2], classes: ['different', 'same'] };
  }

  const XOR_TRAINING = { hidden: [16], epochs: 60, batchSize: 32, learningRate: 0.05 };

  it.each(['tanh', 'sigmoid', 'elu', 'relu'] as const)(
    'a %s MLP learns XOR to 90 percent test accuracy or more',
    async (activation) => {
      const estimator = mlp({ ...XOR_TRAINING, activation });
      await estimator.fit(xor(160, 'train'), { rng: Rng.create(5) });
      const acc = (await estimator.score(xor(300, 'test'))).accuracy;
      expect(acc).toBeGreaterThanOrEqual(0.9);
      estimator.dispose();
    },
  );

  it('a linear MLP cannot (the task needs the non-linearity)', async () => {
    const estimator = mlp({ ...XOR_TRAINING, activation: 'linear' });
    await estimator.fit(xor(160, 'train'), { rng: Rng.create(5) });
    const acc = (await estimator.score(xor(300, 'test'))).accuracy;
    expect(acc).toBeLessThan(0.7);
    estimator.dispose();
  });
});
