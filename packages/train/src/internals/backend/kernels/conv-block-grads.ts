import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { free, heapF32, runWasmKernel, type WasmBackend, wasmKernel, withShape } from './heap.ts';
import { type ConvGeometry, im2colTransposed } from './im2col.ts';
import { simdFilterGrad, simdPoolReluGrad } from './simd/ops.ts';

/** Name of the fused filter + bias gradient kernel (growset's loop only). */
export const CONV_FILTER_BIAS_GRAD = 'GrowsetConv2DFilterBiasGrad';
/** Name of the fused max-pool + ReLU gradient kernel (growset's loop only). */
export const MAX_POOL_RELU_GRAD = 'GrowsetMaxPoolReluGrad';

/**
 * Filter and bias gradients of a convolution: with output channels a multiple of 4, one direct
 * SIMD pass per filter tap and channel block (no patch matrix, no MatMul; see `simd/`). Otherwise
 * in one MatMul: the transposed patch matrix gets an extra row of ones, so the product's last row
 * is the bias gradient (the column sums of `dy`) and no separate `Sum` over the whole batch is
 * needed. Inputs `x`, `dy` (NHWC); attrs `strides`,
 * `pad`, `filterShape`. Outputs `[dW, db]`.
 */
const convFilterBiasGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as WasmBackend;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const filterShape = attrs?.filterShape as [number, number, number, number];
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    attrs?.strides as [number, number],
    1,
    attrs?.pad as 'valid' | 'same',
  );
  const g: ConvGeometry = {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: 1,
    dilationWidth: 1,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const positions = g.batch * g.outHeight * g.outWidth;
  const outChannels = info.outChannels;
  const direct = [
    wasm.makeOutput([...filterShape], 'float32'),
    wasm.makeOutput([outChannels], 'float32'),
  ] as const;
  if (simdFilterGrad(wasm, g, outChannels, x, dy, direct[0], direct[1])) return [...direct];
  free(wasm, ...direct);
  const cols = wasm.makeOutput([taps + 1, positions], 'float32');
  const colsView = heapF32(wasm, cols);
  im2colTransposed(heapF32(wasm, x), g, colsView);
  colsView.fill(1, taps * positions, (taps + 1) * positions);
  const product = runWasmKernel(
    wasm,
    'BatchMatMul',
    { a: cols, b: withShape(dy, [positions, outChannels]) },
    {
      transposeA: false,
      transposeB: false,
    },
  );
  const dW = wasm.makeOutput([...filterShape], 'float32');
  const db = wasm.makeOutput([outChannels], 'float32');
  const all = heapF32(wasm, withShape(product, [(taps + 1) * outChannels]));
  heapF32(wasm, dW).set(all.subarray(0, taps * outChannels));
  heapF32(wasm, db).set(all.subarray(taps * outChannels));
  free(wasm, cols, product);
  return [dW, db];
};

/**
 * Gradient through `maxPool(relu(z))` to `z` in one pass, for non-overlapping valid windows
 * (window = stride): each pooled output's gradient goes to the first input of its window equal
 * to the pooled maximum, when that maximum is positive (the ReLU's derivative). Replaces
 * MaxPoolGrad + Step + Multiply. Inputs `dy` (pooled gradient), `input` (the ReLU output),
 * `output` (the pooled output); attr `size`.
 */
const maxPoolReluGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as WasmBackend;
  const input = inputs.input as TensorInfo;
  const [batch, height, width, channels] = input.shape as [number, number, number, number];
  const size = attrs?.size as number;
  const outHeight = Math.floor(height / size);
  const outWidth = Math.floor(width / size);
  const dz = wasm.makeOutput([...input.shape], 'float32');
  const output = inputs.output as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  if (simdPoolReluGrad(wasm, { batch, height, width, channels, size }, input, output, dy, dz)) return dz;
  const out = heapF32(wasm, dz);
  const x = heapF32(wasm, input);
  const y = heapF32(wasm, output);
  const g = heapF32(wasm, dy);
  out.fill(0);
  const rowStride = width * channels;
  let o = 0;
  for (let b = 0; b < batch; b++) {
    const image = b * height * rowStride;
    for (let oy = 0; oy < outHeight; oy++) {
      const rowBase = image + oy * size * rowStride;
      for (let ox = 0; ox < outWidth; ox++) {
        const windowBase = rowBase + ox * size * channels;
        for (let c = 0; c < channels; c++, o++) {
          const max = y[o]!;
          if (!(max > 0)) continue;
          let found = -1;
          for (let fy = 0; fy < size && found < 0; fy++) {
            let index = windowBase + fy * rowStride + c;
            for (let fx = 0; fx < size; fx++, index += channels) {
              if (x[index] === max) {
                found = index;
                break;
              }
            }
          }
          if (found >= 0) out[found] = g[o]!;
        }
      }
    }
  }
  return dz;
};

export const convFilterBiasGradConfig = wasmKernel(CONV_FILTER_BIAS_GRAD, convFilterBiasGrad);

export const maxPoolReluGradConfig = wasmKernel(MAX_POOL_RELU_GRAD, maxPoolReluGrad);
