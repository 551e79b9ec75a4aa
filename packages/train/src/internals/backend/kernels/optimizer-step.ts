import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { heapF32, type WasmBackend } from './heap.ts';

/** Name of growset's fused optimizer kernel. */
export const OPTIMIZER_STEP = 'GrowsetOptimizerStep';

/** Update rules of {@link OPTIMIZER_STEP}, by number (kernel attributes are plain values). */
export const RULES = { sgd: 0, momentum: 1, rmsprop: 2, adam: 3 } as const;

/** Attributes of one optimizer step on one parameter tensor. */
export interface OptimizerStepAttrs {
  rule: number;
  learningRate: number;
  /** Momentum (momentum), rho (rmsprop) or beta1 (adam). */
  beta1: number;
  beta2: number;
  epsilon: number;
  l1: number;
  l2: number;
  /** 1-based step count (adam's bias correction). */
  t: number;
}

/**
 * One optimizer step for one parameter as a single pass over the heap: penalty gradient, slot
 * updates and the new weights, written to fresh outputs (weights are never mutated in place: the
 * backend caches packed weights by tensor). Replaces 8 to 14 elementwise kernels per parameter.
 * Inputs `w`, `g`, then the slots (`m` for momentum/rmsprop, `m`, `v` for adam); outputs the new
 * `w` then the new slots.
 */
const optimizerStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as WasmBackend;
  const a = attrs as unknown as OptimizerStepAttrs;
  const w = inputs.w as TensorInfo;
  const g = inputs.g as TensorInfo;
  const slotInputs = [inputs.m, inputs.v].filter((s): s is TensorInfo => s !== undefined);
  const outW = wasm.makeOutput([...w.shape], 'float32');
  const outSlots = slotInputs.map((s) => wasm.makeOutput([...s.shape], 'float32'));
  const wv = heapF32(wasm, w);
  const gv = heapF32(wasm, g);
  const ow = heapF32(wasm, outW);
  const n = wv.length;
  const l1 = a.l1;
  const l2x2 = 2 * a.l2;
  const lr = a.learningRate;
  if (a.rule === RULES.sgd) {
    for (let i = 0; i < n; i++) {
      const wi = wv[i]!;
      const gi = gv[i]! + l2x2 * wi + (l1 === 0 ? 0 : l1 * Math.sign(wi));
      ow[i] = wi - lr * gi;
    }
    return [outW];
  }
  const m = heapF32(wasm, slotInputs[0]!);
  const om = heapF32(wasm, outSlots[0]!);
  const b1 = a.beta1;
  if (a.rule === RULES.momentum) {
    for (let i = 0; i < n; i++) {
      const wi = wv[i]!;
      const gi = gv[i]! + l2x2 * wi + (l1 === 0 ? 0 : l1 * Math.sign(wi));
      const mi = b1 * m[i]! + gi;
      om[i] = mi;
      ow[i] = wi - lr * mi;
    }
    return [outW, outSlots[0]!];
  }
  if (a.rule === RULES.rmsprop) {
    const c1 = 1 - b1;
    const eps = a.epsilon;
    for (let i = 0; i < n; i++) {
      const wi = wv[i]!;
      const gi = gv[i]! + l2x2 * wi + (l1 === 0 ? 0 : l1 * Math.sign(wi));
      const mi = b1 * m[i]! + c1 * gi * gi;
      om[i] = mi;
      ow[i] = wi - (lr * gi) / Math.sqrt(mi + eps);
    }
    return [outW, outSlots[0]!];
  }
  const v = heapF32(wasm, slotInputs[1]!);
  const ov = heapF32(wasm, outSlots[1]!);
  const b2 = a.beta2;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  const stepSize = lr / (1 - b1 ** a.t);
  const vScale = 1 / (1 - b2 ** a.t);
  const eps = a.epsilon;
  if (l1 === 0 && l2x2 === 0) {
    // The common case, kept free of penalty terms so the loop stays tight.
    for (let i = 0; i < n; i++) {
      const gi = gv[i]!;
      const mi = b1 * m[i]! + c1 * gi;
      const vi = b2 * v[i]! + c2 * gi * gi;
      om[i] = mi;
      ov[i] = vi;
      ow[i] = wv[i]! - (stepSize * mi) / (Math.sqrt(vi * vScale) + eps);
    }
    return [outW, outSlots[0]!, outSlots[1]!];
  }
  for (let i = 0; i < n; i++) {
    const wi = wv[i]!;
    const gi = gv[i]! + l2x2 * wi + (l1 === 0 ? 0 : l1 * Math.sign(wi));
    const mi = b1 * m[i]! + c1 * gi;
    const vi = b2 * v[i]! + c2 * gi * gi;
    om[i] = mi;
    ov[i] = vi;
    ow[i] = wi - (stepSize * mi) / (Math.sqrt(vi * vScale) + eps);
  }
  return [outW, outSlots[0]!, outSlots[1]!];
};

export const optimizerStepConfig: KernelConfig = {
  kernelName: OPTIMIZER_STEP,
  backendName: 'wasm',
  kernelFunc: optimizerStep,
};
