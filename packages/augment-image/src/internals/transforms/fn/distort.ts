/**
 * Inverse maps (output point to the input point it samples, edge coordinates) of the mapped
 * warps: grid distortion and optical (barrel / pincushion) distortion.
 */

/**
 * Grid distortion (albumentations' GridDistortion, normalized): the output is cut into
 * `steps.length` equal columns; column k samples a source column whose width is proportional to
 * steps[k] (the source columns tile the whole image). Likewise for rows. Piecewise linear and
 * separable.
 */
export function gridAxis(size: number, steps: readonly number[]): (v: number) => number {
  const n = steps.length;
  const total = steps.reduce((a, b) => a + b, 0);
  const nodes = [0];
  for (const s of steps) nodes.push(nodes[nodes.length - 1]! + (s / total) * size);
  return (v) => {
    const t = (v / size) * n;
    const k = Math.min(n - 1, Math.max(0, Math.floor(t)));
    return nodes[k]! + (t - k) * (nodes[k + 1]! - nodes[k]!);
  };
}

export function gridInverse(
  width: number,
  height: number,
  xSteps: readonly number[],
  ySteps: readonly number[],
): (x: number, y: number, out: Float64Array) => void {
  const fx = gridAxis(width, xSteps);
  const fy = gridAxis(height, ySteps);
  return (x, y, out) => {
    out[0] = fx(x);
    out[1] = fy(y);
  };
}

/**
 * Optical distortion as albumentations' OpticalDistortion (OpenCV's undistortion map with
 * k1 = k2 = k): focal lengths (W, H), centre c = (W / 2 + dx W, H / 2 + dy H) (the true centre;
 * albumentations puts it half a pixel off); output point p samples c + F q (1 + k r^2 + k r^4)
 * with q = (p - c) / F, r = |q|. k > 0 gives barrel, k < 0 pincushion.
 */
export function opticalInverse(
  width: number,
  height: number,
  k: number,
  dx: number,
  dy: number,
): (x: number, y: number, out: Float64Array) => void {
  const cx = width / 2 + dx * width;
  const cy = height / 2 + dy * height;
  return (x, y, out) => {
    const qx = (x - cx) / width;
    const qy = (y - cy) / height;
    const r2 = qx * qx + qy * qy;
    const s = 1 + k * r2 + k * r2 * r2;
    out[0] = cx + width * qx * s;
    out[1] = cy + height * qy * s;
  };
}
