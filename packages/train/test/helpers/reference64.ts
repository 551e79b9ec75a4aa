// A float64 reference of growset's forward pass, written from the definitions (not from the
// tfjs kernels), and central finite differences over it. The gradient checks compare the
// hand-written backward pass (float32, on wasm and cpu) with these.
import type { Rng } from '@growset/core';
import {
  ActivationLayer,
  BatchNormLayer,
  ConvLayer,
  DenseLayer,
  DropoutLayer,
  FlattenLayer,
  type Layer,
  PoolLayer,
} from '../../src/internals/models/layers.ts';
import type { Activation } from '../../src/internals/models/spec.ts';

/** A float64 tensor: values in row-major order and a shape (batch first). */
export interface T64 {
  v: Float64Array;
  shape: number[];
}

export function t64(values: ArrayLike<number>, shape: number[]): T64 {
  return { v: Float64Array.from(values), shape };
}

export function activate64(z: T64, activation: Activation): T64 {
  const f: (x: number) => number =
    activation === 'relu'
      ? (x) => Math.max(0, x)
      : activation === 'tanh'
        ? Math.tanh
        : activation === 'sigmoid'
          ? (x) => 1 / (1 + Math.exp(-x))
          : activation === 'elu'
            ? (x) => (x > 0 ? x : Math.expm1(x))
            : (x) => x;
  return { v: z.v.map(f), shape: z.shape };
}

/** `x W + b` for `x` `[n, inputs]`, `W` `[inputs, units]`. */
export function dense64(x: T64, w: T64, b: T64 | undefined): T64 {
  const [n, inputs] = x.shape as [number, number];
  const units = w.shape[1]!;
  const out = new Float64Array(n * units);
  for (let i = 0; i < n; i++) {
    for (let u = 0; u < units; u++) {
      let s = b ? b.v[u]! : 0;
      for (let j = 0; j < inputs; j++) s += x.v[i * inputs + j]! * w.v[j * units + u]!;
      out[i * units + u] = s;
    }
  }
  return { v: out, shape: [n, units] };
}

/** TensorFlow's output size and leading pad for one spatial axis. */
export function convAxis(size: number, kernel: number, stride: number, padding: 'valid' | 'same') {
  if (padding === 'valid') return { out: Math.floor((size - kernel) / stride) + 1, pad: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return { out, pad: Math.floor(total / 2) };
}

/** NHWC convolution, filter `[k, k, inC, outC]`, zero padding outside the image. */
export function conv64(x: T64, f: T64, b: T64 | undefined, stride: number, padding: 'valid' | 'same'): T64 {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [k, , , o] = f.shape as [number, number, number, number];
  const rows = convAxis(h, k, stride, padding);
  const cols = convAxis(w, k, stride, padding);
  const out = new Float64Array(n * rows.out * cols.out * o);
  let at = 0;
  for (let i = 0; i < n; i++) {
    for (let oy = 0; oy < rows.out; oy++) {
      for (let ox = 0; ox < cols.out; ox++) {
        for (let oc = 0; oc < o; oc++, at++) {
          let s = b ? b.v[oc]! : 0;
          for (let fy = 0; fy < k; fy++) {
            const iy = oy * stride + fy - rows.pad;
            if (iy < 0 || iy >= h) continue;
            for (let fx = 0; fx < k; fx++) {
              const ix = ox * stride + fx - cols.pad;
              if (ix < 0 || ix >= w) continue;
              for (let ic = 0; ic < c; ic++) {
                s += x.v[((i * h + iy) * w + ix) * c + ic]! * f.v[((fy * k + fx) * c + ic) * o + oc]!;
              }
            }
          }
          out[at] = s;
        }
      }
    }
  }
  return { v: out, shape: [n, rows.out, cols.out, o] };
}

/** Max or average pooling, window = stride = `size`, valid padding (trailing rows/columns dropped). */
export function pool64(x: T64, kind: 'max' | 'avg', size: number): T64 {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const oh = Math.floor(h / size);
  const ow = Math.floor(w / size);
  const out = new Float64Array(n * oh * ow * c);
  let at = 0;
  for (let i = 0; i < n; i++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ch = 0; ch < c; ch++, at++) {
          let acc = kind === 'max' ? Number.NEGATIVE_INFINITY : 0;
          for (let fy = 0; fy < size; fy++) {
            for (let fx = 0; fx < size; fx++) {
              const value = x.v[((i * h + oy * size + fy) * w + ox * size + fx) * c + ch]!;
              acc = kind === 'max' ? Math.max(acc, value) : acc + value;
            }
          }
          out[at] = kind === 'max' ? acc : acc / (size * size);
        }
      }
    }
  }
  return { v: out, shape: [n, oh, ow, c] };
}

