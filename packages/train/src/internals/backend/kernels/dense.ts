import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { free, heapF32, runWasmKernel, type WasmBackend, withShape } from './heap.ts';
import {
  type DenseGeometry,
  type DenseGradGeometry,
  denseForwardKernel,
  denseForwardKey,
  denseGradKernel,
  denseGradKey,
} from './simd/dense.ts';
import { pointer, simdKernel } from './simd/runtime.ts';

/** Name of the fused dense forward kernel (growset's loop only). */
export const DENSE_FORWARD = 'GrowsetDense';
/** Name of the fused dense backward kernel (growset's loop only). */
export const DENSE_GRAD = 'GrowsetDenseGrad';
/** Name of the fused softmax cross-entropy loss and gradient kernel (growset's loop only). */
export const SOFTMAX_CROSS_ENTROPY = 'GrowsetSoftmaxCrossEntropy';

/** Attributes of {@link DENSE_FORWARD} and {@link DENSE_GRAD}. */
export interface DenseAttrs {
  relu: boolean;
  /** Backward only: whether to compute `dx`. */
  needDx?: boolean;
}

function geometry(x: TensorInfo, w: TensorInfo, relu: boolean, bias: boolean): DenseGeometry {
  return { batch: x.shape[0]!, inputs: w.shape[0]!, units: w.shape[1]!, relu, bias };
}

/**
 * `f(x W + b)` with `f` ReLU or linear, as one generated SIMD kernel (no packing of the weights,
 * which are a new tensor after every optimizer step). Inputs `x` `[batch, inputs]`, `w`
 * `[inputs, units]`, optional `b` `[units]`; attr `relu`. Falls back to the backend's
 * `_FusedMatMul` where WebAssembly SIMD is unavailable.
 */
const denseForward: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as WasmBackend;
  const x = inputs.x as TensorInfo;
  const w = inputs.w as TensorInfo;
  const b = inputs.b as TensorInfo | undefined;
  const relu = (attrs as unknown as DenseAttrs).relu === true;
  const g = geometry(x, w, relu, b !== undefined);
  const kernel = simdKernel(wasm, denseForwardKey(g), () => denseForwardKernel(g));
  if (!kernel) {
    return runWasmKernel(
      wasm,
      '_FusedMatMul',
      {
        a: withShape(x, [1, g.batch, g.inputs]),
        b: withShape(w, [1, g.inputs, g.units]),
        ...(b ? { bias: b } : {}),
      },
      { transposeA: false, transposeB: false, activation: relu ? 'relu' : 'linear' },
    );
  }
  const y = wasm.makeOutput([g.batch, g.units], 'float32');
  const p = (t: TensorInfo) => pointer(wasm, t);
  kernel(p(x), p(w), b ? p(b) : 0, p(y));
  return y;
};

/**
 * The backward pass of a dense layer `y = f(x W + b)` in one kernel call: inputs `x`, `dy`, `y`
 * (the layer's output, for the ReLU's derivative), `w`; attrs `relu`, `needDx`, and whether the
 * layer has a bias is read from `hasBias`. Outputs `[dW, db?, dx?]`.
 */
const denseGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as WasmBackend;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const y = inputs.y as TensorInfo;
  const w = inputs.w as TensorInfo;
  const a = attrs as unknown as DenseAttrs & { hasBias: boolean };
  const g: DenseGradGeometry = {
    ...geometry(x, w, a.relu === true, a.hasBias === true),
    dx: a.needDx === true,
  };
  const kernel = simdKernel(wasm, denseGradKey(g), () => denseGradKernel(g));
  if (!kernel) return denseGradFallback(wasm, g, x, dy, y, w);
  const dw = wasm.makeOutput([g.inputs, g.units], 'float32');
  const db = g.bias ? wasm.makeOutput([g.units], 'float32') : undefined;
  const dx = g.dx ? wasm.makeOutput([g.batch, g.inputs], 'float32') : undefined;
  const dz = g.relu ? wasm.makeOutput([g.batch, g.units], 'float32') : undefined;
  const wt = g.dx ? wasm.makeOutput([g.units, g.inputs], 'float32') : undefined;
  const p = (t: TensorInfo | undefined) => (t ? pointer(wasm, t) : 0);
  kernel(p(x), p(dy), p(y), p(w), p(dw), p(db), p(dx), p(dz), p(wt));
  if (dz) free(wasm, dz);
  if (wt) free(wasm, wt);
  return [dw, ...(db ? [db] : []), ...(dx ? [dx] : [])];
};

