import type { Rng } from '@growset/core';
import * as tf from '@tensorflow/tfjs';
import { CONV_FILTER_BIAS_GRAD, MAX_POOL_RELU_GRAD } from '../backend/kernels/conv-block-grads.ts';
import { DENSE_FORWARD, DENSE_GRAD } from '../backend/kernels/dense.ts';
import type { Activation } from './spec.ts';

/** Whether the current backend has a growset fused kernel. */
function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/** A trainable parameter of a layer. */
export interface ParamSpec {
  shape: number[];
  init: 'glorot' | 'zeros' | 'ones';
  fanIn: number;
  fanOut: number;
  /** Whether the L1/L2 penalties apply (weights yes, biases and batch-norm scales no). */
  regularized: boolean;
}

/** Per-step context: training mode and the random source for dropout. */
export interface StepContext {
  training: boolean;
  rng?: Rng;
}

export interface LayerOutput {
  y: tf.Tensor;
  /** Whatever backward needs (tensors live until the step's tidy ends). */
  cache: tf.Tensor[];
}

export interface LayerGradients {
  dx: tf.Tensor | null;
  grads: tf.Tensor[];
}

/**
 * A layer with a hand-written backward pass. Training runs forward and backward as plain kernel
 * calls, with no autograd tape: fused forward kernels (MatMul + bias + activation, Conv2D + bias +
 * activation) and activation derivatives taken from the outputs.
 */
export interface Layer {
  readonly name: string;
  readonly params: ParamSpec[];
  /** Per-sample output shape. */
  readonly outputShape: number[];
  forward(x: tf.Tensor, params: tf.Tensor[], ctx: StepContext): LayerOutput;
  backward(
    dy: tf.Tensor,
    x: tf.Tensor,
    out: LayerOutput,
    params: tf.Tensor[],
    needDx: boolean,
  ): LayerGradients;
  /** Non-trainable state (batch-norm moving statistics), for snapshots. */
  getState?(): tf.Tensor[];
  setState?(state: tf.Tensor[]): void;
  dispose?(): void;
}

type FusedActivation = 'relu' | 'sigmoid' | 'elu' | 'linear';

function fusable(activation: Activation): FusedActivation | undefined {
  return activation === 'tanh' ? undefined : activation;
}

/** Applies an activation that could not be fused. */
function activate(z: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.relu(z);
    case 'tanh':
      return tf.tanh(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'elu':
      return tf.elu(z);
    default:
      return z;
  }
}

/** `dy * f'(z)` written with the output `a = f(z)`. */
export function activationGrad(dy: tf.Tensor, a: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.mul(dy, tf.step(a));
    case 'tanh':
      return tf.mul(dy, tf.sub(1, tf.square(a)));
    case 'sigmoid':
      return tf.mul(dy, tf.mul(a, tf.sub(1, a)));
    case 'elu':
      return tf.mul(dy, tf.where(tf.greater(a, 0), tf.onesLike(a), tf.add(a, 1)));
    default:
      return dy;
  }
}

/** An activation on its own (after batch normalization). */
export class ActivationLayer implements Layer {
  readonly name = 'activation';
  readonly params: ParamSpec[] = [];
  readonly outputShape: number[];

  constructor(
    units: number,
    readonly activation: Activation,
  ) {
    this.outputShape = [units];
  }

  forward(x: tf.Tensor): LayerOutput {
    return { y: activate(x, this.activation), cache: [] };
  }

  backward(dy: tf.Tensor, _x: tf.Tensor, out: LayerOutput): LayerGradients {
    return { dx: activationGrad(dy, out.y, this.activation), grads: [] };
  }
}

/** Fully connected layer `f(x W + b)`. */
export class DenseLayer implements Layer {
  readonly name = 'dense';
  readonly params: ParamSpec[];
  readonly outputShape: number[];

  constructor(
    readonly inputs: number,
    readonly units: number,
    readonly activation: Activation,
    readonly useBias = true,
  ) {
    this.params = [
      { shape: [inputs, units], init: 'glorot', fanIn: inputs, fanOut: units, regularized: true },
    ];
    if (useBias)
      this.params.push({ shape: [units], init: 'zeros', fanIn: inputs, fanOut: units, regularized: false });
    this.outputShape = [units];
  }

