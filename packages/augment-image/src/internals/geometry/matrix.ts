/**
 * 2-D affine maps and homographies in continuous pixel-edge coordinates: pixel (i, j) covers
 * [i, i+1) x [j, j+1), so its centre is (i + 0.5, j + 0.5) and an image of width w spans [0, w].
 */

/** `[a, b, c, d, e, f]`: x' = a*x + b*y + c, y' = d*x + e*y + f. */
export type Affine = readonly [number, number, number, number, number, number];

/** Row-major 3x3 homography: x' = (h0 x + h1 y + h2) / (h6 x + h7 y + h8), y' likewise with h3..h5. */
export type Homography = readonly [number, number, number, number, number, number, number, number, number];

export type Point = readonly [number, number];

export const IDENTITY: Affine = [1, 0, 0, 0, 1, 0];

export function translation(tx: number, ty: number): Affine {
  return [1, 0, tx, 0, 1, ty];
}

export function scaling(sx: number, sy: number = sx): Affine {
  return [sx, 0, 0, 0, sy, 0];
}

/** Counter-clockwise rotation by `degrees` as seen on screen (y axis pointing down). */
export function rotation(degrees: number): Affine {
  const t = (degrees * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  return [c, s, 0, -s, c, 0];
}

/** Shear along x by `xDegrees` and along y by `yDegrees`. */
export function shearing(xDegrees: number, yDegrees: number): Affine {
  return [1, Math.tan((xDegrees * Math.PI) / 180), 0, Math.tan((yDegrees * Math.PI) / 180), 1, 0];
}

/** `outer` after `inner`: the map p -> outer(inner(p)). */
export function compose(outer: Affine, inner: Affine): Affine {
  const [a, b, c, d, e, f] = outer;
  const [A, B, C, D, E, F] = inner;
  return [a * A + b * D, a * B + b * E, a * C + b * F + c, d * A + e * D, d * B + e * E, d * C + e * F + f];
}

/** Composes maps given in the order they are applied. */
export function chain(...maps: readonly Affine[]): Affine {
  let out = IDENTITY;
  for (const m of maps) out = compose(m, out);
  return out;
}

/** `m` applied about the point (cx, cy) instead of the origin. */
export function about(m: Affine, cx: number, cy: number): Affine {
  return chain(translation(-cx, -cy), m, translation(cx, cy));
}

export function invert(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (det === 0 || !Number.isFinite(det)) throw new RangeError('The affine map is singular');
  const ia = e / det;
  const ib = -b / det;
  const id = -d / det;
  const ie = a / det;
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
}

export function applyAffine(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

/** Largest and smallest singular values of the linear part: how much the map stretches and shrinks. */
export function singularValues(m: Affine): { max: number; min: number } {
  const [a, b, , d, e] = m;
  const s1 = a * a + b * b + d * d + e * e;
  const det = Math.abs(a * e - b * d);
  const root = Math.sqrt(Math.max(0, s1 * s1 - 4 * det * det));
  return { max: Math.sqrt((s1 + root) / 2), min: Math.sqrt(Math.max(0, (s1 - root) / 2)) };
}

export function isAxisAligned(m: Affine, tolerance = 1e-12): boolean {
  return Math.abs(m[1]) <= tolerance && Math.abs(m[3]) <= tolerance;
}

export function applyHomography(h: Homography, x: number, y: number): [number, number] {
  const w = h[6] * x + h[7] * y + h[8];
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
}

export function invertHomography(h: Homography): Homography {
  const [a, b, c, d, e, f, g, i, j] = h;
  const A = e * j - f * i;
  const B = -(d * j - f * g);
  const C = d * i - e * g;
  const det = a * A + b * B + c * C;
  if (det === 0 || !Number.isFinite(det)) throw new RangeError('The homography is singular');
  return [
    A / det,
    -(b * j - c * i) / det,
    (b * f - c * e) / det,
    B / det,
    (a * j - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * i - b * g) / det,
    (a * e - b * d) / det,
  ];
}

/** The homography taking the four `from` points to the four `to` points (direct linear transform). */
export function homographyFromPoints(from: readonly Point[], to: readonly Point[]): Homography {
  if (from.length !== 4 || to.length !== 4) throw new RangeError('A homography needs exactly 4 point pairs');
  const rows: number[][] = [];
  for (let k = 0; k < 4; k++) {
    const [x, y] = from[k]!;
    const [u, v] = to[k]!;
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  const h = solve(rows);
  return [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!, 1];
}

/** Solves an n x (n+1) augmented system by Gaussian elimination with partial pivoting. */
function solve(rows: number[][]): number[] {
  const n = rows.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(rows[r]![col]!) > Math.abs(rows[pivot]![col]!)) pivot = r;
    if (Math.abs(rows[pivot]![col]!) < 1e-12) throw new RangeError('Degenerate points: no homography');
    [rows[col], rows[pivot]] = [rows[pivot]!, rows[col]!];
    const p = rows[col]!;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = rows[r]!;
      const factor = row[col]! / p[col]!;
      if (factor === 0) continue;
      for (let k = col; k <= n; k++) row[k] = row[k]! - factor * p[k]!;
    }
  }
  return rows.map((row, i) => row[n]! / row[i]!);
}
