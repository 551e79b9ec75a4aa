/**
 * Thin-plate splines (Bookstein 1989): the smoothest map (least bending energy) of the plane
 * through given control points, f(p) = a0 + a1 x + a2 y + sum_i w_i U(|p - p_i|) with
 * U(r) = r^2 log r^2, fitted for each output coordinate. It reproduces affine maps exactly.
 */

/** One control point: an output point (u, v) and the input point (su, sv) it samples, as fractions of the image. */
export type ControlPoint = readonly [u: number, v: number, su: number, sv: number];

function kernel(r2: number): number {
  return r2 <= 0 ? 0 : r2 * Math.log(r2);
}

/**
 * Solves the (n + 3) x (n + 3) system [K P; P^T 0] [w; a] = [t; 0] for the two coordinates at
 * once, by Gaussian elimination with partial pivoting. Returns [w_1..w_n, a0, a1, a2] per
 * coordinate, or undefined when the points are degenerate (collinear, or repeated).
 */
export function fitThinPlate(points: readonly ControlPoint[]): [Float64Array, Float64Array] | undefined {
  const n = points.length;
  const m = n + 3;
  const a = Array.from({ length: m }, () => new Float64Array(m + 2));
  for (let i = 0; i < n; i++) {
    const [ui, vi, si, ti] = points[i]!;
    for (let j = 0; j < n; j++) {
      const [uj, vj] = points[j]!;
      a[i]![j] = kernel((ui - uj) ** 2 + (vi - vj) ** 2);
    }
    a[i]![n] = 1;
    a[i]![n + 1] = ui;
    a[i]![n + 2] = vi;
    a[n]![i] = 1;
    a[n + 1]![i] = ui;
    a[n + 2]![i] = vi;
    a[i]![m] = si;
    a[i]![m + 1] = ti;
  }
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-12) return undefined;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const row = a[col]!;
    for (let r = 0; r < m; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / row[col]!;
      if (f === 0) continue;
      const target = a[r]!;
      for (let c = col; c < m + 2; c++) target[c] = target[c]! - f * row[c]!;
    }
  }
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    x[r] = a[r]![m]! / a[r]![r]!;
    y[r] = a[r]![m + 1]! / a[r]![r]!;
  }
  return [x, y];
}

/**
 * The inverse map (output point to the input point it samples, edge coordinates) of a thin-plate
 * spline through `points` on a `width` x `height` image; the identity when the points are degenerate.
 */
export function thinPlateInverse(
  width: number,
  height: number,
  points: readonly ControlPoint[],
): (x: number, y: number, out: Float64Array) => void {
  const fit = fitThinPlate(points);
  if (!fit) {
    return (x, y, out) => {
      out[0] = x;
      out[1] = y;
    };
  }
  const [wx, wy] = fit;
  const n = points.length;
  const us = Float64Array.from(points, (p) => p[0]);
  const vs = Float64Array.from(points, (p) => p[1]);
  return (x, y, out) => {
    const u = x / width;
    const v = y / height;
    let fx = wx[n]! + wx[n + 1]! * u + wx[n + 2]! * v;
    let fy = wy[n]! + wy[n + 1]! * u + wy[n + 2]! * v;
    for (let i = 0; i < n; i++) {
      const k = kernel((u - us[i]!) ** 2 + (v - vs[i]!) ** 2);
      fx += wx[i]! * k;
      fy += wy[i]! * k;
    }
    out[0] = fx * width;
    out[1] = fy * height;
  };
}