  /** Whether growset's fused dense kernels run this layer (wasm; ReLU or linear). */
  #growsetKernels(): boolean {
    return (this.activation === 'relu' || this.activation === 'linear') && hasKernel(DENSE_GRAD);
  }

  forward(x: tf.Tensor, params: tf.Tensor[]): LayerOutput {
    if (this.#growsetKernels()) {
      const inputs: tf.NamedTensorMap = { x, w: params[0]! };
      if (this.useBias) inputs.b = params[1]!;
      const y = tf.engine().runKernel(DENSE_FORWARD, inputs, {
        relu: this.activation === 'relu',
      }) as tf.Tensor;
      return { y, cache: [] };
    }
    const fused = fusable(this.activation);
    const z = tf.fused.matMul({
      a: x as tf.Tensor2D,
      b: params[0] as tf.Tensor2D,
      ...(this.useBias ? { bias: params[1] } : {}),
      activation: fused ?? 'linear',
    });
    return { y: fused === undefined ? activate(z, this.activation) : z, cache: [] };
  }

  backward(
    dy: tf.Tensor,
    x: tf.Tensor,
    out: LayerOutput,
    params: tf.Tensor[],
    needDx: boolean,
  ): LayerGradients {
    if (this.#growsetKernels()) {
      // One kernel call: ReLU derivative, dW = x^T dz, db = sum(dz), dx = dz W^T.
      const outputs = tf
        .engine()
        .runKernel(
          DENSE_GRAD,
          { x, dy, y: out.y, w: params[0]! },
          { relu: this.activation === 'relu', needDx, hasBias: this.useBias },
        ) as tf.Tensor[];
      const count = this.useBias ? 2 : 1;
      return { grads: outputs.slice(0, count), dx: needDx ? outputs[count]! : null };
    }
    const dz = activationGrad(dy, out.y, this.activation) as tf.Tensor2D;
    const grads: tf.Tensor[] = [tf.matMul(x as tf.Tensor2D, dz, true, false)];
    if (this.useBias) grads.push(tf.sum(dz, 0));
    const dx = needDx ? tf.matMul(dz, params[0] as tf.Tensor2D, false, true) : null;
    return { dx, grads };
  }
}

/** Inverted dropout: masks drawn from the step's Rng, so a seed fixes them. */
export class DropoutLayer implements Layer {
  readonly name = 'dropout';
  readonly params: ParamSpec[] = [];

  constructor(
    readonly rate: number,
    readonly outputShape: number[],
  ) {}

  forward(x: tf.Tensor, _params: tf.Tensor[], ctx: StepContext): LayerOutput {
    if (!ctx.training || this.rate === 0 || !ctx.rng) return { y: x, cache: [] };
    const mask = new Float32Array(x.size);
    const keep = 1 - this.rate;
    const threshold = Math.floor(this.rate * 0x100000000);
    const scale = 1 / keep;
    const rng = ctx.rng;
    for (let i = 0; i < mask.length; i++) mask[i] = rng.nextUint32() < threshold ? 0 : scale;
    const m = tf.tensor(mask, x.shape);
    return { y: tf.mul(x, m), cache: [m] };
  }

  backward(dy: tf.Tensor, _x: tf.Tensor, out: LayerOutput): LayerGradients {
    const mask = out.cache[0];
    return { dx: mask ? tf.mul(dy, mask) : dy, grads: [] };
  }
}

/**
 * Batch normalization over the batch axis (features last), with moving statistics for inference:
 * the cumulative average of the batch statistics over the first `1 / (1 - momentum)` steps, then an
 * exponential average with `momentum` (PyTorch's 0.1 update rate). Keras's 0.99 from zero/one,
 * with the few steps a small data set gives, left inference normalizing with statistics far from
 * the data's (a 30-sample MLP scored 57% on its own training data in inference mode, 100% in
 * training mode).
 */
export class BatchNormLayer implements Layer {
  readonly name = 'batchNorm';
  readonly params: ParamSpec[];
  readonly outputShape: number[];
  #movingMean: tf.Tensor;
  #movingVar: tf.Tensor;
  #updates = 0;

  constructor(
    readonly features: number,
    readonly momentum = 0.9,
    readonly epsilon = 1e-3,
  ) {
    this.params = [
      { shape: [features], init: 'ones', fanIn: features, fanOut: features, regularized: false },
      { shape: [features], init: 'zeros', fanIn: features, fanOut: features, regularized: false },
    ];
    this.outputShape = [features];
    this.#movingMean = tf.keep(tf.zeros([features]));
    this.#movingVar = tf.keep(tf.ones([features]));
  }

