import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { free, heapF32, runWasmKernel, type WasmBackend, wasmKernel, withShape } from './heap.ts';
import { type ConvGeometry, col2im, im2colTransposed } from './im2col.ts';
import { simdFilterGrad } from './simd/ops.ts';

function geometry(info: backend_util.Conv2DInfo): ConvGeometry {
  return {
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
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

const TO_NHWC = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2];

/** Runs `body` on channels-last copies of `tensors` when the data format is NCHW. */
function channelsLast(
  backend: WasmBackend,
  dataFormat: string,
  tensors: TensorInfo[],
): { tensors: TensorInfo[]; copies: TensorInfo[] } {
  if (dataFormat !== 'NCHW') return { tensors, copies: [] };
  const copies = tensors.map((x) => runWasmKernel(backend, 'Transpose', { x }, { perm: TO_NHWC }));
  return { tensors: copies, copies };
}

/**
 * Filter gradient of a 2-D convolution (the kernel the wasm backend lacks). With output channels a
 * multiple of 4: a generated SIMD kernel, one pass over `dy` per filter tap and channel block
 * (`simd/`). Otherwise the input patches are
 * laid out transposed on the heap (`[taps * inChannels, positions]`, written by a JS loop) and
 * multiplied with `dy` viewed as `[positions, outChannels]` by the backend's XNNPACK MatMul.
 */
const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as WasmBackend;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as Conv2DBackpropFilterAttrs;
  const { tensors, copies } = channelsLast(wasm, dataFormat, [
    inputs.x as TensorInfo,
    inputs.dy as TensorInfo,
  ]);
  const [x, dy] = tensors as [TensorInfo, TensorInfo];
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const g = geometry(info);
  const direct = wasm.makeOutput([...filterShape], 'float32');
  if (simdFilterGrad(wasm, g, info.outChannels, x, dy, direct)) {
    free(wasm, ...copies);
    return direct;
  }
  free(wasm, direct);
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const positions = g.batch * g.outHeight * g.outWidth;
  const cols = wasm.makeOutput([taps, positions], 'float32');
  im2colTransposed(heapF32(wasm, x), g, heapF32(wasm, cols));
  const product = runWasmKernel(
    wasm,
    'BatchMatMul',
    { a: cols, b: withShape(dy, [positions, info.outChannels]) },
    {
      transposeA: false,
      transposeB: false,
    },
  );
  free(wasm, cols, ...copies);
  return withShape(product, [...filterShape]);
};

/**
 * Input gradient of a stride-1 convolution as a forward convolution (the backend's XNNPACK
 * `Conv2D`) of `dy` with the filter flipped and its channel axes swapped, padded by the filter size
 * minus the forward padding: `dx[b, iy, ix, ci] = sum dy[b, iy + pt - fy, ix + pl - fx, co] *
 * w[fy, fx, ci, co]`. No patch matrix, no col2im. Null for strides or dilations other than 1.
 */
function inputGradByConvolution(
  wasm: WasmBackend,
  info: backend_util.Conv2DInfo,
  dy: TensorInfo,
  filter: TensorInfo,
): TensorInfo | null {
  const { filterHeight: kh, filterWidth: kw, inChannels: cin, outChannels: cout } = info;
  if (
    info.strideHeight !== 1 ||
    info.strideWidth !== 1 ||
    info.dilationHeight !== 1 ||
    info.dilationWidth !== 1
  )
    return null;
  const pad = info.padInfo;
  const [top, bottom, left, right] = [
    kh - 1 - pad.top,
    kh - 1 - pad.bottom,
    kw - 1 - pad.left,
    kw - 1 - pad.right,
  ];
  if (top < 0 || bottom < 0 || left < 0 || right < 0) return null;
  const flipped = wasm.makeOutput([kh, kw, cout, cin], 'float32');
  const source = heapF32(wasm, filter);
  const target = heapF32(wasm, flipped);
  for (let fy = 0; fy < kh; fy++) {
    for (let fx = 0; fx < kw; fx++) {
      const from = ((kh - 1 - fy) * kw + (kw - 1 - fx)) * cin * cout;
      const to = (fy * kw + fx) * cout * cin;
      for (let ci = 0; ci < cin; ci++) {
        for (let co = 0; co < cout; co++) target[to + co * cin + ci] = source[from + ci * cout + co]!;
      }
    }
  }
  const dx = runWasmKernel(
    wasm,
    'Conv2D',
    { x: dy, filter: flipped },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [1, 1],
      dimRoundingMode: undefined as unknown as string,
    },
  );
  free(wasm, flipped);
  return dx;
}

/**
 * Input gradient of a 2-D convolution. Stride 1: a forward convolution of `dy` (see
 * `inputGradByConvolution`). Otherwise `dy` as `[positions, outChannels]` times the filter
 * transposed (`[outChannels, taps * inChannels]`) by XNNPACK's MatMul, then the patches are
 * added back onto the image by a JS loop on the heap (col2im). Replaces the backend's own kernel,
 * a direct loop several times slower on the CNN's shapes.
 */
const conv2DBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as WasmBackend;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    attrs as unknown as Conv2DBackpropInputAttrs;
  const nhwcShape = (
    dataFormat === 'NCHW' ? [inputShape[0], inputShape[2], inputShape[3], inputShape[1]] : [...inputShape]
  ) as [number, number, number, number];
  const filter = inputs.filter as TensorInfo;
  const { tensors, copies } = channelsLast(wasm, dataFormat, [inputs.dy as TensorInfo]);
  const dy = tensors[0] as TensorInfo;
  const info = backend_util.computeConv2DInfo(
    nhwcShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const g = geometry(info);
  const direct = inputGradByConvolution(wasm, info, dy, filter);
  if (direct) {
    free(wasm, ...copies);
    if (dataFormat !== 'NCHW') return direct;
    const out = runWasmKernel(wasm, 'Transpose', { x: direct }, { perm: TO_NCHW });
    free(wasm, direct);
    return out;
  }
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const positions = g.batch * g.outHeight * g.outWidth;
  const filterT = runWasmKernel(
    wasm,
    'Transpose',
    { x: withShape(filter, [taps, info.outChannels]) },
    { perm: [1, 0] },
  );
  const cols = runWasmKernel(
    wasm,
    'BatchMatMul',
    { a: withShape(dy, [positions, info.outChannels]), b: filterT },
    {
      transposeA: false,
      transposeB: false,
    },
  );
  const dx = wasm.makeOutput(nhwcShape, 'float32');
  col2im(heapF32(wasm, cols), g, heapF32(wasm, dx));
  free(wasm, filterT, cols, ...copies);
  if (dataFormat !== 'NCHW') return dx;
  const out = runWasmKernel(wasm, 'Transpose', { x: dx }, { perm: TO_NCHW });
  free(wasm, dx);
  return out;
};

export const conv2DBackpropFilterConfig = wasmKernel(Conv2DBackpropFilter, conv2DBackpropFilter);

export const conv2DBackpropInputConfig = wasmKernel(Conv2DBackpropInput, conv2DBackpropInput);
