import { FunctionBuilder } from './assembler.ts';

/**
 * Generators of direct SIMD kernels for a small CNN's gradients (NHWC, f32x4 lanes over channels,
 * every size a constant of the generated code). Accumulation is in float32, sequential over
 * positions like the MatMul formulation it replaces: results agree up to float rounding.
 */

const F = 4; // bytes per float

/** A convolution's geometry (NHWC, output channels a multiple of 4, padding given). */
export interface FilterGradGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

export function filterGradKey(g: FilterGradGeometry, bias: boolean): string {
  return `dw:${Object.values(g).join(',')}:${bias ? 1 : 0}`;
}

/** First and one-past-last output index whose input index `o * stride + tap - pad` is inside `[0, size)`. */
function validRange(
  outSize: number,
  size: number,
  stride: number,
  tap: number,
  pad: number,
): [number, number] {
  const first = Math.max(0, Math.ceil((pad - tap) / stride));
  const last = size - 1 + pad - tap < 0 ? -1 : Math.floor((size - 1 + pad - tap) / stride);
  return [first, Math.max(first, Math.min(outSize, last + 1))];
}

/**
 * `run(x, dy, dw, db)`: the filter gradient `dw[fy, fx, ci, co] = sum x[b, oy*s + fy - pt, ox*s +
 * fx - pl, ci] * dy[b, oy, ox, co]` over the positions inside the image (padding contributes
 * nothing), and with `bias` the bias gradient `db[co] = sum dy[..., co]`. For each filter tap and
 * block of input channels, one pass over `dy` with the block's accumulators in registers; no patch
 * matrix is built.
 */
export function filterGradKernel(
  g: FilterGradGeometry,
  bias: boolean,
  channelBlock = Math.max(1, Math.floor(8 / (g.outChannels / 4))),
): FunctionBuilder {
  const [X, DY, DW, DB] = [0, 1, 2, 3];
  const f = new FunctionBuilder(4);
  const nv = g.outChannels / 4;
  const CB = channelBlock;
  const cin = g.inChannels;
  const cout = g.outChannels;
  const [cb, coy, cox] = [f.i32(), f.i32(), f.i32()];
  const [xb, dyb, rowx, rowd, px, pd] = [f.i32(), f.i32(), f.i32(), f.i32(), f.i32(), f.i32()];
  const acc = Array.from({ length: CB * nv }, () => f.v128());
  const dv = Array.from({ length: nv }, () => f.v128());
  const s = f.v128();
  for (let fy = 0; fy < g.filterHeight; fy++) {
    const [oy0, oy1] = validRange(g.outHeight, g.inHeight, g.strideHeight, fy, g.padTop);
    for (let fx = 0; fx < g.filterWidth; fx++) {
      const [ox0, ox1] = validRange(g.outWidth, g.inWidth, g.strideWidth, fx, g.padLeft);
      for (let ci0 = 0; ci0 < cin; ci0 += CB) {
        const blockSize = Math.min(CB, cin - ci0);
        for (let a = 0; a < blockSize * nv; a++) f.zero(acc[a]!);
        if (oy1 > oy0 && ox1 > ox0) {
          const iy0 = oy0 * g.strideHeight + fy - g.padTop;
          const ix0 = ox0 * g.strideWidth + fx - g.padLeft;
          f.addTo(xb, X, ((iy0 * g.inWidth + ix0) * cin + ci0) * F);
          f.addTo(dyb, DY, (oy0 * g.outWidth + ox0) * cout * F);
          f.repeat(cb, g.batch, () => {
            f.addTo(rowx, xb, 0);
            f.addTo(rowd, dyb, 0);
            f.repeat(coy, oy1 - oy0, () => {
              f.addTo(px, rowx, 0);
              f.addTo(pd, rowd, 0);
              f.repeat(cox, ox1 - ox0, () => {
                for (let v = 0; v < nv; v++) f.load(dv[v]!, pd, 16 * v);
                for (let c = 0; c < blockSize; c++) {
                  f.splat(s, px, c * F);
                  for (let v = 0; v < nv; v++) f.mulAdd(acc[c * nv + v]!, s, dv[v]!);
                }
                f.bump(px, g.strideWidth * cin * F);
                f.bump(pd, cout * F);
              });
              f.bump(rowx, g.strideHeight * g.inWidth * cin * F);
              f.bump(rowd, g.outWidth * cout * F);
            });
            f.bump(xb, g.inHeight * g.inWidth * cin * F);
            f.bump(dyb, g.outHeight * g.outWidth * cout * F);
          });
        }
        for (let c = 0; c < blockSize; c++) {
          for (let v = 0; v < nv; v++) {
            const offset = (((fy * g.filterWidth + fx) * cin + ci0 + c) * cout + 4 * v) * F;
            f.store(DW, offset, acc[c * nv + v]!);
          }
        }
      }
    }
  }
  if (bias) {
    for (let v = 0; v < nv; v++) f.zero(acc[v]!);
    f.addTo(pd, DY, 0);
    f.repeat(cb, g.batch * g.outHeight * g.outWidth, () => {
      for (let v = 0; v < nv; v++) {
        f.load(dv[v]!, pd, 16 * v);
        f.addInto(acc[v]!, dv[v]!);
      }
      f.bump(pd, cout * F);
    });
    for (let v = 0; v < nv; v++) f.store(DB, 16 * v, acc[v]!);
  }
  return f;
}

