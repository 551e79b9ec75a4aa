import type { Rng } from '@growset/core';
import * as tf from '@tensorflow/tfjs';
import { MLP_STEP, type MlpStepAttrs, SOFTMAX_CROSS_ENTROPY } from '../backend/kernels/dense.ts';
import {
  ActivationLayer,
  BatchNormLayer,
  ConvLayer,
  DenseLayer,
  DropoutLayer,
  FlattenLayer,
  type Layer,
  type LayerGradients,
  type LayerOutput,
  PoolLayer,
  type StepContext,
} from './layers.ts';
import type { NetworkSpec } from './spec.ts';

/**
 * Sum over the batch of `weights * cross-entropy(softmax(logits), targets)`, and its gradient with
 * respect to the logits divided by the batch size, `(softmax - t) * w / n`: one kernel on wasm.
 */
function softmaxCrossEntropy(
  logits: tf.Tensor,
  targets: tf.Tensor,
  weights: tf.Tensor,
): [tf.Tensor, tf.Tensor] {
  if (tf.getKernel(SOFTMAX_CROSS_ENTROPY, tf.getBackend()) !== undefined) {
    return tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits, targets, weights }) as [
      tf.Tensor,
      tf.Tensor,
    ];
  }
  const n = logits.shape[0] ?? 1;
  const logP = tf.logSoftmax(logits);
  const w = tf.reshape(weights, [n, 1]);
  const lossSum = tf.neg(tf.sum(tf.mul(tf.mul(targets, logP), w)));
  return [lossSum, tf.mul(tf.sub(tf.exp(logP), targets), tf.div(w, n))];
}

/** Builds the layer list of a spec for a per-sample input shape and a class count. */
export function buildLayers(spec: NetworkSpec, featureShape: readonly number[], classes: number): Layer[] {
  const layers: Layer[] = [];
  let shape = [...featureShape];
  const flatten = () => {
    if (shape.length > 1) {
      const layer = new FlattenLayer(shape);
      layers.push(layer);
      shape = layer.outputShape;
    }
  };
  const push = (layer: Layer) => {
    layers.push(layer);
    shape = layer.outputShape;
  };
  if (spec.model === 'cnn') {
    if (shape.length !== 3) {
      throw new RangeError(
        `A cnn needs image features shaped [height, width, channels], got [${shape.join(', ')}]`,
      );
    }
    for (const [index, entry] of spec.conv.entries()) {
      const conv =
        typeof entry === 'number'
          ? { filters: entry, kernel: 3, stride: 1, padding: 'valid' as const }
          : entry;
      const [h, w] = shape as [number, number, number];
      // The convolution's output must hold at least one pooling window.
      const out = (size: number) =>
        conv.padding === 'same'
          ? Math.ceil(size / conv.stride)
          : Math.floor((size - conv.kernel) / conv.stride) + 1;
      const needed = spec.pool !== 'none' ? spec.poolSize : 1;
      if (out(h) < needed || out(w) < needed) {
        throw new RangeError(
          `cnn: conv layer ${index + 1} gets a ${h}x${w} feature map from ${featureShape[0]}x${featureShape[1]} images, too small for a ${conv.kernel}x${conv.kernel} ${conv.padding} convolution${spec.pool !== 'none' ? ` and ${spec.poolSize}x${spec.poolSize} pooling` : ''}: use larger images or fewer conv layers`,
        );
      }
      push(
        new ConvLayer(
          shape as [number, number, number],
          conv.filters,
          conv.kernel,
          conv.stride,
          conv.padding,
          spec.activation,
        ),
      );
      if (spec.pool !== 'none' && spec.poolSize > 1)
        push(new PoolLayer(shape as [number, number, number], spec.pool, spec.poolSize));
    }
    flatten();
    for (const units of spec.dense) {
      if (spec.dropout > 0) push(new DropoutLayer(spec.dropout, shape));
      push(new DenseLayer(shape[0]!, units, spec.activation));
    }
    if (spec.dropout > 0) push(new DropoutLayer(spec.dropout, shape));
  } else {
    flatten();
    if (spec.model === 'mlp') {
      for (const units of spec.hidden) {
        if (spec.batchNorm) {
          push(new DenseLayer(shape[0]!, units, 'linear', false));
          push(new BatchNormLayer(units));
          if (spec.activation !== 'linear') push(new ActivationLayer(units, spec.activation));
        } else {
          push(new DenseLayer(shape[0]!, units, spec.activation));
        }
        if (spec.dropout > 0) push(new DropoutLayer(spec.dropout, shape));
      }
    }
  }
  push(new DenseLayer(shape[0]!, classes, 'linear'));
  return layers;
}

/** Glorot-uniform (weights), zeros or ones, drawn from `rng` on the host. */
function initialValues(spec: Layer['params'][number], rng: Rng): Float32Array {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  if (spec.init === 'ones') values.fill(1);
  else if (spec.init === 'glorot') {
    const limit = Math.sqrt(6 / (spec.fanIn + spec.fanOut));
    for (let i = 0; i < size; i++) values[i] = (rng.float() * 2 - 1) * limit;
  }
  return values;
}

/** The result of a forward and backward pass on one batch. */
export interface StepResult {
  /** Sum over the batch of `weight * cross-entropy` (scalar). */
  lossSum: tf.Tensor;
  grads: tf.Tensor[];
}

/**
 * A feed-forward network: its layers, parameter tensors (owned, replaced by each optimizer step)
 * and a hand-written training step (forward, softmax cross-entropy, backward).
 */
export class Network {
  readonly layers: Layer[];
  params: tf.Tensor[];
  /** Index of each layer's first parameter in `params`. */
  readonly #offsets: number[];

