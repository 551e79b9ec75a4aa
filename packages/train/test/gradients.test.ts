// Gradient checks of the hand-written backward pass (layers.ts, network.ts) against central finite
// differences of a float64 reference forward pass (helpers/reference64.ts), on the wasm backend
// (growset's kernels, fused paths) and on the cpu backend (the stock kernels tfjs-node's path
// mirrors).
//
// Tolerance: |analytic - reference| <= 1e-5 + 1e-3 * |reference| for every entry. The analytic
// gradients are float32: each entry is a sum of at most a few hundred products of O(1) values, so
// its rounding error is ~1e-7 to 1e-6; the float64 finite differences are exact to ~1e-10 (see
// finiteDifferences). A wrong derivative (a missing factor, a transposed operand, an off-by-one
// window or pad) is off by the size of the gradient itself, 1e-2 to 1, hundreds of times the
// tolerance. The random points are drawn once from fixed seeds, and no ReLU pre-activation or
// max-pool window sits within the finite-difference step of a kink.
import { Rng } from '@growset/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, profileKernels } from '../src/index.ts';
import { trainNetwork } from '../src/internals/loop/fit.ts';
import {
  ActivationLayer,
  BatchNormLayer,
  ConvLayer,
  DenseLayer,
  DropoutLayer,
  FlattenLayer,
  type Layer,
  PoolLayer,
} from '../src/internals/models/layers.ts';
import { buildLayers, Network } from '../src/internals/models/network.ts';
import { cnnSchema, logisticSchema, mlpSchema, type NetworkSpec } from '../src/internals/models/spec.ts';
import { sizeOf, targetRows, uniform32 } from './helpers/random.ts';
import {
  dropoutMask,
  finiteDifferences,
  layerForward64,
  maxAbs,
  networkLoss64,
  type T64,
  t64,
  worstError,
} from './helpers/reference64.ts';

const ATOL = 1e-5;
const RTOL = 1e-3;
/** Worst error per backend, in units of the tolerance (printed at the end for the README). */
const worst: Record<string, number> = {};

function expectClose(
  backend: string,
  what: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
): void {
  const w = worstError(actual, expected, ATOL, RTOL);
  worst[backend] = Math.max(worst[backend] ?? 0, w.ratio);
  expect(
    w.ratio,
    `${what}: entry ${w.index} is ${w.actual}, reference ${w.expected} (${w.ratio.toFixed(2)} x tolerance)`,
  ).toBeLessThanOrEqual(1);
}

/** Random parameters in a useful range: weights +-0.6, biases and shifts +-0.5, scales 0.5..1.5. */
function randomParams(layer: Layer, rng: Rng): Float32Array[] {
  return layer.params.map((p) => {
    const size = sizeOf(p.shape);
    if (p.init === 'ones') return uniform32(rng, size, 0.5, 1.5);
    if (p.init === 'zeros') return uniform32(rng, size, -0.5, 0.5);
    return uniform32(rng, size, -0.6, 0.6);
  });
}

interface LayerCase {
  name: string;
  make: () => Layer;
  input: number[];
  /** Dropout: draw the mask from this seed. */
  maskSeed?: string;
}

/**
 * One layer: forward on the backend, backward of `L = sum(R * y)` for a random `R`, against
 * finite differences of the float64 forward with respect to the input and every parameter.
 */
