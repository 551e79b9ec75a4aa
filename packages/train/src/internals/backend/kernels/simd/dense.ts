import { FunctionBuilder } from './assembler.ts';

/**
 * Generators of SIMD kernels for dense layers (row-major float32, every size a constant of the
 * generated code): the forward pass `f(x W + b)` and the whole backward pass of a layer (activation
 * derivative, `dW = x^T dz`, `db = sum(dz)`, `dx = dz W^T`) in one call each. Both are built on one
 * register-blocked product: a block of 4 rows by 8 columns of the result lives in 8 vector
 * registers while the shared axis streams through, so each loaded value is used 4 or 8 times and
 * nothing is packed or transposed first (XNNPACK repacks the weights on every call because they are
 * a new tensor after each optimizer step). Accumulation is float32, in order along the shared axis.
 */

const F = 4; // bytes per float
const MR = 4; // rows per register block
const NR = 8; // columns per register block (two f32x4)

/** Where a product's operands and result live: element offsets, in floats. */
interface ProductLayout {
  rows: number;
  cols: number;
  /** Length of the shared axis. */
  depth: number;
  /** A(r, t) at `A + r * aRow + t * aDepth`. */
  aRow: number;
  aDepth: number;
  /** B(t, c) at `B + t * bDepth + c` (columns contiguous). */
  bDepth: number;
  /** C(r, c) at `C + r * cRow + c`. */
  cRow: number;
}

interface ProductPointers {
  a: number;
  b: number;
  c: number;
  /** Bias added to every row (per column), or undefined. */
  bias?: number | undefined;
  relu?: boolean;
}

/** Locals shared by the products of one kernel. */
interface ProductLocals {
  rowCounter: number;
  depthCounter: number;
  pa: number;
  pb: number;
  rowA: number;
  rowC: number;
  acc: number[];
  bv: number[];
  s: number;
  zero: number;
}

function productLocals(f: FunctionBuilder): ProductLocals {
  return {
    rowCounter: f.i32(),
    depthCounter: f.i32(),
    pa: f.i32(),
    pb: f.i32(),
    rowA: f.i32(),
    rowC: f.i32(),
    acc: Array.from({ length: MR * (NR / 4) }, () => f.v128()),
    bv: Array.from({ length: NR / 4 }, () => f.v128()),
    s: f.v128(),
    zero: f.v128(),
  };
}

/**
 * Longest stretch of the shared axis per pass: a block of B columns (`DEPTH_BLOCK` rows of 8
 * floats, every cache line it touches) then stays in the L1 cache while all rows of A stream past.
 */
const DEPTH_BLOCK = 256;

/**
 * Emits `C = A B (+ bias) (relu)` for the layout: the shared axis in passes of at most
 * {@link DEPTH_BLOCK} (later passes add to C), each pass column block by column block.
 */
function emitProduct(f: FunctionBuilder, l: ProductLayout, p: ProductPointers, v: ProductLocals): void {
  if (p.relu) f.zero(v.zero);
  const passes = Math.ceil(l.depth / DEPTH_BLOCK);
  const depthBlock = Math.ceil(l.depth / passes);
  for (let d0 = 0; d0 < l.depth; d0 += depthBlock) {
    const depth = Math.min(depthBlock, l.depth - d0);
    emitPass(f, l, p, v, d0, depth, d0 + depth >= l.depth);
  }
}

function emitPass(
  f: FunctionBuilder,
  l: ProductLayout,
  p: ProductPointers,
  v: ProductLocals,
  d0: number,
  depth: number,
  last: boolean,
): void {
  for (let c0 = 0; c0 < l.cols; c0 += NR) {
    const width = Math.min(NR, l.cols - c0);
    const vectors = Math.ceil(width / 4);
    const lanes = (j: number) => Math.min(4, width - 4 * j);
    const fullRows = Math.floor(l.rows / MR);
    const block = (rows: number) => {
      // Accumulators start at the bias (or zero), or at C after the first pass.
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < vectors; j++) {
          const a = v.acc[r * 2 + j]!;
          if (d0 > 0) f.loadPartial(a, v.rowC, (r * l.cRow + c0 + 4 * j) * F, lanes(j));
          else if (p.bias !== undefined) f.loadPartial(a, p.bias, (c0 + 4 * j) * F, lanes(j));
          else f.zero(a);
        }
      }
      f.addTo(v.pa, v.rowA, d0 * l.aDepth * F);
      f.addTo(v.pb, p.b, (d0 * l.bDepth + c0) * F);
      const step = () => {
        for (let j = 0; j < vectors; j++) f.loadPartial(v.bv[j]!, v.pb, 4 * j * F, lanes(j));
        for (let r = 0; r < rows; r++) {
          f.splat(v.s, v.pa, r * l.aRow * F);
          for (let j = 0; j < vectors; j++) f.mulAdd(v.acc[r * 2 + j]!, v.s, v.bv[j]!);
        }
        f.bump(v.pa, l.aDepth * F);
        f.bump(v.pb, l.bDepth * F);
      };
      f.repeat(v.depthCounter, depth, step);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < vectors; j++) {
          const a = v.acc[r * 2 + j]!;
          if (p.relu && last) f.max(a, a, v.zero);
          f.storePartial(v.rowC, (r * l.cRow + c0 + 4 * j) * F, a, lanes(j));
        }
      }
    };
    f.addTo(v.rowA, p.a, 0);
    f.addTo(v.rowC, p.c, 0);
    f.repeat(v.rowCounter, fullRows, () => {
      block(MR);
      f.bump(v.rowA, MR * l.aRow * F);
      f.bump(v.rowC, MR * l.cRow * F);
    });
    if (l.rows % MR) block(l.rows % MR);
  }
}

