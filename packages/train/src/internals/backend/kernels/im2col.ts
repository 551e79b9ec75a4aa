/** Geometry of a 2-D convolution in NHWC layout (channels last). */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * Writes the patch matrix transposed, `cols[k][m]` with `k = (fy * filterWidth + fx) * inChannels + c`
 * and `m = (b * outHeight + oy) * outWidth + ox`, so that `cols @ dy` (dy as `[m, outChannels]`) is
 * the filter gradient. Rows are written contiguously; padding reads as zero.
 */
export function im2colTransposed(x: Float32Array, g: ConvGeometry, cols: Float32Array): void {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth } = g;
  const m = batch * outHeight * outWidth;
  const rowStride = inWidth * inChannels;
  const imageStride = inHeight * rowStride;
  for (let fy = 0; fy < g.filterHeight; fy++) {
    for (let fx = 0; fx < g.filterWidth; fx++) {
      // Output columns whose input column is inside the image, for this filter tap.
      const xOffset = fx * g.dilationWidth - g.padLeft;
      let oxStart = 0;
      while (oxStart < outWidth && oxStart * g.strideWidth + xOffset < 0) oxStart++;
      let oxEnd = outWidth;
      while (oxEnd > oxStart && (oxEnd - 1) * g.strideWidth + xOffset >= inWidth) oxEnd--;
      for (let c = 0; c < inChannels; c++) {
        const k = (fy * g.filterWidth + fx) * inChannels + c;
        let o = k * m;
        for (let b = 0; b < batch; b++) {
          for (let oy = 0; oy < outHeight; oy++) {
            const iy = oy * g.strideHeight + fy * g.dilationHeight - g.padTop;
            if (iy < 0 || iy >= inHeight) {
              cols.fill(0, o, o + outWidth);
              o += outWidth;
              continue;
            }
            const base = b * imageStride + iy * rowStride + c;
            for (let ox = 0; ox < oxStart; ox++) cols[o++] = 0;
            let src = base + (oxStart * g.strideWidth + xOffset) * inChannels;
            const step = g.strideWidth * inChannels;
            for (let ox = oxStart; ox < oxEnd; ox++) {
              cols[o++] = x[src]!;
              src += step;
            }
            for (let ox = oxEnd; ox < outWidth; ox++) cols[o++] = 0;
          }
        }
      }
    }
  }
}

/**
 * Adds the patch matrix `cols[m][k]` (same indexing as {@link im2colTransposed}, untransposed)
 * back onto the image `dx` (zeroed first): the input gradient of a convolution.
 */
export function col2im(cols: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = g;
  dx.fill(0);
  const k = filterHeight * filterWidth * inChannels;
  const rowStride = inWidth * inChannels;
  const imageStride = inHeight * rowStride;
  let m = 0;
  for (let b = 0; b < g.batch; b++) {
    const image = b * imageStride;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, m++) {
        const patch = m * k;
        for (let fy = 0; fy < filterHeight; fy++) {
          const iy = oy * g.strideHeight + fy * g.dilationHeight - g.padTop;
          if (iy < 0 || iy >= inHeight) continue;
          for (let fx = 0; fx < filterWidth; fx++) {
            const ix = ox * g.strideWidth + fx * g.dilationWidth - g.padLeft;
            if (ix < 0 || ix >= inWidth) continue;
            let src = patch + (fy * filterWidth + fx) * inChannels;
            let dst = image + iy * rowStride + ix * inChannels;
            for (let c = 0; c < inChannels; c++, dst++, src++) dx[dst] = dx[dst]! + cols[src]!;
          }
        }
      }
    }
  }
}
