import type { Point } from './matrix.ts';

export type Polygon = readonly Point[];

/** Signed-area-free polygon area (shoelace formula, absolute value). */
export function polygonArea(poly: Polygon): number {
  let sum = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i]!;
    const [x2, y2] = poly[(i + 1) % poly.length]!;
    sum += x1 * y2 - x2 * y1;
  }
  return Math.abs(sum) / 2;
}

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function boundingRect(points: Polygon): Rect {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const [x, y] of points) {
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return { x0, y0, x1, y1 };
}

export function rectPolygon(r: Rect): Polygon {
  return [
    [r.x0, r.y0],
    [r.x1, r.y0],
    [r.x1, r.y1],
    [r.x0, r.y1],
  ];
}

/**
 * Clips a polygon to the rectangle [0, width] x [0, height] (Sutherland-Hodgman). Concave
 * polygons (boxes bent by an elastic warp) may gain zero-width bridges, which do not change
 * their bounding box or area.
 */
export function clipToCanvas(poly: Polygon, width: number, height: number): Point[] {
  let out: Point[] = poly.slice();
  const edges: ((p: Point) => number)[] = [
    (p) => p[0],
    (p) => width - p[0],
    (p) => p[1],
    (p) => height - p[1],
  ];
  for (const inside of edges) {
    if (out.length === 0) break;
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const current = input[i]!;
      const previous = input[(i + input.length - 1) % input.length]!;
      const dc = inside(current);
      const dp = inside(previous);
      if (dc >= 0) {
        if (dp < 0) out.push(intersect(previous, current, dp, dc));
        out.push(current);
      } else if (dp >= 0) {
        out.push(intersect(previous, current, dp, dc));
      }
    }
  }
  return out;
}

function intersect(a: Point, b: Point, da: number, db: number): Point {
  const t = da / (da - db);
  return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
}

/** Inserts points so that no edge is longer than `step` (for warps that bend straight lines). */
export function densify(poly: Polygon, step: number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    const n = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / step));
    for (let k = 0; k < n; k++) out.push([a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n]);
  }
  return out;
}

export function insideCanvas(p: Point, width: number, height: number): boolean {
  return p[0] >= 0 && p[0] <= width && p[1] >= 0 && p[1] <= height;
}