  forward(x: tf.Tensor, params: tf.Tensor[], ctx: StepContext): LayerOutput {
    const [gamma, beta] = params as [tf.Tensor, tf.Tensor];
    if (!ctx.training) {
      const y = tf.batchNorm(x, this.#movingMean, this.#movingVar, beta, gamma, this.epsilon);
      return { y, cache: [] };
    }
    const { mean, variance } = tf.moments(x, 0);
    const invStd = tf.rsqrt(tf.add(variance, this.epsilon));
    const xHat = tf.mul(tf.sub(x, mean), invStd);
    const y = tf.add(tf.mul(xHat, gamma), beta);
    const n = x.shape[0] ?? 1;
    const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
    // A cumulative average over the first updates, then an exponential one: the statistics are
    // the data's from the first step on, instead of creeping from (0, 1) at `1 - momentum` per step.
    this.#updates++;
    const rate = Math.max(1 - this.momentum, 1 / this.#updates);
    const nextMean = tf.keep(tf.add(tf.mul(this.#movingMean, 1 - rate), tf.mul(mean, rate)));
    const nextVar = tf.keep(tf.add(tf.mul(this.#movingVar, 1 - rate), tf.mul(unbiased, rate)));
    this.#movingMean.dispose();
    this.#movingVar.dispose();
    this.#movingMean = nextMean;
    this.#movingVar = nextVar;
    return { y, cache: [xHat, invStd] };
  }

  backward(
    dy: tf.Tensor,
    _x: tf.Tensor,
    out: LayerOutput,
    params: tf.Tensor[],
    needDx: boolean,
  ): LayerGradients {
    const [xHat, invStd] = out.cache as [tf.Tensor, tf.Tensor];
    const gamma = params[0] as tf.Tensor;
    const dGamma = tf.sum(tf.mul(dy, xHat), 0);
    const dBeta = tf.sum(dy, 0);
    if (!needDx) return { dx: null, grads: [dGamma, dBeta] };
    const n = dy.shape[0] ?? 1;
    // dx = gamma * invStd / n * (n * dy - sum(dy) - xHat * sum(dy * xHat))
    const inner = tf.sub(tf.sub(tf.mul(dy, n), dBeta), tf.mul(xHat, dGamma));
    const dx = tf.mul(inner, tf.mul(gamma, tf.div(invStd, n)));
    return { dx, grads: [dGamma, dBeta] };
  }

  getState(): tf.Tensor[] {
    return [this.#movingMean, this.#movingVar];
  }

  setState(state: tf.Tensor[]): void {
    const [mean, variance] = state as [tf.Tensor, tf.Tensor];
    this.#movingMean.dispose();
    this.#movingVar.dispose();
    this.#movingMean = tf.keep(mean.clone());
    this.#movingVar = tf.keep(variance.clone());
  }

  dispose(): void {
    this.#movingMean.dispose();
    this.#movingVar.dispose();
  }
}

/** 2-D convolution (NHWC) with bias and activation fused into the forward kernel. */
export class ConvLayer implements Layer {
  readonly name = 'conv';
  readonly params: ParamSpec[];
  readonly outputShape: number[];

  constructor(
    readonly inputShape: [number, number, number],
    readonly filters: number,
    readonly kernel: number,
    readonly stride: number,
    readonly padding: 'valid' | 'same',
    readonly activation: Activation,
  ) {
    const [h, w, c] = inputShape;
    const fanIn = kernel * kernel * c;
    const fanOut = kernel * kernel * filters;
    this.params = [
      { shape: [kernel, kernel, c, filters], init: 'glorot', fanIn, fanOut, regularized: true },
      { shape: [filters], init: 'zeros', fanIn, fanOut, regularized: false },
    ];
    const out = (size: number) =>
      padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
    this.outputShape = [out(h), out(w), filters];
    if (this.outputShape[0]! < 1 || this.outputShape[1]! < 1) {
      throw new RangeError(`A ${kernel}x${kernel} convolution does not fit an input of ${h}x${w}`);
    }
  }

  forward(x: tf.Tensor, params: tf.Tensor[]): LayerOutput {
    const fused = fusable(this.activation);
    const z = tf.fused.conv2d({
      x: x as tf.Tensor4D,
      filter: params[0] as tf.Tensor4D,
      strides: this.stride,
      pad: this.padding,
      bias: params[1],
      activation: fused ?? 'linear',
    });
    return { y: fused === undefined ? activate(z, this.activation) : z, cache: [] };
  }

  backward(
    dy: tf.Tensor,
    x: tf.Tensor,
    out: LayerOutput,
    params: tf.Tensor[],
    needDx: boolean,
    preActivation = false,
  ): LayerGradients {
    const dz = (preActivation ? dy : activationGrad(dy, out.y, this.activation)) as tf.Tensor4D;
    const filter = params[0] as tf.Tensor4D;
    const attrs = {
      strides: [this.stride, this.stride],
      pad: this.padding,
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
    };
    let dW: tf.Tensor;
    let db: tf.Tensor;
    if (hasKernel(CONV_FILTER_BIAS_GRAD)) {
      // One MatMul for both: the bias gradient rides along as an extra row of ones.
      [dW, db] = tf.engine().runKernel(CONV_FILTER_BIAS_GRAD, { x, dy: dz }, {
        strides: attrs.strides,
        pad: this.padding,
        filterShape: filter.shape,
      } as unknown as tf.NamedAttrMap) as [tf.Tensor, tf.Tensor];
    } else {
      dW = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: dz }, {
        ...attrs,
        filterShape: filter.shape,
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
      db = tf.sum(dz, [0, 1, 2]);
    }
    const dx = needDx
      ? (tf.engine().runKernel('Conv2DBackpropInput', { dy: dz, filter }, {
          ...attrs,
          inputShape: x.shape,
        } as unknown as tf.NamedAttrMap) as tf.Tensor)
      : null;
    return { dx, grads: [dW, db] };
  }
}

/** Max or average pooling (NHWC), window = stride = `size`, valid padding. */
export class PoolLayer implements Layer {
  readonly name = 'pool';
  readonly params: ParamSpec[] = [];
  readonly outputShape: number[];

  constructor(
    readonly inputShape: [number, number, number],
    readonly kind: 'max' | 'avg',
    readonly size: number,
  ) {
    const [h, w, c] = inputShape;
    this.outputShape = [Math.floor(h / size), Math.floor(w / size), c];
    if (this.outputShape[0]! < 1 || this.outputShape[1]! < 1) {
      throw new RangeError(`A ${size}x${size} pooling does not fit an input of ${h}x${w}`);
    }
  }

  forward(x: tf.Tensor): LayerOutput {
    const y =
      this.kind === 'max'
        ? tf.maxPool(x as tf.Tensor4D, this.size, this.size, 'valid')
        : tf.avgPool(x as tf.Tensor4D, this.size, this.size, 'valid');
    return { y, cache: [] };
  }

  /**
   * The gradient straight to the pre-activation of a ReLU layer feeding this max pool (one fused
   * kernel on wasm), or null when that kernel is not available.
   */
  backwardThroughRelu(dy: tf.Tensor, x: tf.Tensor, out: LayerOutput): tf.Tensor | null {
    if (this.kind !== 'max' || !hasKernel(MAX_POOL_RELU_GRAD)) return null;
    return tf
      .engine()
      .runKernel(MAX_POOL_RELU_GRAD, { dy, input: x, output: out.y }, { size: this.size }) as tf.Tensor;
  }

  backward(
    dy: tf.Tensor,
    x: tf.Tensor,
    out: LayerOutput,
    _params: tf.Tensor[],
    needDx: boolean,
  ): LayerGradients {
    if (!needDx) return { dx: null, grads: [] };
    const attrs = { filterSize: this.size, strides: this.size, pad: 'valid' } as unknown as tf.NamedAttrMap;
    const dx =
      this.kind === 'max'
        ? (tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: out.y }, attrs) as tf.Tensor)
        : (tf.engine().runKernel('AvgPoolGrad', { dy, input: x }, attrs) as tf.Tensor);
    return { dx, grads: [] };
  }
}

/** Flattens per-sample features to a vector. */
export class FlattenLayer implements Layer {
  readonly name = 'flatten';
  readonly params: ParamSpec[] = [];
  readonly outputShape: number[];

  constructor(readonly inputShape: number[]) {
    this.outputShape = [inputShape.reduce((a, b) => a * b, 1)];
  }

  forward(x: tf.Tensor): LayerOutput {
    return { y: tf.reshape(x, [x.shape[0] ?? -1, this.outputShape[0]!]), cache: [] };
  }

  backward(dy: tf.Tensor, x: tf.Tensor): LayerGradients {
    return { dx: tf.reshape(dy, x.shape), grads: [] };
  }
}