function checkLayer(backend: string, c: LayerCase, seed: string): void {
  const rng = Rng.create(`layer-${seed}`);
  const layer = c.make();
  try {
    const x = uniform32(rng, sizeOf(c.input), -1.5, 1.5);
    const params = randomParams(layer, rng);
    const ours = tf.tidy(() => {
      const xt = tf.tensor(x, c.input);
      const pt = params.map((p, i) => tf.tensor(p, layer.params[i]!.shape));
      const ctx = { training: true, ...(c.maskSeed ? { rng: Rng.create(c.maskSeed) } : {}) };
      const out = layer.forward(xt, pt, ctx);
      const r = uniform32(rng, out.y.size);
      const g = layer.backward(tf.tensor(r, out.y.shape), xt, out, pt, true);
      return {
        y: out.y.dataSync(),
        yShape: out.y.shape,
        r,
        dx: g.dx!.dataSync(),
        grads: g.grads.map((t) => t.dataSync()),
      };
    });
    expect(ours.yShape.slice(1)).toEqual(layer.outputShape);
    const mask = c.maskSeed
      ? dropoutMask((layer as DropoutLayer).rate, x.length, Rng.create(c.maskSeed))
      : undefined;
    const x64 = t64(x, c.input);
    const p64 = params.map((p, i) => t64(p, layer.params[i]!.shape));
    const y64 = layerForward64(layer, x64, p64, mask);
    expectClose(backend, `${c.name} forward`, ours.y, y64.v);
    const loss = () => {
      const y = layerForward64(layer, x64, p64, mask);
      let s = 0;
      for (let i = 0; i < y.v.length; i++) s += y.v[i]! * ours.r[i]!;
      return s;
    };
    const [dx, ...dp] = finiteDifferences([x64, ...p64], loss);
    expect(maxAbs(dx!), `${c.name}: the reference input gradient is not all zero`).toBeGreaterThan(1e-3);
    expectClose(backend, `${c.name} dx`, ours.dx, dx!);
    expect(ours.grads.length).toBe(layer.params.length);
    ours.grads.forEach((g, i) => {
      expectClose(backend, `${c.name} grad of param ${i}`, g, dp[i]!);
    });
  } finally {
    layer.dispose?.();
  }
}

const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu', 'linear'] as const;

const layerCases: LayerCase[] = [
  ...ACTIVATIONS.map((a) => ({ name: `dense ${a}`, make: () => new DenseLayer(5, 3, a), input: [4, 5] })),
  { name: 'dense without bias', make: () => new DenseLayer(3, 4, 'linear', false), input: [5, 3] },
  // Sizes past the fused SIMD kernels' 4-row x 8-column register blocks, with row and column tails.
  { name: 'dense relu 13 -> 21, batch 9', make: () => new DenseLayer(13, 21, 'relu'), input: [9, 13] },
  { name: 'dense linear 18 -> 10, batch 6', make: () => new DenseLayer(18, 10, 'linear'), input: [6, 18] },
  {
    name: 'dense relu 300 -> 6, batch 5 (two passes along the shared axis)',
    make: () => new DenseLayer(300, 6, 'relu'),
    input: [5, 300],
  },
  {
    name: 'dense relu without bias 8 -> 16, batch 8',
    make: () => new DenseLayer(8, 16, 'relu', false),
    input: [8, 8],
  },
  ...ACTIVATIONS.map((a) => ({
    name: `activation ${a}`,
    make: () => new ActivationLayer(6, a),
    input: [3, 6],
  })),
  ...(
    [
      // [h, w, c, filters, kernel, stride, padding, activation]
      [7, 7, 2, 3, 3, 1, 'valid', 'relu'],
      [7, 5, 1, 2, 3, 2, 'valid', 'tanh'],
      [7, 6, 2, 3, 3, 2, 'same', 'sigmoid'],
      [5, 7, 3, 4, 2, 1, 'same', 'elu'],
      [9, 8, 2, 4, 4, 3, 'same', 'linear'],
      [8, 9, 4, 8, 3, 1, 'same', 'relu'],
      [6, 6, 1, 5, 1, 1, 'valid', 'relu'],
      [5, 5, 2, 3, 5, 1, 'valid', 'tanh'],
      // filters a multiple of 4 (the SIMD filter gradient on wasm) with uneven 'same' padding
      [7, 7, 4, 4, 2, 2, 'same', 'relu'],
      [6, 7, 3, 8, 4, 2, 'same', 'linear'],
    ] as const
  ).map(([h, w, ch, filters, kernel, stride, padding, activation]) => ({
    name: `conv ${h}x${w}x${ch} -> ${filters} k${kernel} s${stride} ${padding} ${activation}`,
    make: () => new ConvLayer([h, w, ch], filters, kernel, stride, padding, activation),
    input: [2, h, w, ch],
  })),
  ...(
    [
      [7, 7, 2, 2],
      [6, 9, 3, 3],
      [5, 4, 1, 2],
      [4, 4, 4, 4],
    ] as const
  ).flatMap(([h, w, ch, size]) =>
    (['max', 'avg'] as const).map((kind) => ({
      name: `${kind} pool ${h}x${w}x${ch} size ${size}`,
      make: () => new PoolLayer([h, w, ch], kind, size),
      input: [2, h, w, ch],
    })),
  ),
  { name: 'batch norm', make: () => new BatchNormLayer(4), input: [6, 4] },
  { name: 'batch norm, batch of 2', make: () => new BatchNormLayer(3), input: [2, 3] },
  {
    name: 'dropout 0.4 (fixed mask)',
    make: () => new DropoutLayer(0.4, [7]),
    input: [5, 7],
    maskSeed: 'mask-a',
  },
  {
    name: 'dropout 0.1 (fixed mask)',
    make: () => new DropoutLayer(0.1, [3, 3, 2]),
    input: [2, 3, 3, 2],
    maskSeed: 'mask-b',
  },
  { name: 'flatten', make: () => new FlattenLayer([3, 2, 2]), input: [2, 3, 2, 2] },
];

