import { gaussianKernel } from '../../ops/kernels.ts';

/** An interleaved float image used by the typed-array engine. */
export interface FloatImage {
  data: Float32Array;
  width: number;
  height: number;
  channels: number;
}

/** Separable Gaussian blur of every channel, borders replicated. */
export function gaussianBlur(image: FloatImage, sigma: number): FloatImage {
  const kernel = gaussianKernel(sigma);
  const { width, height, channels } = image;
  const tmp = new Float32Array(image.data.length);
  const out = new Float32Array(image.data.length);
  // Along x: each pixel of a row reads the same clamped neighbour columns.
  blurLines(image.data, tmp, kernel, width, height, channels, channels, width * channels);
  // Along y: the same with rows and columns swapped (stride one row).
  blurLines(tmp, out, kernel, height, width, channels, width * channels, channels);
  return { data: out, width, height, channels };
}

/**
 * Convolves `lines` lines of `length` samples each; consecutive samples of a line are `step`
 * apart and consecutive lines `lineStep` apart (per channel).
 */
function blurLines(
  src: Float32Array,
  dst: Float32Array,
  kernel: Float64Array,
  length: number,
  lines: number,
  channels: number,
  step: number,
  lineStep: number,
): void {
  const radius = (kernel.length - 1) / 2;
  const taps = kernel.length;
  const offsets = new Int32Array(length * taps);
  for (let i = 0; i < length; i++)
    for (let k = 0; k < taps; k++)
      offsets[i * taps + k] = Math.min(length - 1, Math.max(0, i + k - radius)) * step;
  for (let line = 0; line < lines; line++) {
    for (let c = 0; c < channels; c++) {
      const base = line * lineStep + c;
      for (let i = 0; i < length; i++) {
        let sum = 0;
        const o = i * taps;
        for (let k = 0; k < taps; k++) sum += kernel[k]! * src[base + offsets[o + k]!]!;
        dst[base + i * step] = sum;
      }
    }
  }
}

/** 2-D convolution (correlation, as libvips' conv) of every channel, borders replicated. */
export function convolve(image: FloatImage, kernel: readonly number[], kw: number, kh: number): FloatImage {
  const { width, height, channels, data } = image;
  const out = new Float32Array(data.length);
  const rx = Math.floor(kw / 2);
  const ry = Math.floor(kh / 2);
  const taps: { dx: number; dy: number; w: number }[] = [];
  for (let j = 0; j < kh; j++)
    for (let i = 0; i < kw; i++) {
      const w = kernel[j * kw + i]!;
      if (w !== 0) taps.push({ dx: i - rx, dy: j - ry, w });
    }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const base = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (const t of taps) {
          const yy = Math.min(height - 1, Math.max(0, y + t.dy));
          const xx = Math.min(width - 1, Math.max(0, x + t.dx));
          sum += t.w * data[(yy * width + xx) * channels + c]!;
        }
        out[base + c] = sum;
      }
    }
  }
  return { data: out, width, height, channels };
}
