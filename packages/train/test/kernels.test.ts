import { Rng } from '@growset/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, profileKernels, registerWasmKernels } from '../src/index.ts';

/** Runs `fn` on the cpu backend (the reference) and returns to wasm. */
async function onCpu<T>(fn: () => T): Promise<T> {
  await tf.setBackend('cpu');
  try {
    return fn();
  } finally {
    await tf.setBackend('wasm');
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

function randomValues(rng: Rng, size: number): Float32Array {
  return Float32Array.from({ length: size }, () => rng.uniform(-1, 1));
}

interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  pad: 'same' | 'valid';
}

/** Random convolution geometries that fit (kernel <= input for valid padding). */
function convCases(count: number): ConvCase[] {
  const rng = Rng.create('conv-cases');
  const cases: ConvCase[] = [];
  while (cases.length < count) {
    const c: ConvCase = {
      batch: rng.int(1, 3),
      height: rng.int(3, 11),
      width: rng.int(3, 11),
      inChannels: rng.int(1, 4),
      outChannels: rng.int(1, 5),
      kernel: rng.int(1, 4),
      stride: rng.int(1, 3),
      pad: rng.bool() ? 'same' : 'valid',
    };
    if (c.pad === 'valid' && (c.kernel > c.height || c.kernel > c.width)) continue;
    cases.push(c);
  }
  return cases;
}

describe('wasm gradient kernels', () => {
  beforeAll(async () => {
    const info = await initBackend({ backend: 'wasm' });
    expect(info.name).toBe('wasm');
  });

  it('registers Conv2DBackpropFilter, which stock wasm lacks, and is idempotent', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    const first = registerWasmKernels();
    const again = registerWasmKernels();
    expect(again).toEqual(first);
    expect(first).toEqual(
      expect.arrayContaining(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'BatchMatMul']),
    );
  });

  it('conv2d filter and input gradients match cpu within 1e-4 on random shapes, strides and paddings', async () => {
    const rng = Rng.create('conv-values');
    for (const c of convCases(12)) {
      const xv = randomValues(rng, c.batch * c.height * c.width * c.inChannels);
      const fv = randomValues(rng, c.kernel * c.kernel * c.inChannels * c.outChannels);
      const grads = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(xv, [c.batch, c.height, c.width, c.inChannels]);
          const f = tf.tensor4d(fv, [c.kernel, c.kernel, c.inChannels, c.outChannels]);
          const loss = (a: tf.Tensor, b: tf.Tensor) =>
            tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad)));
          return tf
            .grads(loss)([x, f])
            .map((g) => g.dataSync());
        });
      const ours = grads();
      const reference = await onCpu(grads);
      const where = JSON.stringify(c);
      expect(maxAbsDiff(ours[0]!, reference[0]!), `dx ${where}`).toBeLessThanOrEqual(1e-4);
      expect(maxAbsDiff(ours[1]!, reference[1]!), `dfilter ${where}`).toBeLessThanOrEqual(1e-4);
    }
  });

  it('conv gradients on the direct paths (SIMD filter gradient, input gradient as a convolution) match cpu within 1e-4', async () => {
    const rng = Rng.create('conv-direct-values');
    const cases: ConvCase[] = [
      { batch: 2, height: 12, width: 11, inChannels: 1, outChannels: 8, kernel: 3, stride: 1, pad: 'valid' },
      { batch: 1, height: 9, width: 9, inChannels: 8, outChannels: 16, kernel: 3, stride: 1, pad: 'valid' },
      { batch: 2, height: 9, width: 7, inChannels: 4, outChannels: 4, kernel: 3, stride: 1, pad: 'same' },
      { batch: 2, height: 9, width: 8, inChannels: 3, outChannels: 8, kernel: 3, stride: 2, pad: 'same' },
      { batch: 1, height: 6, width: 5, inChannels: 8, outChannels: 12, kernel: 2, stride: 1, pad: 'same' },
      { batch: 1, height: 8, width: 7, inChannels: 5, outChannels: 4, kernel: 5, stride: 1, pad: 'same' },
      { batch: 2, height: 11, width: 10, inChannels: 2, outChannels: 4, kernel: 4, stride: 3, pad: 'valid' },
    ];
    for (const c of cases) {
      const xv = randomValues(rng, c.batch * c.height * c.width * c.inChannels);
      const fv = randomValues(rng, c.kernel * c.kernel * c.inChannels * c.outChannels);
      const grads = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(xv, [c.batch, c.height, c.width, c.inChannels]);
          const f = tf.tensor4d(fv, [c.kernel, c.kernel, c.inChannels, c.outChannels]);
          const loss = (a: tf.Tensor, b: tf.Tensor) =>
            tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad)));
          return tf
            .grads(loss)([x, f])
            .map((g) => g.dataSync());
        });
      const profile = await profileKernels(grads);
      const ours = profile.result;
      const reference = await onCpu(grads);
      const where = JSON.stringify(c);
      expect(maxAbsDiff(ours[0]!, reference[0]!), `dx ${where}`).toBeLessThanOrEqual(1e-4);
      expect(maxAbsDiff(ours[1]!, reference[1]!), `dfilter ${where}`).toBeLessThanOrEqual(1e-4);
      // The direct paths build no patch matrix: no MatMul inside the gradient kernels.
      const matMuls = profile.kernels.find((k) => k.kernel === 'BatchMatMul')?.calls ?? 0;
      expect(matMuls, `MatMul calls ${where}`).toBe(c.stride === 1 ? 0 : 1);
    }
  });

  it('max and average pooling gradients match cpu within 1e-4, overlapping and padded windows included', async () => {
    const rng = Rng.create('pool-values');
    for (const c of convCases(12)) {
      const xv = randomValues(rng, c.batch * c.height * c.width * c.inChannels);
      for (const kind of ['max', 'avg'] as const) {
        const grad = () =>
          tf.tidy(() => {
            const x = tf.tensor4d(xv, [c.batch, c.height, c.width, c.inChannels]);
            const pool = (a: tf.Tensor) =>
              tf.sum(
                tf.square(
                  kind === 'max'
                    ? tf.maxPool(a as tf.Tensor4D, c.kernel, c.stride, c.pad)
                    : tf.avgPool(a as tf.Tensor4D, c.kernel, c.stride, c.pad),
                ),
              );
            return tf.grad(pool)(x).dataSync();
          });
        const ours = grad();
        const reference = await onCpu(grad);
        expect(maxAbsDiff(ours, reference), `${kind} ${JSON.stringify(c)}`).toBeLessThanOrEqual(1e-4);
      }
    }
  });

  it('transposed MatMuls, row gathers and leading-axis sums match cpu', async () => {
    const rng = Rng.create('matmul-values');
    const a = randomValues(rng, 6 * 5);
    const b = randomValues(rng, 5 * 4);
    const table = randomValues(rng, 7 * 3);
    const run = () =>
      tf.tidy(() => {
        const at = tf.tensor2d(a, [5, 6]);
        const bt = tf.tensor2d(b, [4, 5]);
        const t = tf.tensor2d(table, [7, 3]);
        return [
          tf.matMul(at, bt, true, true).dataSync(),
          tf.matMul(tf.tensor2d(a, [6, 5]), bt, false, true).dataSync(),
          tf.fused
            .matMul({ a: at, b: tf.tensor2d(b, [5, 4]), transposeA: true, activation: 'relu' })
            .dataSync(),
          tf.gather(t, tf.tensor1d([6, 0, 3, 3], 'int32')).dataSync(),
          tf.sum(tf.reshape(t, [7, 3, 1]), [0, 1]).dataSync(),
          tf.sum(t, 0, true).dataSync(),
        ];
      });
    const ours = run();
    const reference = await onCpu(run);
    ours.forEach((values, i) => {
      expect(maxAbsDiff(values, reference[i]!), `case ${i}`).toBeLessThanOrEqual(1e-5);
    });
  });

  it('fused loop kernels (filter+bias gradient, max-pool+ReLU gradient) match the unfused ops on cpu', async () => {
    const rng = Rng.create('fused-values');
    for (const [batch, size, inChannels, outChannels, stride, pad] of [
      [2, 9, 1, 4, 1, 'valid'],
      [3, 8, 3, 2, 2, 'same'],
      [2, 13, 8, 16, 1, 'valid'],
      [2, 10, 4, 8, 2, 'same'],
      [1, 12, 3, 12, 1, 'same'],
    ] as const) {
      const xv = randomValues(rng, batch * size * size * inChannels);
      const fv = randomValues(rng, 3 * 3 * inChannels * outChannels);
      const reference = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(xv, [batch, size, size, inChannels]);
          const f = tf.tensor4d(fv, [3, 3, inChannels, outChannels]);
          const a = tf.relu(tf.conv2d(x, f, stride, pad));
          const pooled = tf.maxPool(a, 2, 2, 'valid');
          const dy = tf.onesLike(pooled).mul(tf.range(0, pooled.size).reshape(pooled.shape).mod(7).sub(3));
          const dz = tf.mul(
            tf.engine().runKernel('MaxPoolGrad', { dy, input: a, output: pooled }, {
              filterSize: 2,
              strides: 2,
              pad: 'valid',
            } as unknown as tf.NamedAttrMap) as tf.Tensor,
            tf.step(a),
          );
          const dW = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: dz }, {
            strides: [stride, stride],
            pad,
            dataFormat: 'NHWC',
            filterShape: [3, 3, inChannels, outChannels],
          } as unknown as tf.NamedAttrMap) as tf.Tensor;
          return {
            a: a.dataSync(),
            pooled: pooled.dataSync(),
            dy: dy.dataSync(),
            dz: dz.dataSync(),
            dW: dW.dataSync(),
            db: tf.sum(dz, [0, 1, 2]).dataSync(),
            shapes: [a.shape, pooled.shape],
          };
        });
      const ref = await onCpu(reference);
      const [aShape, pooledShape] = ref.shapes as unknown as [number[], number[]];
      const fused = tf.tidy(() => {
        const a = tf.tensor(ref.a, aShape);
        const pooled = tf.tensor(ref.pooled, pooledShape);
        const dy = tf.tensor(ref.dy, pooledShape);
        const dz = tf
          .engine()
          .runKernel('GrowsetMaxPoolReluGrad', { dy, input: a, output: pooled }, { size: 2 }) as tf.Tensor;
        const [dW, db] = tf
          .engine()
          .runKernel(
            'GrowsetConv2DFilterBiasGrad',
            { x: tf.tensor4d(xv, [batch, size, size, inChannels]), dy: tf.tensor(ref.dz, aShape) },
            {
              strides: [stride, stride],
              pad,
              filterShape: [3, 3, inChannels, outChannels],
            } as unknown as tf.NamedAttrMap,
          ) as tf.Tensor[];
        return { dz: dz.dataSync(), dW: dW!.dataSync(), db: db!.dataSync() };
      });
      expect(maxAbsDiff(fused.dz, ref.dz)).toBeLessThanOrEqual(1e-4);
      expect(maxAbsDiff(fused.dW, ref.dW)).toBeLessThanOrEqual(1e-4);
      expect(maxAbsDiff(fused.db, ref.db)).toBeLessThanOrEqual(1e-4);
    }
  });

  it('rejects an out-of-range gather index like the stock kernel', () => {
    const t = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(() => tf.gather(t, tf.tensor1d([2], 'int32'))).toThrow(/index value 2/);
    t.dispose();
  });
});