interface NetworkCase {
  name: string;
  spec: NetworkSpec;
  featureShape: number[];
  classes: number;
  batch: number;
  soft?: boolean;
  /** growset-only kernels the backward pass must run on wasm (so the check covers them), and not elsewhere. */
  wasmKernels?: string[];
}

const mlp = (o: object) => mlpSchema.parse({ model: 'mlp', ...o });
const cnn = (o: object) => cnnSchema.parse({ model: 'cnn', ...o });

const networkCases: NetworkCase[] = [
  ...ACTIVATIONS.map((a) => ({
    name: `mlp 3-5-4-3 ${a}`,
    spec: mlp({ hidden: [5, 4], activation: a }),
    featureShape: [3],
    classes: 3,
    batch: 5,
  })),
  {
    name: 'mlp 11-13-9-10 relu (the whole step in one fused kernel on wasm)',
    spec: mlp({ hidden: [13, 9] }),
    featureShape: [11],
    classes: 10,
    batch: 9,
    wasmKernels: ['GrowsetMlpStep'],
  },
  {
    name: 'mlp with dropout 0.3 (fused dense and loss kernels layer by layer on wasm)',
    spec: mlp({ hidden: [6, 5], dropout: 0.3 }),
    featureShape: [4],
    classes: 3,
    batch: 6,
    wasmKernels: ['GrowsetDense', 'GrowsetDenseGrad', 'GrowsetSoftmaxCrossEntropy'],
  },
  {
    name: 'mlp with batch norm, tanh, soft labels',
    spec: mlp({ hidden: [5], batchNorm: true, activation: 'tanh' }),
    featureShape: [3],
    classes: 2,
    batch: 7,
    soft: true,
  },
  {
    name: 'mlp with batch norm, relu and dropout',
    spec: mlp({ hidden: [6, 4], batchNorm: true, dropout: 0.2 }),
    featureShape: [5],
    classes: 3,
    batch: 6,
  },
  {
    name: 'logistic on 2-D features',
    spec: logisticSchema.parse({ model: 'logistic' }),
    featureShape: [2, 3],
    classes: 4,
    batch: 5,
    soft: true,
  },
  {
    name: 'cnn relu + max pool on odd sizes (fused pool/ReLU gradient on wasm), dense, dropout',
    wasmKernels: ['GrowsetMaxPoolReluGrad', 'GrowsetConv2DFilterBiasGrad'],
    spec: cnn({ conv: [3], pool: 'max', dense: [4], dropout: 0.25 }),
    featureShape: [7, 7, 2],
    classes: 3,
    batch: 3,
  },
  {
    name: 'cnn tanh, stride 2 same then valid, no pooling',
    wasmKernels: ['GrowsetConv2DFilterBiasGrad'],
    spec: cnn({
      conv: [
        { filters: 4, kernel: 3, stride: 2, padding: 'same' },
        { filters: 3, kernel: 2, stride: 1, padding: 'valid' },
      ],
      pool: 'none',
      activation: 'tanh',
    }),
    featureShape: [9, 8, 1],
    classes: 2,
    batch: 3,
  },
  {
    name: 'cnn elu, stride 2 valid then same, avg pool',
    spec: cnn({
      conv: [
        { filters: 2, kernel: 3, stride: 2, padding: 'valid' },
        { filters: 4, kernel: 3, stride: 1, padding: 'same' },
      ],
      pool: 'avg',
      poolSize: 2,
      activation: 'elu',
    }),
    featureShape: [13, 11, 3],
    classes: 3,
    batch: 2,
  },
  {
    name: 'cnn sigmoid, max pool 3 (unfused pool gradient)',
    spec: cnn({
      conv: [{ filters: 4, kernel: 2, padding: 'same' }],
      pool: 'max',
      poolSize: 3,
      activation: 'sigmoid',
    }),
    featureShape: [8, 7, 2],
    classes: 3,
    batch: 3,
  },
  {
    name: 'cnn relu, filters multiple of 4 (SIMD filter gradient on wasm), two max pools',
    wasmKernels: ['GrowsetMaxPoolReluGrad', 'GrowsetConv2DFilterBiasGrad'],
    spec: cnn({ conv: [4, { filters: 8, kernel: 3, padding: 'same' }], pool: 'max' }),
    featureShape: [10, 10, 1],
    classes: 3,
    batch: 3,
    soft: true,
  },
  {
    name: 'cnn relu, 4 filters on odd sizes (SIMD filter and fused pool/ReLU gradients on wasm), stride 2 same',
    wasmKernels: ['GrowsetMaxPoolReluGrad', 'GrowsetConv2DFilterBiasGrad'],
    spec: cnn({
      conv: [
        { filters: 4, kernel: 3, stride: 1, padding: 'valid' },
        { filters: 4, kernel: 3, stride: 2, padding: 'same' },
      ],
      pool: 'max',
    }),
    featureShape: [13, 12, 2],
    classes: 3,
    batch: 2,
  },
  {
    name: 'cnn linear, avg pool',
    spec: cnn({
      conv: [{ filters: 3, kernel: 3, stride: 2, padding: 'same' }],
      pool: 'avg',
      activation: 'linear',
      dense: [3],
    }),
    featureShape: [7, 6, 2],
    classes: 2,
    batch: 4,
  },
];

