import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Helpers for kernels that work directly on the wasm heap: they run inside a kernel function, so
 * they call other kernels of the same backend directly (no engine, no tape, no tensor tracking)
 * and free every intermediate they allocate.
 */
export type WasmBackend = BackendWasm;

/** Runs another registered wasm kernel and returns its raw output. */
export function runWasmKernel(
  backend: WasmBackend,
  kernelName: string,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const config = getKernel(kernelName, 'wasm');
  if (!config) throw new Error(`growset: wasm kernel \`${kernelName}\` is not registered`);
  const out = config.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`growset: wasm kernel \`${kernelName}\` returned several outputs`);
  return out as TensorInfo;
}

/** The same data under another shape (no copy): the shape of a TensorInfo is only a view. */
export function withShape(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** A float32 view of a tensor's data on the heap. Fetch it after the last allocation: growing the heap detaches older views. */
export function heapF32(backend: WasmBackend, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Frees kernel intermediates. */
export function free(backend: WasmBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Permutation that swaps the last two axes. */
export function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/** A kernel of growset's for tfjs's wasm backend, for `registerKernel`. */
export function wasmKernel(kernelName: string, kernelFunc: KernelFunc): KernelConfig {
  return { kernelName, backendName: 'wasm', kernelFunc };
}