/** The same gradients from the backend's own kernels (no WebAssembly SIMD). */
function denseGradFallback(
  wasm: WasmBackend,
  g: DenseGradGeometry,
  x: TensorInfo,
  dy: TensorInfo,
  y: TensorInfo,
  w: TensorInfo,
): TensorInfo[] {
  const temporaries: TensorInfo[] = [];
  let dz = dy;
  if (g.relu) {
    const mask = runWasmKernel(wasm, 'Step', { x: y }, { alpha: 0 });
    dz = runWasmKernel(wasm, 'Multiply', { a: dy, b: mask });
    temporaries.push(mask, dz);
  }
  const as3 = (t: TensorInfo) => withShape(t, [1, t.shape[0]!, t.shape[1]!]);
  const dw3 = runWasmKernel(
    wasm,
    'BatchMatMul',
    { a: as3(x), b: as3(dz) },
    { transposeA: true, transposeB: false },
  );
  const outputs: TensorInfo[] = [withShape(dw3, [g.inputs, g.units])];
  if (g.bias) outputs.push(runWasmKernel(wasm, 'Sum', { x: dz }, { axis: [0], keepDims: false }));
  if (g.dx) {
    const dx3 = runWasmKernel(
      wasm,
      'BatchMatMul',
      { a: as3(dz), b: as3(w) },
      { transposeA: false, transposeB: true },
    );
    outputs.push(withShape(dx3, [g.batch, g.inputs]));
  }
  free(wasm, ...temporaries);
  return outputs;
}

/**
 * Softmax cross-entropy of a batch in one pass over the heap (float64 arithmetic): inputs `logits`
 * and `targets` `[n, k]` (class probabilities), `weights` `[n]`; outputs the summed weighted loss
 * `sum_i w_i * CE_i` (a scalar) and its gradient scaled by `1 / n`, `(softmax - t) * w / n`, which
 * is the gradient of the mean loss. Replaces eleven small kernels (logSoftmax, exp, sub, mul, sum...).
 */
const softmaxCrossEntropy: KernelFunc = ({ inputs, backend }) => {
  const wasm = backend as WasmBackend;
  const logitsInfo = inputs.logits as TensorInfo;
  const [n, k] = logitsInfo.shape as [number, number];
  const loss = wasm.makeOutput([], 'float32');
  const grad = wasm.makeOutput([n, k], 'float32');
  const logits = heapF32(wasm, logitsInfo);
  const targets = heapF32(wasm, inputs.targets as TensorInfo);
  const weights = heapF32(wasm, inputs.weights as TensorInfo);
  const dz = heapF32(wasm, grad);
  const probabilities = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = i * k;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[row + j]!);
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(logits[row + j]! - max);
      probabilities[j] = e;
      sum += e;
    }
    const logSum = Math.log(sum) + max;
    const w = weights[i]!;
    const scale = w / n;
    let ce = 0;
    for (let j = 0; j < k; j++) {
      const t = targets[row + j]!;
      if (t !== 0) ce -= t * (logits[row + j]! - logSum);
      dz[row + j] = (probabilities[j]! / sum - t) * scale;
    }
    total += w * ce;
  }
  heapF32(wasm, loss)[0] = total;
  return [loss, grad];
};

export const denseForwardConfig: KernelConfig = {
  kernelName: DENSE_FORWARD,
  backendName: 'wasm',
  kernelFunc: denseForward,
};

export const denseGradConfig: KernelConfig = {
  kernelName: DENSE_GRAD,
  backendName: 'wasm',
  kernelFunc: denseGrad,
};

export const softmaxCrossEntropyConfig: KernelConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY,
  backendName: 'wasm',
  kernelFunc: softmaxCrossEntropy,
};
