import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { free, heapF32, runWasmKernel, type WasmBackend, wasmKernel, withShape } from './heap.ts';
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
const denseForward: KernelFunc = ({ inputs, backend, attrs }) =>
  denseForwardOn(
    backend as WasmBackend,
    inputs.x as TensorInfo,
    inputs.w as TensorInfo,
    inputs.b as TensorInfo | undefined,
    (attrs as unknown as DenseAttrs).relu === true,
  );

/** {@link DENSE_FORWARD} on heap tensors (called by other kernels too). */
export function denseForwardOn(
  wasm: WasmBackend,
  x: TensorInfo,
  w: TensorInfo,
  b: TensorInfo | undefined,
  relu: boolean,
): TensorInfo {
  const g = geometry(x, w, relu, b !== undefined);
  const kernel = simdKernel(wasm, denseForwardKey(g), () => denseForwardKernel(g));
  if (!kernel) {
    const y3 = runWasmKernel(
      wasm,
      '_FusedMatMul',
      {
        a: withShape(x, [1, g.batch, g.inputs]),
        b: withShape(w, [1, g.inputs, g.units]),
        ...(b ? { bias: b } : {}),
      },
      { transposeA: false, transposeB: false, activation: relu ? 'relu' : 'linear' },
    );
    return withShape(y3, [g.batch, g.units]);
  }
  const y = wasm.makeOutput([g.batch, g.units], 'float32');
  const p = (t: TensorInfo) => pointer(wasm, t);
  kernel(p(x), p(w), b ? p(b) : 0, p(y));
  return y;
}

/**
 * The backward pass of a dense layer `y = f(x W + b)` in one kernel call: inputs `x`, `dy`, `y`
 * (the layer's output, for the ReLU's derivative), `w`; attrs `relu`, `needDx`, and whether the
 * layer has a bias is read from `hasBias`. Outputs `[dW, db?, dx?]`.
 */
const denseGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as unknown as DenseAttrs & { hasBias: boolean };
  return denseGradOn(
    backend as WasmBackend,
    inputs.x as TensorInfo,
    inputs.dy as TensorInfo,
    inputs.y as TensorInfo,
    inputs.w as TensorInfo,
    a.relu === true,
    a.hasBias === true,
    a.needDx === true,
  );
};

/** {@link DENSE_GRAD} on heap tensors: `[dW, db?, dx?]` (called by other kernels too). */
export function denseGradOn(
  wasm: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  y: TensorInfo,
  w: TensorInfo,
  relu: boolean,
  bias: boolean,
  needDx: boolean,
): TensorInfo[] {
  const g: DenseGradGeometry = { ...geometry(x, w, relu, bias), dx: needDx };
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
}

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
const softmaxCrossEntropy: KernelFunc = ({ inputs, backend }) =>
  softmaxCrossEntropyOn(
    backend as WasmBackend,
    inputs.logits as TensorInfo,
    inputs.targets as TensorInfo,
    inputs.weights as TensorInfo,
  );

/** {@link SOFTMAX_CROSS_ENTROPY} on heap tensors: `[lossSum, dLogits]`. */
export function softmaxCrossEntropyOn(
  wasm: WasmBackend,
  logitsInfo: TensorInfo,
  targetsInfo: TensorInfo,
  weightsInfo: TensorInfo,
): [TensorInfo, TensorInfo] {
  const [n, k] = logitsInfo.shape as [number, number];
  const loss = wasm.makeOutput([], 'float32');
  const grad = wasm.makeOutput([n, k], 'float32');
  const logits = heapF32(wasm, logitsInfo);
  const targets = heapF32(wasm, targetsInfo);
  const weights = heapF32(wasm, weightsInfo);
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
}

/** Name of the whole-MLP training step kernel (growset's loop only). */
export const MLP_STEP = 'GrowsetMlpStep';

/** Attributes of {@link MLP_STEP}: per dense layer, ReLU (else linear). */
export interface MlpStepAttrs {
  relu: boolean[];
}

/**
 * The forward and backward pass of a stack of dense layers with biases (ReLU or linear) and the
 * softmax cross-entropy loss, in one kernel call: the same generated kernels as
 * {@link DENSE_FORWARD}, {@link SOFTMAX_CROSS_ENTROPY} and {@link DENSE_GRAD}, called back to back
 * on the heap without the engine in between (no tensor per intermediate, no dispatch). Inputs `x`,
 * `targets`, `weights`, then `w0`, `b0`, `w1`, `b1`, ...; outputs `[lossSum, dW0, db0, dW1, db1,
 * ...]`.
 */
const mlpStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as WasmBackend;
  const relu = (attrs as unknown as MlpStepAttrs).relu;
  const layers = relu.length;
  const params = (i: number) => [inputs[`w${i}`] as TensorInfo, inputs[`b${i}`] as TensorInfo] as const;
  const activations: TensorInfo[] = [inputs.x as TensorInfo];
  for (let i = 0; i < layers; i++) {
    const [w, b] = params(i);
    activations.push(denseForwardOn(wasm, activations[i]!, w, b, relu[i] === true));
  }
  const [loss, dLogits] = softmaxCrossEntropyOn(
    wasm,
    activations[layers]!,
    inputs.targets as TensorInfo,
    inputs.weights as TensorInfo,
  );
  const grads: TensorInfo[] = new Array(2 * layers);
  let dy = dLogits;
  for (let i = layers - 1; i >= 0; i--) {
    const [w] = params(i);
    const [dw, db, dx] = denseGradOn(
      wasm,
      activations[i]!,
      dy,
      activations[i + 1]!,
      w,
      relu[i] === true,
      true,
      i > 0,
    );
    grads[2 * i] = dw!;
    grads[2 * i + 1] = db!;
    free(wasm, dy);
    if (dx) dy = dx;
  }
  free(wasm, ...activations.slice(1));
  return [loss, ...grads];
};

export const mlpStepConfig = wasmKernel(MLP_STEP, mlpStep);

export const denseForwardConfig = wasmKernel(DENSE_FORWARD, denseForward);

export const denseGradConfig = wasmKernel(DENSE_GRAD, denseGrad);

export const softmaxCrossEntropyConfig = wasmKernel(SOFTMAX_CROSS_ENTROPY, softmaxCrossEntropy);
