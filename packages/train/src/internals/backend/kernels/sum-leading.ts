import { getKernel, type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs';
import { heapF32, type WasmBackend } from './heap.ts';

/**
 * `Sum` over leading axes (bias gradients: `sum(dy, [0, 1, 2])` over an NHWC batch) as a row
 * accumulation on the heap. The wasm backend transposes the whole input first to reduce inner
 * axes, which dominated the CNN's bias gradients. Other reductions use the original kernel.
 */
export function fastLeadingSum(): KernelConfig | undefined {
  const original = getKernel('Sum', 'wasm');
  if (!original) return undefined;
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const wasm = args.backend as WasmBackend;
    const x = args.inputs.x as TensorInfo;
    const rank = x.shape.length;
    const axes = util.parseAxisParam(args.attrs?.axis as number | number[], x.shape).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== 'float32') return inner(args);
    const keepDims = args.attrs?.keepDims === true;
    const rowSize = util.sizeFromShape(x.shape.slice(axes.length));
    const rows = util.sizeFromShape(x.shape.slice(0, axes.length));
    const outShape = keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
    const out = wasm.makeOutput(outShape, 'float32');
    const source = heapF32(wasm, x);
    const target = heapF32(wasm, out);
    // Accumulate in float64 so the result does not depend on the row count's rounding.
    const acc = new Float64Array(rowSize);
    for (let r = 0; r < rows; r++) {
      const base = r * rowSize;
      for (let j = 0; j < rowSize; j++) acc[j] = acc[j]! + source[base + j]!;
    }
    target.set(acc);
    return out;
  };
  return { ...original, kernelFunc };
}
