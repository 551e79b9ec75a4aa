import {
  type Affine,
  applyAffine,
  chain,
  compose,
  IDENTITY,
  invert,
  isAxisAligned,
  type Point,
  scaling,
  singularValues,
  translation,
} from '../../geometry/matrix.ts';
import { clipToCanvas, rectPolygon } from '../../geometry/polygon.ts';
import { bestInterpolation } from '../../geometry/warp.ts';
import type { AffineOp, GeometricOp, Interpolation } from '../../ops/types.ts';
import type { Region } from './pass.ts';

/**
 * How a run of geometric ops executes on libvips:
 * - `native`: an axis-aligned map whose source is a whole-pixel rectangle: extract, resize, mirror
 *   (exact, antialiased, shrink-on-load when the whole image is read);
 * - `affine`: one libvips affine at the output size, reading only the region it needs (after a
 *   pre-resize when the map shrinks more than 2x); the output is the top-left `window` of the
 *   pass result;
 * - `blank`: the window sees nothing of the input;
 * - `remap`: not expressible as one libvips affine (perspective, elastic, reflect borders,
 *   intermediate canvases that clip content): run on typed arrays.
 */
export type GeometryPlan =
  | {
      kind: 'native';
      region: Region | undefined;
      resize: { width: number; height: number } | undefined;
      flip: boolean;
      flop: boolean;
      kernel: 'nearest' | 'linear' | 'cubic';
      width: number;
      height: number;
    }
  | {
      kind: 'affine';
      region: Region | undefined;
      resize: { width: number; height: number } | undefined;
      matrix: [number, number, number, number];
      odx: number;
      ody: number;
      interpolator: Interpolation;
      fill: readonly number[];
      /** The map from the (extracted, resized) pass input to the output, edge coordinates. */
      residual: Affine;
      /** Extra columns/rows appended so the pass output covers the window. */
      extend: { right: number; bottom: number };
      /** Size of the pass output; the window is its top-left corner. */
      passWidth: number;
      passHeight: number;
      width: number;
      height: number;
    }
  | { kind: 'blank'; width: number; height: number; fill: readonly number[] }
  | { kind: 'remap' };

export interface GeometryInput {
  width: number;
  height: number;
  /** JPEG input can shrink on load by 2, 4 or 8 when the whole image is read. */
  jpeg: boolean;
}

/**
 * Maps that shrink by more than this go through a libvips resize first: antialiased (as
 * torchvision's antialias=True) and cheaper to resample, since the raw handoff is smaller.
 */
const PRE_RESIZE_BELOW = 0.5;
const EPS = 1e-6;

export function planGeometry(ops: readonly GeometricOp[], input: GeometryInput): GeometryPlan {
  if (!ops.every((op): op is AffineOp => op.op === 'affine')) return { kind: 'remap' };
  if (!ops.every((op) => op.border === 'constant')) return { kind: 'remap' };
  const fill = ops[0]!.fill;
  if (!ops.every((op) => sameFill(op.fill, fill))) return { kind: 'remap' };
  if (intermediateCanvasesClip(ops, input.width, input.height)) return { kind: 'remap' };
  const last = ops[ops.length - 1]!;
  const width = last.width;
  const height = last.height;
  const matrix = ops.reduce<Affine>((m, op) => compose(op.matrix, m), IDENTITY);
  const interpolator = bestInterpolation(ops);
  const native = planNative(matrix, input, width, height, interpolator);
  if (native) return native;
  return planAffine(matrix, input, width, height, interpolator, fill);
}