/** A dense layer's geometry: `batch` rows of `inputs` features to `units`. */
export interface DenseGeometry {
  batch: number;
  inputs: number;
  units: number;
  /** ReLU fused after the bias (else linear). */
  relu: boolean;
  bias: boolean;
}

export function denseForwardKey(g: DenseGeometry): string {
  return `dense:${g.batch},${g.inputs},${g.units},${g.relu ? 1 : 0},${g.bias ? 1 : 0}`;
}

/** `run(x, w, b, y)`: `y = f(x W + b)` for x `[batch, inputs]`, W `[inputs, units]`. */
export function denseForwardKernel(g: DenseGeometry): FunctionBuilder {
  const [X, W, B, Y] = [0, 1, 2, 3];
  const f = new FunctionBuilder(4);
  const locals = productLocals(f);
  emitProduct(
    f,
    {
      rows: g.batch,
      cols: g.units,
      depth: g.inputs,
      aRow: g.inputs,
      aDepth: 1,
      bDepth: g.units,
      cRow: g.units,
    },
    { a: X, b: W, c: Y, bias: g.bias ? B : undefined, relu: g.relu },
    locals,
  );
  return f;
}

export interface DenseGradGeometry extends DenseGeometry {
  /** Whether `dx` is wanted (not for the first layer). */
  dx: boolean;
}

export function denseGradKey(g: DenseGradGeometry): string {
  return `densegrad:${denseForwardKey(g)},${g.dx ? 1 : 0}`;
}

/**
 * `run(x, dy, y, w, dw, db, dx, dz, wt)`: the backward pass of `y = f(x W + b)`. `dz = dy * f'`
 * (ReLU: `dy` where `y > 0`) is written to the scratch `dz` (`[batch, units]`; with a linear layer
 * `dz` is `dy` itself and the scratch is unused), then `dw = x^T dz`, `db = sum over rows of dz`
 * and, with `dx`, `wt = W^T` (scratch `[units, inputs]`) and `dx = dz wt`.
 */
export function denseGradKernel(g: DenseGradGeometry): FunctionBuilder {
  const [X, DY, Y, W, DW, DB, DX, DZ, WT] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const f = new FunctionBuilder(9);
  const locals = productLocals(f);
  const [counter, outer, p1, p2, p3, p4] = [f.i32(), f.i32(), f.i32(), f.i32(), f.i32(), f.i32()];
  const [t0, t1, t2] = [f.v128(), f.v128(), f.v128()];
  let dz = DY;
  const size = g.batch * g.units;
  if (g.relu) {
    dz = DZ;
    // dz = dy & (y > 0), four at a time, then the tail.
    f.zero(t2);
    f.addTo(p1, DY, 0);
    f.addTo(p2, Y, 0);
    f.addTo(p3, DZ, 0);
    const chunk = (lanes: number) => {
      f.loadPartial(t0, p1, 0, lanes);
      f.loadPartial(t1, p2, 0, lanes);
      f.gt(t1, t1, t2);
      f.and(t0, t0, t1);
      f.storePartial(p3, 0, t0, lanes);
    };
    f.repeat(counter, Math.floor(size / 4), () => {
      chunk(4);
      f.bump(p1, 16);
      f.bump(p2, 16);
      f.bump(p3, 16);
    });
    if (size % 4) chunk(size % 4);
  }
  // dW = x^T dz: A(r = input i, t = row m) = x[m * inputs + i].
  emitProduct(
    f,
    {
      rows: g.inputs,
      cols: g.units,
      depth: g.batch,
      aRow: 1,
      aDepth: g.inputs,
      bDepth: g.units,
      cRow: g.units,
    },
    { a: X, b: dz, c: DW },
    locals,
  );
  if (g.bias) {
    // db = column sums of dz, one vector of columns at a time.
    for (let c0 = 0; c0 < g.units; c0 += 4) {
      const lanes = Math.min(4, g.units - c0);
      f.zero(t0);
      f.addTo(p1, dz, c0 * F);
      f.repeat(counter, g.batch, () => {
        f.loadPartial(t1, p1, 0, lanes);
        f.addInto(t0, t1);
        f.bump(p1, g.units * F);
      });
      f.storePartial(DB, c0 * F, t0, lanes);
    }
  }
  if (g.dx) {
    // wt = W^T, one float at a time (lane 0 of a vector), then dx = dz wt.
    f.addTo(p1, W, 0);
    f.addTo(p4, WT, 0);
    f.repeat(outer, g.inputs, () => {
      f.addTo(p2, p4, 0);
      f.repeat(counter, g.units, () => {
        f.loadPartial(t0, p1, 0, 1);
        f.storePartial(p2, 0, t0, 1);
        f.bump(p1, F);
        f.bump(p2, g.inputs * F);
      });
      f.bump(p4, F);
    });
    emitProduct(
      f,
      {
        rows: g.batch,
        cols: g.inputs,
        depth: g.units,
        aRow: g.units,
        aDepth: 1,
        bDepth: g.inputs,
        cRow: g.inputs,
      },
      { a: dz, b: WT, c: DX },
      locals,
    );
  }
  return f;
}
