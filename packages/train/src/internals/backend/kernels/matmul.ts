import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  type TensorInfo,
  unregisterKernel,
} from '@tensorflow/tfjs';
import { free, runWasmKernel, swapLastTwo, type WasmBackend } from './heap.ts';

/**
 * MatMul with `transposeA`/`transposeB` on the wasm backend falls back to a plain C++ loop that is
 * about 10x slower than XNNPACK's path for untransposed operands (measured: 5.7 ms vs 0.5 ms for
 * 64x784 by 784x128). Every backward pass uses transposed MatMuls. This wrapper transposes the
 * operand explicitly (a cheap copy) and calls the original kernel without transposes.
 */
export function fastTransposeMatMul(kernelName: 'BatchMatMul' | '_FusedMatMul'): KernelConfig | undefined {
  const original = getKernel(kernelName, 'wasm');
  if (!original) return undefined;
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const wasm = backend as WasmBackend;
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const transposeA = attrs?.transposeA === true;
    const transposeB = attrs?.transposeB === true;
    if (!transposeA && !transposeB) return inner({ inputs, backend, attrs });
    const temporaries: TensorInfo[] = [];
    const explicit = (x: TensorInfo) => {
      const t = runWasmKernel(wasm, 'Transpose', { x }, { perm: swapLastTwo(x.shape.length) });
      temporaries.push(t);
      return t;
    };
    try {
      return inner({
        inputs: { ...inputs, a: transposeA ? explicit(a) : a, b: transposeB ? explicit(b) : b },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      free(wasm, ...temporaries);
    }
  };
  return { ...original, kernelFunc };
}

/** Replaces a registered kernel (no warning about double registration). */
export function replaceKernel(config: KernelConfig): void {
  if (getKernel(config.kernelName, config.backendName))
    unregisterKernel(config.kernelName, config.backendName);
  registerKernel(config);
}