function sameFill(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Whether some intermediate canvas cuts off content that would otherwise reach the output window
 * (then folding the chain into one affine would differ from running it step by step).
 */
export function intermediateCanvasesClip(ops: readonly AffineOp[], width: number, height: number): boolean {
  if (ops.length < 2) return false;
  const last = ops[ops.length - 1]!;
  const toOutput = (from: number) =>
    ops.slice(from).reduce<Affine>((m, op) => compose(op.matrix, m), IDENTITY);
  const visible = clipToCanvas(
    rectPolygon({ x0: 0, y0: 0, x1: width, y1: height }).map(
      ([x, y]) => applyAffine(toOutput(0), x, y) as Point,
    ),
    last.width,
    last.height,
  );
  for (let k = 0; k < ops.length - 1; k++) {
    const canvas = ops[k]!;
    const quad = rectPolygon({ x0: 0, y0: 0, x1: canvas.width, y1: canvas.height }).map(
      ([x, y]) => applyAffine(toOutput(k + 1), x, y) as Point,
    );
    if (!visible.every((p) => insideConvex(p, quad))) return true;
  }
  return false;
}

function insideConvex(p: Point, quad: readonly Point[]): boolean {
  let sign = 0;
  for (let i = 0; i < quad.length; i++) {
    const a = quad[i]!;
    const b = quad[(i + 1) % quad.length]!;
    const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
    const scale = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    if (Math.abs(cross / scale) <= EPS) continue;
    const s = Math.sign(cross);
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return true;
}

function preimageRect(m: Affine, width: number, height: number) {
  const inv = invert(m);
  const corners = [
    applyAffine(inv, 0, 0),
    applyAffine(inv, width, 0),
    applyAffine(inv, 0, height),
    applyAffine(inv, width, height),
  ];
  return {
    x0: Math.min(...corners.map((c) => c[0])),
    x1: Math.max(...corners.map((c) => c[0])),
    y0: Math.min(...corners.map((c) => c[1])),
    y1: Math.max(...corners.map((c) => c[1])),
  };
}

function nearInteger(v: number): boolean {
  return Math.abs(v - Math.round(v)) < EPS;
}

function planNative(
  m: Affine,
  input: GeometryInput,
  width: number,
  height: number,
  interpolation: Interpolation,
): GeometryPlan | undefined {
  if (!isAxisAligned(m)) return undefined;
  const r = preimageRect(m, width, height);
  if (![r.x0, r.x1, r.y0, r.y1].every(nearInteger)) return undefined;
  const x0 = Math.round(r.x0);
  const y0 = Math.round(r.y0);
  const x1 = Math.round(r.x1);
  const y1 = Math.round(r.y1);
  if (x0 < 0 || y0 < 0 || x1 > input.width || y1 > input.height || x1 <= x0 || y1 <= y0) return undefined;
  const whole = x0 === 0 && y0 === 0 && x1 === input.width && y1 === input.height;
  const sameSize = x1 - x0 === width && y1 - y0 === height;
  return {
    kind: 'native',
    region: whole ? undefined : { left: x0, top: y0, width: x1 - x0, height: y1 - y0 },
    resize: sameSize ? undefined : { width, height },
    flip: m[4] < 0,
    flop: m[0] < 0,
    kernel: interpolation === 'nearest' ? 'nearest' : interpolation === 'bilinear' ? 'linear' : 'cubic',
    width,
    height,
  };
}

/** C's rint as libvips' VIPS_RINT uses it for areas: halves away from zero. */
function rint(v: number): number {
  return v > 0 ? Math.floor(v + 0.5) : Math.ceil(v - 0.5);
}

function isTie(v: number): boolean {
  const f = Math.abs(v) % 1;
  return Math.abs(f - 0.5) < 1e-7;
}

function planAffine(
  m: Affine,
  input: GeometryInput,
  width: number,
  height: number,
  interpolation: Interpolation,
  fill: readonly number[],
): GeometryPlan {
  const margin = interpolation === 'bicubic' ? 3 : 2;
  const pre = preimageRect(m, width, height);
  let x0 = Math.max(0, Math.floor(pre.x0) - margin);
  let y0 = Math.max(0, Math.floor(pre.y0) - margin);
  const x1 = Math.min(input.width, Math.ceil(pre.x1) + margin);
  const y1 = Math.min(input.height, Math.ceil(pre.y1) + margin);
  if (x1 <= x0 || y1 <= y0) return { kind: 'blank', width, height, fill };

  const shrink = singularValues(m).max;
  const preResize = shrink < PRE_RESIZE_BELOW ? shrink : 1;
  // Reading the whole JPEG lets libjpeg shrink on load (2x, 4x or 8x) for strong downscales.
  const wholeJpeg =
    input.jpeg && preResize <= 1 / 3 && (x1 - x0) * (y1 - y0) >= 0.25 * input.width * input.height;
  if (wholeJpeg) {
    x0 = 0;
    y0 = 0;
  }
  const rx1 = wholeJpeg ? input.width : x1;
  const ry1 = wholeJpeg ? input.height : y1;

  // libvips sizes the affine output by rounding its bounding box; nudge the region off exact
  // halves so that the rounding we predict is the rounding libvips does.
  for (let attempt = 0; attempt < 9; attempt++) {
    const dx = attempt % 3;
    const dy = Math.floor(attempt / 3);
    const left = Math.max(0, x0 - dx);
    const top = Math.max(0, y0 - dy);
    const plan = affineFor(
      m,
      input,
      { left, top, width: rx1 - left, height: ry1 - top },
      width,
      height,
      interpolation,
      fill,
      preResize,
    );
    if (plan) return plan;
  }
  return { kind: 'remap' };
}

function affineFor(
  m: Affine,
  input: GeometryInput,
  region: Region,
  width: number,
  height: number,
  interpolation: Interpolation,
  fill: readonly number[],
  preResize: number,
): GeometryPlan | undefined {
  let resize: { width: number; height: number } | undefined;
  let toRegion: Affine = translation(region.left, region.top);
  let iw = region.width;
  let ih = region.height;
  if (preResize < 1) {
    iw = Math.max(1, Math.round(region.width * preResize));
    ih = Math.max(1, Math.round(region.height * preResize));
    resize = { width: iw, height: ih };
    toRegion = chain(scaling(region.width / iw, region.height / ih), toRegion);
  }
  const full = compose(m, toRegion);
  const a: [number, number, number, number] = [full[0], full[1], full[3], full[4]];
  // libvips samples pixel centres at integer positions; edge coordinates are offset by half a pixel.
  const tx = full[2] + (a[0] + a[1]) * 0.5 - 0.5;
  const ty = full[5] + (a[2] + a[3]) * 0.5 - 0.5;
  const xs = [0, a[0] * iw, a[1] * ih, a[0] * iw + a[1] * ih];
  const ys = [0, a[2] * iw, a[3] * ih, a[2] * iw + a[3] * ih];
  const xmin = Math.min(...xs);
  const xmax = Math.max(...xs);
  const ymin = Math.min(...ys);
  const ymax = Math.max(...ys);
  if ([xmin, ymin, xmax - xmin, ymax - ymin].some(isTie)) return undefined;
  const passWidth0 = rint(xmax - xmin);
  const passHeight0 = rint(ymax - ymin);
  const extend = { right: Math.max(0, width - passWidth0), bottom: Math.max(0, height - passHeight0) };
  return {
    kind: 'affine',
    region:
      region.left === 0 && region.top === 0 && region.width === input.width && region.height === input.height
        ? undefined
        : region,
    resize,
    matrix: a,
    odx: tx + rint(xmin),
    ody: ty + rint(ymin),
    interpolator: interpolation,
    fill,
    residual: full,
    extend,
    passWidth: passWidth0 + extend.right,
    passHeight: passHeight0 + extend.bottom,
    width,
    height,
  };
}

/**
 * The JPEG shrink-on-load factor sharp uses for a resize that shrinks by `shrink` (its rule: the
 * largest of 8, 4, 2 not above the shrink, halved when the shrink is exactly that integer).
 */
export function jpegShrinkOnLoad(shrink: number): number {
  let factor = shrink >= 8 ? 8 : shrink >= 4 ? 4 : shrink >= 2 ? 2 : 1;
  if (factor > 1 && Math.floor(shrink) === factor) factor /= 2;
  return factor;
}