/** Non-overlapping valid max pooling (window = stride = `size`) over `channels` (a multiple of 4). */
export interface PoolGeometry {
  batch: number;
  height: number;
  width: number;
  channels: number;
  size: number;
}

export function poolReluGradKey(g: PoolGeometry): string {
  return `poolrelu:${Object.values(g).join(',')}`;
}

/**
 * `run(x, y, dy, dz)`: the gradient through `maxPool(relu(z))` to `z`. Each pooled gradient goes
 * to the first input of its window equal to the pooled maximum when that maximum is positive;
 * every other input of a covered window gets 0 (rows and columns outside every window are left
 * untouched: callers zero them).
 */
export function poolReluGradKernel(g: PoolGeometry): FunctionBuilder {
  const [X, Y, G, DZ] = [0, 1, 2, 3];
  const f = new FunctionBuilder(4);
  const c = g.channels;
  const outHeight = Math.floor(g.height / g.size);
  const outWidth = Math.floor(g.width / g.size);
  const [cb, coy, cox] = [f.i32(), f.i32(), f.i32()];
  const [xb, rowx, px, py, pg] = [f.i32(), f.i32(), f.i32(), f.i32(), f.i32()];
  const [zb, rowz, pz] = [f.i32(), f.i32(), f.i32()];
  const [yv, gv, pos, found, xv, m, t, zero] = Array.from({ length: 8 }, () => f.v128());
  f.zero(zero!);
  f.addTo(xb, X, 0);
  f.addTo(zb, DZ, 0);
  f.addTo(py, Y, 0);
  f.addTo(pg, G, 0);
  f.repeat(cb, g.batch, () => {
    f.addTo(rowx, xb, 0);
    f.addTo(rowz, zb, 0);
    f.repeat(coy, outHeight, () => {
      f.addTo(px, rowx, 0);
      f.addTo(pz, rowz, 0);
      f.repeat(cox, outWidth, () => {
        for (let v = 0; v < c / 4; v++) {
          f.load(yv!, py, 16 * v);
          f.load(gv!, pg, 16 * v);
          f.gt(pos!, yv!, zero!);
          f.zero(found!);
          for (let fy = 0; fy < g.size; fy++) {
            for (let fx = 0; fx < g.size; fx++) {
              const offset = (fy * g.width + fx) * c * F + 16 * v;
              f.load(xv!, px, offset);
              f.eq(m!, xv!, yv!);
              f.and(t!, m!, pos!);
              f.andNot(t!, t!, found!);
              f.and(t!, gv!, t!);
              f.store(pz, offset, t!);
              f.or(found!, found!, m!);
            }
          }
        }
        f.bump(px, g.size * c * F);
        f.bump(pz, g.size * c * F);
        f.bump(py, c * F);
        f.bump(pg, c * F);
      });
      f.bump(rowx, g.size * g.width * c * F);
      f.bump(rowz, g.size * g.width * c * F);
    });
    f.bump(xb, g.height * g.width * c * F);
    f.bump(zb, g.height * g.width * c * F);
  });
  return f;
}
