import {
  backend_util,
  type KernelFunc,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { heapF32, type WasmBackend, wasmKernel } from './heap.ts';

/**
 * Gradient of max pooling (NHWC): each output's gradient goes to the first maximal input of its
 * window, like the cpu backend. Replaces the wasm backend's own `MaxPoolGrad`, which disagrees
 * with cpu whenever windows overlap or are padded (max abs difference up to ~1 on random data).
 * A JS loop over the heap; pooling gradients touch each input a few times, so this is cheap.
 */
const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as WasmBackend;
  const dy = inputs.dy as TensorInfo;
  const input = inputs.input as TensorInfo;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const dx = wasm.makeOutput([...input.shape], 'float32');
  const out = heapF32(wasm, dx);
  const x = heapF32(wasm, input);
  const g = heapF32(wasm, dy);
  out.fill(0);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const filterHeight = info.effectiveFilterHeight;
  const filterWidth = info.effectiveFilterWidth;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const rowStride = inWidth * inChannels;
  const imageStride = inHeight * rowStride;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - padTop;
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - padLeft;
        for (let c = 0; c < inChannels; c++, o++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let fy = 0; fy < filterHeight; fy += dilationHeight) {
            const iy = y0 + fy;
            if (iy < 0 || iy >= inHeight) continue;
            for (let fx = 0; fx < filterWidth; fx += dilationWidth) {
              const ix = x0 + fx;
              if (ix < 0 || ix >= inWidth) continue;
              const index = b * imageStride + iy * rowStride + ix * inChannels + c;
              const value = x[index]!;
              if (value > best || at < 0) {
                best = value;
                at = index;
              }
            }
          }
          if (at >= 0) out[at] = out[at]! + g[o]!;
        }
      }
    }
  }
  return dx;
};

export const maxPoolGradConfig = wasmKernel(MaxPoolGrad, maxPoolGrad);
