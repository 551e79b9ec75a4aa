import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { free, heapF32, type WasmBackend, wasmKernel } from './heap.ts';
import { adamKernel, adamKey } from './simd/adam.ts';
import { pointer, simdKernel } from './simd/runtime.ts';

/** Name of growset's fused optimizer kernel. */
export const OPTIMIZER_STEP = 'GrowsetOptimizerStep';

/** Update rules of {@link OPTIMIZER_STEP}, by number (kernel attributes are plain values). */
export const RULES = { sgd: 0, momentum: 1, rmsprop: 2, adam: 3 } as const;

let simdAdam = true;

/**
 * Turns the generated SIMD Adam step off (or back on): benchmarks use it to time the loop as it
 * was before, in the same process. On by default.
 */
export function setSimdAdam(on: boolean): void {
  simdAdam = on;
}

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

// Each update rule's loop is its own small function. One function holding every loop was compiled
// by on-stack replacement at whichever loop got hot first, and its optimized code then bailed out on
// every call that took another loop (over 4,000 deoptimizations in one study); separate functions
// get their own type feedback and are optimized whole.

function sgd(
  wv: Float32Array,
  gv: Float32Array,
  ow: Float32Array,
  lr: number,
  l1: number,
  l2x2: number,
): void {
  const n = wv.length;
  for (let i = 0; i < n; i++) {
    const wi = wv[i]!;
    const gi = gv[i]! + l2x2 * wi + (l1 === 0 ? 0 : l1 * Math.sign(wi));
    ow[i] = wi - lr * gi;
  }
}

function momentum(
  wv: Float32Array,
  gv: Float32Array,
  m: Float32Array,
  ow: Float32Array,
  om: Float32Array,
  lr: number,
  b1: number,
  l1: number,
  l2x2: number,
): void {
  const n = wv.length;
  for (let i = 0; i < n; i++) {
    const wi = wv[i]!;
    const gi = gv[i]! + l2x2 * wi + (l1 === 0 ? 0 : l1 * Math.sign(wi));
    const mi = b1 * m[i]! + gi;
    om[i] = mi;
    ow[i] = wi - lr * mi;
  }
}

function rmsprop(
  wv: Float32Array,
  gv: Float32Array,
  m: Float32Array,
  ow: Float32Array,
  om: Float32Array,
  lr: number,
  rho: number,
  eps: number,
  l1: number,
  l2x2: number,
): void {
  const n = wv.length;
  const c1 = 1 - rho;
  for (let i = 0; i < n; i++) {
    const wi = wv[i]!;
    const gi = gv[i]! + l2x2 * wi + (l1 === 0 ? 0 : l1 * Math.sign(wi));
    const mi = rho * m[i]! + c1 * gi * gi;
    om[i] = mi;
    ow[i] = wi - (lr * gi) / Math.sqrt(mi + eps);
  }
}

/** Adam without penalty terms: the common case, kept tight. */
function adam(
  wv: Float32Array,
  gv: Float32Array,
  m: Float32Array,
  v: Float32Array,
  ow: Float32Array,
  om: Float32Array,
  ov: Float32Array,
  b1: number,
  b2: number,
  stepSize: number,
  vScale: number,
  eps: number,
): void {
  const n = wv.length;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = 0; i < n; i++) {
    const gi = gv[i]!;
    const mi = b1 * m[i]! + c1 * gi;
    const vi = b2 * v[i]! + c2 * gi * gi;
    om[i] = mi;
    ov[i] = vi;
    ow[i] = wv[i]! - (stepSize * mi) / (Math.sqrt(vi * vScale) + eps);
  }
}

function adamPenalized(
  wv: Float32Array,
  gv: Float32Array,
  m: Float32Array,
  v: Float32Array,
  ow: Float32Array,
  om: Float32Array,
  ov: Float32Array,
  b1: number,
  b2: number,
  stepSize: number,
  vScale: number,
  eps: number,
  l1: number,
  l2x2: number,
): void {
  const n = wv.length;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = 0; i < n; i++) {
    const wi = wv[i]!;
    const gi = gv[i]! + l2x2 * wi + (l1 === 0 ? 0 : l1 * Math.sign(wi));
    const mi = b1 * m[i]! + c1 * gi;
    const vi = b2 * v[i]! + c2 * gi * gi;
    om[i] = mi;
    ov[i] = vi;
    ow[i] = wi - (stepSize * mi) / (Math.sqrt(vi * vScale) + eps);
  }
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
  const slots = a.rule === RULES.sgd ? [] : a.rule === RULES.adam ? [inputs.m, inputs.v] : [inputs.m];
  const slotInputs = slots as TensorInfo[];
  // Allocate every output first: growing the heap detaches views taken earlier.
  const outputs = [w, ...slotInputs].map((t) => wasm.makeOutput([...t.shape], 'float32'));
  const [wv, gv] = [heapF32(wasm, w), heapF32(wasm, g)];
  const ow = heapF32(wasm, outputs[0]!);
  const l1 = a.l1;
  const l2x2 = 2 * a.l2;
  const lr = a.learningRate;
  if (a.rule === RULES.sgd) {
    sgd(wv, gv, ow, lr, l1, l2x2);
    return outputs;
  }
  const m = heapF32(wasm, slotInputs[0]!);
  const om = heapF32(wasm, outputs[1]!);
  if (a.rule === RULES.momentum) momentum(wv, gv, m, ow, om, lr, a.beta1, l1, l2x2);
  else if (a.rule === RULES.rmsprop) rmsprop(wv, gv, m, ow, om, lr, a.beta1, a.epsilon, l1, l2x2);
  else {
    const v = heapF32(wasm, slotInputs[1]!);
    const ov = heapF32(wasm, outputs[2]!);
    const stepSize = lr / (1 - a.beta1 ** a.t);
    const vScale = 1 / (1 - a.beta2 ** a.t);
    const geometry = { size: wv.length, l1: l1 !== 0, l2: l2x2 !== 0 };
    const kernel = simdAdam ? simdKernel(wasm, adamKey(geometry), () => adamKernel(geometry)) : null;
    if (kernel) {
      // The step's constants go through the heap (generated kernels take pointers only).
      const k = wasm.makeOutput([9], 'float32');
      heapF32(wasm, k).set([
        a.beta1,
        1 - a.beta1,
        a.beta2,
        1 - a.beta2,
        stepSize,
        vScale,
        a.epsilon,
        l1,
        l2x2,
      ]);
      const p = (t: TensorInfo) => pointer(wasm, t);
      kernel(
        p(w),
        p(g),
        p(slotInputs[0]!),
        p(slotInputs[1]!),
        p(outputs[0]!),
        p(outputs[1]!),
        p(outputs[2]!),
        p(k),
      );
      free(wasm, k);
      return outputs;
    }
    if (l1 === 0 && l2x2 === 0) adam(wv, gv, m, v, ow, om, ov, a.beta1, a.beta2, stepSize, vScale, a.epsilon);
    else adamPenalized(wv, gv, m, v, ow, om, ov, a.beta1, a.beta2, stepSize, vScale, a.epsilon, l1, l2x2);
  }
  return outputs;
};

export const optimizerStepConfig = wasmKernel(OPTIMIZER_STEP, optimizerStep);