/** Training-mode batch normalization over axis 0: biased batch variance, `epsilon` inside the root. */
export function batchNorm64(x: T64, gamma: T64, beta: T64, epsilon: number): T64 {
  const [n, f] = x.shape as [number, number];
  const out = new Float64Array(n * f);
  for (let j = 0; j < f; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x.v[i * f + j]!;
    mean /= n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (x.v[i * f + j]! - mean) ** 2;
    variance /= n;
    const inv = 1 / Math.sqrt(variance + epsilon);
    for (let i = 0; i < n; i++) out[i * f + j] = (x.v[i * f + j]! - mean) * inv * gamma.v[j]! + beta.v[j]!;
  }
  return { v: out, shape: [n, f] };
}

/**
 * `sum_i w_i * CE(softmax(z_i), t_i) / n`: the loss whose gradient `Network.step` returns
 * (log-sum-exp with the row maximum subtracted).
 */
export function softmaxCrossEntropy64(logits: T64, targets: T64, weights: T64): number {
  const [n, k] = logits.shape as [number, number];
  let total = 0;
  for (let i = 0; i < n; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) max = Math.max(max, logits.v[i * k + j]!);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(logits.v[i * k + j]! - max);
    const logSum = max + Math.log(sum);
    let ce = 0;
    for (let j = 0; j < k; j++) ce -= targets.v[i * k + j]! * (logits.v[i * k + j]! - logSum);
    total += weights.v[i]! * ce;
  }
  return total / n;
}

/**
 * The inverted-dropout mask `DropoutLayer` draws from a step's Rng: 0 with probability `rate`,
 * else `1 / (1 - rate)` (the same draws, in layer order, so a seed fixes the masks).
 */
export function dropoutMask(rate: number, size: number, rng: Rng): Float64Array {
  const threshold = Math.floor(rate * 0x100000000);
  const mask = new Float64Array(size);
  for (let i = 0; i < size; i++) mask[i] = rng.nextUint32() < threshold ? 0 : 1 / (1 - rate);
  return mask;
}

/** The float64 forward pass of one growset layer in training mode. */
export function layerForward64(layer: Layer, x: T64, params: T64[], mask?: Float64Array): T64 {
  const n = x.shape[0]!;
  if (layer instanceof DenseLayer) {
    return activate64(dense64(x, params[0]!, layer.useBias ? params[1] : undefined), layer.activation);
  }
  if (layer instanceof ConvLayer) {
    return activate64(conv64(x, params[0]!, params[1], layer.stride, layer.padding), layer.activation);
  }
  if (layer instanceof PoolLayer) return pool64(x, layer.kind, layer.size);
  if (layer instanceof BatchNormLayer) return batchNorm64(x, params[0]!, params[1]!, layer.epsilon);
  if (layer instanceof ActivationLayer) return activate64(x, layer.activation);
  if (layer instanceof FlattenLayer) return { v: x.v, shape: [n, ...layer.outputShape] };
  if (layer instanceof DropoutLayer) {
    if (!mask) return x;
    return { v: x.v.map((value, i) => value * mask[i]!), shape: x.shape };
  }
  throw new Error(`No float64 reference for layer ${layer.name}`);
}

/** The float64 training loss of a layer list (dropout masks in layer order). */
export function networkLoss64(
  layers: Layer[],
  params: T64[],
  x: T64,
  targets: T64,
  weights: T64,
  masks: Float64Array[],
): number {
  let h = x;
  let p = 0;
  let m = 0;
  for (const layer of layers) {
    const own = params.slice(p, p + layer.params.length);
    p += layer.params.length;
    h = layerForward64(layer, h, own, layer instanceof DropoutLayer ? masks[m++] : undefined);
  }
  return softmaxCrossEntropy64(h, targets, weights);
}

/**
 * Central finite differences of `f` with respect to every entry of `inputs` (perturbed in place
 * and restored): `(f(x + h) - f(x - h)) / 2h`. In float64 with h = 1e-6 the truncation error is
 * O(h^2 f''') ~ 1e-12 and the rounding error O(eps f / h) ~ 1e-10, far below the float32 noise of
 * the gradients under test.
 */
export function finiteDifferences(inputs: T64[], f: () => number, h = 1e-6): Float64Array[] {
  return inputs.map((t) => {
    const g = new Float64Array(t.v.length);
    for (let i = 0; i < t.v.length; i++) {
      const keep = t.v[i]!;
      t.v[i] = keep + h;
      const up = f();
      t.v[i] = keep - h;
      const down = f();
      t.v[i] = keep;
      g[i] = (up - down) / (2 * h);
    }
    return g;
  });
}

/**
 * The worst error of `actual` against `expected`, in units of the tolerance
 * `atol + rtol * |expected|` (so <= 1 passes), and where it is.
 */
export function worstError(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol: number,
  rtol: number,
): { ratio: number; index: number; actual: number; expected: number } {
  if (actual.length !== expected.length) {
    throw new Error(`length ${actual.length} differs from the reference's ${expected.length}`);
  }
  let worst = { ratio: 0, index: -1, actual: 0, expected: 0 };
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const ratio = Math.abs(a - e) / (atol + rtol * Math.abs(e));
    if (!(ratio <= worst.ratio)) worst = { ratio, index: i, actual: a, expected: e };
  }
  return worst;
}

export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]!));
  return m;
}