/**
 * A whole network: `Network.step`'s gradients (loss `sum(w * CE) / n` with random positive sample
 * weights, one-hot or soft targets, dropout masks from the step's Rng) against finite differences
 * of the float64 reference over every parameter.
 */
async function checkNetwork(backend: string, c: NetworkCase): Promise<void> {
  const rng = Rng.create(`network-${c.name}`);
  const layers = buildLayers(c.spec, c.featureShape, c.classes);
  const net = new Network(layers, rng.fork('init'));
  try {
    // Random biases and batch-norm scales too, not only their initial zeros and ones.
    const values = layers.flatMap((layer) => randomParams(layer, rng));
    const shapes = net.params.map((p) => p.shape);
    for (const p of net.params) p.dispose();
    net.params = values.map((v, i) => tf.keep(tf.tensor(v, shapes[i])));
    const n = c.batch;
    const x = uniform32(rng, n * sizeOf(c.featureShape), -1.5, 1.5);
    const targets = targetRows(rng, n, c.classes, c.soft === true);
    const weights = uniform32(rng, n, 0.2, 2);
    const stepSeed = `${c.name}-step`;
    const profile = await profileKernels(() =>
      tf.tidy(() => {
        const r = net.step(
          tf.tensor(x, [n, ...c.featureShape]),
          tf.tensor2d(targets, [n, c.classes]),
          tf.tensor1d(weights),
          Rng.create(stepSeed),
        );
        return { lossSum: r.lossSum.dataSync()[0]!, grads: r.grads.map((g) => g.dataSync()) };
      }),
    );
    const ours = profile.result;
    for (const kernel of c.wasmKernels ?? []) {
      const calls = profile.kernels.find((k) => k.kernel === kernel)?.calls ?? 0;
      expect(calls > 0, `${kernel} runs on wasm only`).toBe(backend === 'wasm');
    }
    const maskRng = Rng.create(stepSeed);
    const masks = layers.flatMap((layer) =>
      layer instanceof DropoutLayer ? [dropoutMask(layer.rate, n * sizeOf(layer.outputShape), maskRng)] : [],
    );
    const p64: T64[] = values.map((v, i) => t64(v, shapes[i]!));
    const loss = () =>
      networkLoss64(
        layers,
        p64,
        t64(x, [n, ...c.featureShape]),
        t64(targets, [n, c.classes]),
        t64(weights, [n]),
        masks,
      );
    expect(ours.lossSum / n, `${c.name} loss`).toBeCloseTo(loss(), 5);
    const reference = finiteDifferences(p64, loss);
    expect(ours.grads.length).toBe(p64.length);
    ours.grads.forEach((g, i) => {
      expect(maxAbs(reference[i]!), `${c.name}: reference gradient ${i} is not all zero`).toBeGreaterThan(
        1e-4,
      );
      expectClose(backend, `${c.name} grad of param ${i} ${JSON.stringify(shapes[i])}`, g, reference[i]!);
    });
  } finally {
    net.dispose();
  }
}

