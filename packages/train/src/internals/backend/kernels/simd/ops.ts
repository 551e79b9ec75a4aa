import type { TensorInfo } from '@tensorflow/tfjs';
import { heapF32, type WasmBackend } from '../heap.ts';
import type { ConvGeometry } from '../im2col.ts';
import {
  filterGradKernel,
  filterGradKey,
  type PoolGeometry,
  poolReluGradKernel,
  poolReluGradKey,
} from './generators.ts';
import { pointer, simdKernel } from './runtime.ts';

/**
 * The SIMD paths of growset's convolution kernels. Each returns null when its shape is not
 * covered (channel counts not a multiple of 4, dilation) or when the
 * runtime lacks WebAssembly SIMD; the caller then runs its general path.
 */

/** Filter gradient (and, with `db`, the bias gradient) written into `dw` (and `db`). */
export function simdFilterGrad(
  backend: WasmBackend,
  g: ConvGeometry,
  outChannels: number,
  x: TensorInfo,
  dy: TensorInfo,
  dw: TensorInfo,
  db?: TensorInfo,
): boolean {
  if (outChannels % 4 !== 0 || g.dilationHeight !== 1 || g.dilationWidth !== 1) return false;
  const geometry = {
    batch: g.batch,
    inHeight: g.inHeight,
    inWidth: g.inWidth,
    inChannels: g.inChannels,
    outHeight: g.outHeight,
    outWidth: g.outWidth,
    outChannels,
    filterHeight: g.filterHeight,
    filterWidth: g.filterWidth,
    strideHeight: g.strideHeight,
    strideWidth: g.strideWidth,
    padTop: g.padTop,
    padLeft: g.padLeft,
  };
  const bias = db !== undefined;
  const kernel = simdKernel(backend, filterGradKey(geometry, bias), () => filterGradKernel(geometry, bias));
  if (!kernel) return false;
  const p = (t: TensorInfo) => pointer(backend, t);
  kernel(p(x), p(dy), p(dw), db ? p(db) : 0);
  return true;
}

/** Gradient through `maxPool(relu(z))` into `dz` (see the generator); false when not covered. */
export function simdPoolReluGrad(
  backend: WasmBackend,
  g: PoolGeometry,
  x: TensorInfo,
  y: TensorInfo,
  dy: TensorInfo,
  dz: TensorInfo,
): boolean {
  if (g.channels % 4 !== 0) return false;
  const kernel = simdKernel(backend, poolReluGradKey(g), () => poolReluGradKernel(g));
  if (!kernel) return false;
  if (g.height % g.size !== 0 || g.width % g.size !== 0) heapF32(backend, dz).fill(0);
  const p = (t: TensorInfo) => pointer(backend, t);
  kernel(p(x), p(y), p(dy), p(dz));
  return true;
}