  constructor(layers: Layer[], rng: Rng) {
    this.layers = layers;
    this.#offsets = [];
    const params: tf.Tensor[] = [];
    layers.forEach((layer, i) => {
      this.#offsets.push(params.length);
      layer.params.forEach((p, j) => {
        params.push(
          tf.keep(tf.tensor(initialValues(p, rng.fork(`layer-${i}-param-${j}`)), p.shape, 'float32')),
        );
      });
    });
    this.params = params;
  }

  /** Which parameters take the L1/L2 penalties. */
  get regularized(): boolean[] {
    return this.layers.flatMap((layer) => layer.params.map((p) => p.regularized));
  }

  get parameterCount(): number {
    return this.params.reduce((sum, p) => sum + p.size, 0);
  }

  #layerParams(i: number): tf.Tensor[] {
    const start = this.#offsets[i]!;
    return this.params.slice(start, start + this.layers[i]!.params.length);
  }

  /** Logits for a batch (call inside tf.tidy). */
  logits(x: tf.Tensor, ctx: StepContext = { training: false }): tf.Tensor {
    let h = x;
    this.layers.forEach((layer, i) => {
      h = layer.forward(h, this.#layerParams(i), ctx).y;
    });
    return h;
  }

  /**
   * Forward and backward pass (call inside tf.tidy). `targets` are class probabilities
   * (`[batch, classes]`), `weights` per-sample loss weights (`[batch]`); the loss is
   * `sum(weights * CE) / batch`, and the gradients are of that loss.
   */
  step(x: tf.Tensor, targets: tf.Tensor, weights: tf.Tensor, rng: Rng): StepResult {
    const fused = this.#mlpStep(x, targets, weights);
    if (fused) return fused;
    const ctx: StepContext = { training: true, rng };
    const inputs: tf.Tensor[] = [];
    const outputs: LayerOutput[] = [];
    let h = x;
    this.layers.forEach((layer, i) => {
      inputs.push(h);
      const out = layer.forward(h, this.#layerParams(i), ctx);
      outputs.push(out);
      h = out.y;
    });
    const [lossSum, dLogits] = softmaxCrossEntropy(h, targets, weights);
    let dy: tf.Tensor | null = dLogits;
    const grads: tf.Tensor[] = new Array(this.params.length);
    for (let i = this.layers.length - 1; i >= 0 && dy; i--) {
      const layer = this.layers[i]!;
      const below = this.layers[i - 1];
      if (layer instanceof PoolLayer && below instanceof ConvLayer && below.activation === 'relu') {
        // Max pool over a ReLU conv: one fused gradient kernel to the conv's pre-activation.
        const dz = layer.backwardThroughRelu(dy, inputs[i]!, outputs[i]!);
        if (dz) {
          const j = i - 1;
          const result: LayerGradients = below.backward(
            dz,
            inputs[j]!,
            outputs[j]!,
            this.#layerParams(j),
            j > 0,
            true,
          );
          result.grads.forEach((g, k) => {
            grads[this.#offsets[j]! + k] = g;
          });
          dy = result.dx;
          i = j;
          continue;
        }
      }
      const result: LayerGradients = layer.backward(dy, inputs[i]!, outputs[i]!, this.#layerParams(i), i > 0);
      result.grads.forEach((g, j) => {
        grads[this.#offsets[i]! + j] = g;
      });
      dy = result.dx;
    }
    return { lossSum, grads };
  }

  /**
   * The whole step as one kernel call (wasm) when every layer is a dense layer with a bias and a
   * ReLU or linear activation (an MLP without dropout or batch normalization), else undefined.
   */
  #mlpStep(x: tf.Tensor, targets: tf.Tensor, weights: tf.Tensor): StepResult | undefined {
    if (x.rank !== 2 || tf.getKernel(MLP_STEP, tf.getBackend()) === undefined) return undefined;
    const relu: boolean[] = [];
    for (const layer of this.layers) {
      if (!(layer instanceof DenseLayer) || !layer.useBias) return undefined;
      if (layer.activation !== 'relu' && layer.activation !== 'linear') return undefined;
      relu.push(layer.activation === 'relu');
    }
    const inputs: tf.NamedTensorMap = { x, targets, weights };
    this.params.forEach((p, i) => {
      inputs[`${i % 2 === 0 ? 'w' : 'b'}${i >> 1}`] = p;
    });
    const attrs: MlpStepAttrs = { relu };
    const [lossSum, ...grads] = tf
      .engine()
      .runKernel(MLP_STEP, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return { lossSum: lossSum!, grads };
  }

  /** Copies of the parameters and layer state, for restore-best. */
  snapshot(): tf.Tensor[][] {
    return [
      this.params.map((p) => tf.keep(p.clone())),
      this.layers.flatMap((l) => (l.getState?.() ?? []).map((s) => tf.keep(s.clone()))),
    ];
  }

  restore(snapshot: tf.Tensor[][]): void {
    const [params, state] = snapshot as [tf.Tensor[], tf.Tensor[]];
    for (const p of this.params) p.dispose();
    this.params = params.map((p) => tf.keep(p.clone()));
    let k = 0;
    for (const layer of this.layers) {
      const current = layer.getState?.();
      if (!current || !layer.setState) continue;
      layer.setState(state.slice(k, k + current.length));
      k += current.length;
    }
  }

  dispose(): void {
    for (const p of this.params) p.dispose();
    this.params = [];
    for (const layer of this.layers) layer.dispose?.();
  }
}

/** Frees a snapshot. */
export function disposeSnapshot(snapshot: tf.Tensor[][]): void {
  for (const group of snapshot) for (const t of group) t.dispose();
}