describe.each(['wasm', 'cpu'] as const)(
  'hand-written gradients on %s match float64 finite differences',
  (backend) => {
    beforeAll(async () => {
      expect((await initBackend({ backend })).name).toBe(backend);
    });

    it.each(layerCases.map((c) => [c.name, c] as const))('layer: %s', (_name, c) => {
      const before = tf.memory().numTensors;
      checkLayer(backend, c, c.name);
      expect(tf.memory().numTensors).toBe(before);
    });

    it.each(networkCases.map((c) => [c.name, c] as const))('network: %s', async (_name, c) => {
      await checkNetwork(backend, c);
    });

    it('regularizes weights and kernels only, not biases or batch-norm parameters', () => {
      const layers = buildLayers(mlpSchema.parse({ model: 'mlp', hidden: [4], batchNorm: true }), [3], 2);
      const net = new Network(layers, Rng.create(0));
      // dense (no bias) W, batch-norm gamma and beta, output W and b
      expect(net.regularized).toEqual([true, false, false, true, false]);
      net.dispose();
      const conv = new Network(buildLayers(cnn({ conv: [2] }), [5, 5, 1], 2), Rng.create(0));
      expect(conv.regularized).toEqual([true, false, true, false]);
      conv.dispose();
    });
  },
);

describe('one full-batch SGD epoch of the training loop', () => {
  it('moves every parameter by -lr * (float64 gradient of the class- and sample-weighted loss + L2 term)', async () => {
    await initBackend({ backend: 'wasm' });
    const n = 12;
    const k = 3;
    const rng = Rng.create('loop-epoch');
    const data = {
      x: uniform32(rng, n * 4, -1.5, 1.5),
      y: Int32Array.from({ length: n }, (_, i) => (i < 6 ? 0 : i < 10 ? 1 : 2)),
      featureShape: [4],
      classes: ['a', 'b', 'c'],
      sampleWeight: uniform32(rng, n, 0.5, 3),
    };
    const spec = mlpSchema.parse({
      model: 'mlp',
      hidden: [5],
      activation: 'tanh',
      optimizer: 'sgd',
      learningRate: 0.3,
      epochs: 1,
      batchSize: n,
      classWeight: 'balanced',
      l2: 0.02,
    });
    const layers = buildLayers(spec, data.featureShape, k);
    const net = new Network(layers, rng.fork('init'));
    const before = net.params.map((p) => Float32Array.from(p.dataSync()));
    const shapes = net.params.map((p) => p.shape);
    const regularized = net.regularized;
    await trainNetwork(net, data, { ...spec }, { rng: rng.fork('loop') });
    const after = net.params.map((p) => Float32Array.from(p.dataSync()));
    net.dispose();
    // Loss weights: sample weight x balanced class weight n / (k * count), rescaled to mean 1.
    const counts = [6, 4, 2];
    const raw = Array.from(data.y, (c, i) => data.sampleWeight[i]! * (n / (k * counts[c]!)));
    const mean = raw.reduce((a, b) => a + b, 0) / n;
    const w64 = t64(
      raw.map((w) => w / mean),
      [n],
    );
    const targets = new Float64Array(n * k);
    data.y.forEach((c, i) => {
      targets[i * k + c] = 1;
    });
    const p64 = before.map((v, i) => t64(v, shapes[i]!));
    const loss = () =>
      networkLoss64(layers, p64, t64(data.x, [n, 4]), { v: targets, shape: [n, k] }, w64, []);
    const grads = finiteDifferences(p64, loss);
    // The step itself (after - before), so the tolerance is relative to the update's size.
    after.forEach((values, i) => {
      const b = before[i]!;
      const step = Float64Array.from(values, (w, j) => w - b[j]!);
      const expected = Float64Array.from(
        b,
        (w, j) => -0.3 * (grads[i]![j]! + (regularized[i] ? 2 * 0.02 * w : 0)),
      );
      expect(maxAbs(expected), `parameter ${i} moves`).toBeGreaterThan(1e-3);
      expectClose('wasm', `parameter ${i}'s step in one epoch`, step, expected);
    });
  });
});

