import * as tf from '@tensorflow/tfjs';
import { OPTIMIZER_STEP, type OptimizerStepAttrs, RULES } from '../backend/kernels/optimizer-step.ts';
import type { OptimizerName } from '../models/spec.ts';

export interface OptimizerConfig {
  name: OptimizerName;
  learningRate: number;
  /** L1 penalty on regularized parameters. */
  l1: number;
  /** L2 penalty (`l2 * sum(w^2)`) on regularized parameters. */
  l2: number;
}

const BETA1 = { sgd: 0, momentum: 0.9, rmsprop: 0.9, adam: 0.9 } as const;
const BETA2 = 0.999;
const EPSILON = 1e-7;
const SLOTS = { sgd: 0, momentum: 1, rmsprop: 1, adam: 2 } as const;

/**
 * Gradient-descent optimizers over a list of parameter tensors (sgd, momentum 0.9, rmsprop
 * rho 0.9, adam 0.9/0.999; epsilon 1e-7), with L1/L2 penalties folded into the update. On wasm each
 * parameter's step is one fused kernel; elsewhere the same rule runs as tf ops.
 */
export class Optimizer {
  readonly #config: OptimizerConfig;
  readonly #regularized: boolean[];
  #slots: tf.Tensor[][];
  #t = 0;

  constructor(config: OptimizerConfig, params: tf.Tensor[], regularized: boolean[]) {
    this.#config = config;
    this.#regularized = regularized;
    const slots = SLOTS[config.name];
    this.#slots = params.map((p) => Array.from({ length: slots }, () => tf.keep(tf.zerosLike(p))));
  }

  /** Applies one step (at `learningRate`, default the configured one): returns the new parameters (kept) and disposes the old ones and the gradients. */
  apply(params: tf.Tensor[], grads: tf.Tensor[], learningRate = this.#config.learningRate): tf.Tensor[] {
    this.#t++;
    const fused = tf.getKernel(OPTIMIZER_STEP, tf.getBackend()) !== undefined;
    const next = params.map((w, i) => {
      const g = grads[i]!;
      const slots = this.#slots[i]!;
      const reg = this.#regularized[i] === true;
      const attrs: OptimizerStepAttrs = {
        rule: RULES[this.#config.name],
        learningRate,
        beta1: BETA1[this.#config.name],
        beta2: BETA2,
        epsilon: EPSILON,
        l1: reg ? this.#config.l1 : 0,
        l2: reg ? this.#config.l2 : 0,
        t: this.#t,
      };
      const outputs = fused ? this.#fused(w, g, slots, attrs) : tf.tidy(() => this.#ops(w, g, slots, attrs));
      for (const t of outputs) tf.keep(t);
      for (const s of slots) s.dispose();
      this.#slots[i] = outputs.slice(1);
      return outputs[0]!;
    });
    for (const p of params) p.dispose();
    for (const g of grads) g.dispose();
    return next;
  }

  #fused(w: tf.Tensor, g: tf.Tensor, slots: tf.Tensor[], attrs: OptimizerStepAttrs): tf.Tensor[] {
    const inputs: tf.NamedTensorMap = { w, g };
    if (slots[0]) inputs.m = slots[0];
    if (slots[1]) inputs.v = slots[1];
    return tf.engine().runKernel(OPTIMIZER_STEP, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  }

  #ops(w: tf.Tensor, grad: tf.Tensor, slots: tf.Tensor[], a: OptimizerStepAttrs): tf.Tensor[] {
    let g = grad;
    if (a.l2 > 0) g = tf.add(g, tf.mul(w, 2 * a.l2));
    if (a.l1 > 0) g = tf.add(g, tf.mul(tf.sign(w), a.l1));
    const lr = a.learningRate;
    switch (a.rule) {
      case RULES.sgd:
        return [tf.sub(w, tf.mul(g, lr))];
      case RULES.momentum: {
        const m = tf.add(tf.mul(slots[0]!, a.beta1), g);
        return [tf.sub(w, tf.mul(m, lr)), m];
      }
      case RULES.rmsprop: {
        const m = tf.add(tf.mul(slots[0]!, a.beta1), tf.mul(tf.square(g), 1 - a.beta1));
        return [tf.sub(w, tf.div(tf.mul(g, lr), tf.sqrt(tf.add(m, a.epsilon)))), m];
      }
      default: {
        const m = tf.add(tf.mul(slots[0]!, a.beta1), tf.mul(g, 1 - a.beta1));
        const v = tf.add(tf.mul(slots[1]!, a.beta2), tf.mul(tf.square(g), 1 - a.beta2));
        const stepSize = lr / (1 - a.beta1 ** a.t);
        const denom = tf.add(tf.sqrt(tf.mul(v, 1 / (1 - a.beta2 ** a.t))), a.epsilon);
        return [tf.sub(w, tf.div(tf.mul(m, stepSize), denom)), m, v];
      }
    }
  }

  dispose(): void {
    for (const slots of this.#slots) for (const s of slots) s.dispose();
    this.#slots = [];
  }
}