describe('cnn geometry', () => {
  it('builds a cnn whose convolution output holds exactly one pooling window, and rejects one that holds none', () => {
    // 5x5, 3x3 valid -> 3x3, pool 2 -> 1x1 (this was rejected: the check asked for kernel * pool = 6 pixels).
    const fits = buildLayers(cnn({ conv: [2] }), [5, 5, 1], 2);
    expect(fits.map((l) => l.outputShape)).toEqual([[3, 3, 2], [1, 1, 2], [2], [2]]);
    // 9x9, 3x3 stride 3 valid -> 3x3, pool 2 -> 1x1.
    expect(
      buildLayers(cnn({ conv: [{ filters: 2, kernel: 3, stride: 3 }] }), [9, 9, 1], 2)[1]!.outputShape,
    ).toEqual([1, 1, 2]);
    expect(() => buildLayers(cnn({ conv: [2] }), [4, 3, 1], 2)).toThrow(
      /conv layer 1 gets a 4x3 feature map .* too small for a 3x3 valid convolution and 2x2 pooling/,
    );
    expect(() => buildLayers(cnn({ conv: [{ filters: 2, kernel: 1, stride: 3 }] }), [3, 3, 1], 2)).toThrow(
      /too small for a 1x1 valid convolution and 2x2 pooling/,
    );
  });
});

afterAll(() => {
  // The worst error seen, in units of the tolerance (the README quotes it).
  console.log(`gradient checks: worst error / tolerance ${JSON.stringify(worst)}`);
});
