import type { FloatImage } from '../../engine/js/filters.ts';
import type { PixelContext } from '../../engine/js/pixel.ts';

/**
 * Tone curves and histogram operations as pure functions of a float image in its own units
 * (`ctx.unit` converts 8-bit units). Alpha (the channel after the colour ones) is left alone.
 */

function copy(image: FloatImage): FloatImage {
  return { ...image, data: new Float32Array(image.data) };
}

/** The 8-bit level of a value (0..255). */
function level(v: number, ctx: PixelContext): number {
  const l = Math.round(v / ctx.unit);
  return l < 0 ? 0 : Math.min(l, 255);
}

/** torchvision's solarize: values at or above `threshold` (8-bit units) become max - v. */
export function solarize(image: FloatImage, threshold: number, ctx: PixelContext): FloatImage {
  const out = copy(image);
  const t = threshold * ctx.unit;
  const { data, channels } = out;
  for (let i = 0; i < data.length; i++) {
    if (i % channels >= ctx.colour) continue;
    if (data[i]! >= t) data[i] = ctx.max - data[i]!;
  }
  return out;
}

/**
 * torchvision's autocontrast: each colour channel stretched so that its minimum becomes 0 and
 * its maximum the largest value; a constant channel is left as it is.
 */
export function autocontrast(image: FloatImage, ctx: PixelContext): FloatImage {
  const out = copy(image);
  const { data, channels } = out;
  const n = out.width * out.height;
  for (let c = 0; c < ctx.colour; c++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const v = data[i * channels + c]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!(hi > lo)) continue;
    const scale = ctx.max / (hi - lo);
    for (let i = 0; i < n; i++) data[i * channels + c] = (data[i * channels + c]! - lo) * scale;
  }
  return out;
}

/**
 * torchvision's adjust_sharpness: blends the image with a smoothed copy (kernel
 * [[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13 inside, border pixels kept, rounded to whole levels
 * for integer images): factor 0 gives the smoothed image, 1 the original, 2 a sharper one.
 */
export function sharpness(
  image: FloatImage,
  factor: number,
  ctx: PixelContext,
  integer: boolean,
): FloatImage {
  const { width: W, height: H, channels, data } = image;
  const out = copy(image);
  if (W < 3 || H < 3) return out;
  for (let y = 1; y < H - 1; y++)
    for (let x = 1; x < W - 1; x++)
      for (let c = 0; c < ctx.colour; c++) {
        let sum = 0;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++)
            sum += data[((y + dy) * W + x + dx) * channels + c]! * (dx === 0 && dy === 0 ? 5 : 1);
        let blurred = sum / 13;
        if (integer) blurred = Math.round(blurred / ctx.unit) * ctx.unit;
        const k = (y * W + x) * channels + c;
        out.data[k] = factor * data[k]! + (1 - factor) * blurred;
      }
  return out;
}

/**
 * OpenCV's CLAHE on one 8-bit plane (levels 0..255): a histogram per tile of a `tilesX` x
 * `tilesY` grid, clipped at max(1, floor(clipLimit * tileArea / 256)) with the excess spread
 * evenly (remainder one by one at a regular step), turned into a lookup table, and the tables
 * of the four nearest tiles interpolated bilinearly per pixel. Sizes that do not divide by the
 * grid are padded by mirroring (BORDER_REFLECT_101), as OpenCV does.
 */
export function claheLevels(
  plane: Uint8Array,
  width: number,
  height: number,
  clipLimit: number,
  tilesX: number,
  tilesY: number,
): Uint8Array {
  const paddedW = Math.ceil(width / tilesX) * tilesX;
  const paddedH = Math.ceil(height / tilesY) * tilesY;
  const tileW = paddedW / tilesX;
  const tileH = paddedH / tilesY;
  const area = tileW * tileH;
  const reflect = (v: number, n: number) => {
    if (n === 1) return 0;
    let m = v;
    while (m < 0 || m >= n) m = m < 0 ? -m : 2 * n - 2 - m;
    return m;
  };
  const limit = clipLimit > 0 ? Math.max(1, Math.floor((clipLimit * area) / 256)) : 0;
  const luts = new Uint8Array(tilesX * tilesY * 256);
  const hist = new Int32Array(256);
  const lutScale = 255 / area;
  for (let ty = 0; ty < tilesY; ty++)
    for (let tx = 0; tx < tilesX; tx++) {
      hist.fill(0);
      for (let y = ty * tileH; y < (ty + 1) * tileH; y++) {
        const row = reflect(y, height) * width;
        for (let x = tx * tileW; x < (tx + 1) * tileW; x++) hist[plane[row + reflect(x, width)]!]!++;
      }
      if (limit > 0) {
        let clipped = 0;
        for (let i = 0; i < 256; i++)
          if (hist[i]! > limit) {
            clipped += hist[i]! - limit;
            hist[i] = limit;
          }
        const batch = Math.floor(clipped / 256);
        let residual = clipped - batch * 256;
        for (let i = 0; i < 256; i++) hist[i]! += batch;
        if (residual !== 0) {
          const step = Math.max(Math.floor(256 / residual), 1);
          for (let i = 0; i < 256 && residual > 0; i += step, residual--) hist[i]!++;
        }
      }
      let sum = 0;
      const base = (ty * tilesX + tx) * 256;
      for (let i = 0; i < 256; i++) {
        sum += hist[i]!;
        luts[base + i] = Math.min(255, Math.max(0, Math.round(sum * lutScale)));
      }
    }
  const out = new Uint8Array(width * height);
  // OpenCV computes these in single precision; a column's (row's) tiles and weights are the same
  // on every row (column).
  const axis = (n: number, inv: number, tiles: number) => {
    const t1 = new Int32Array(n);
    const t2 = new Int32Array(n);
    const a = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      const tf = Math.fround(Math.fround(k * inv) - 0.5);
      const lo = Math.floor(tf);
      a[k] = Math.fround(tf - lo);
      t1[k] = Math.max(lo, 0);
      t2[k] = Math.min(lo + 1, tiles - 1);
    }
    return { t1, t2, a };
  };
  const ax = axis(width, Math.fround(1 / tileW), tilesX);
  const ay = axis(height, Math.fround(1 / tileH), tilesY);
  for (let y = 0; y < height; y++) {
    const ya = ay.a[y]!;
    const row1 = ay.t1[y]! * tilesX;
    const row2 = ay.t2[y]! * tilesX;
    for (let x = 0; x < width; x++) {
      const xa = ax.a[x]!;
      const v = plane[y * width + x]!;
      const l11 = luts[(row1 + ax.t1[x]!) * 256 + v]!;
      const l12 = luts[(row1 + ax.t2[x]!) * 256 + v]!;
      const l21 = luts[(row2 + ax.t1[x]!) * 256 + v]!;
      const l22 = luts[(row2 + ax.t2[x]!) * 256 + v]!;
      const res = (l11 * (1 - xa) + l12 * xa) * (1 - ya) + (l21 * (1 - xa) + l22 * xa) * ya;
      out[y * width + x] = Math.min(255, Math.max(0, Math.round(res)));
    }
  }
  return out;
}

// sRGB <-> CIE L*a*b* (D65), as OpenCV's float conversion.
const XN = 0.950456;
const ZN = 1.088754;
const toLinear = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
const toGamma = (v: number) => (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);
const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
const fInv = (t: number) => (t > 0.206893 ? t * t * t : (t - 16 / 116) / 7.787);

/** toLinear of the 256 8-bit levels (most images are 8-bit: saves three powers per pixel). */
const LINEAR8 = Float64Array.from({ length: 256 }, (_, v) => toLinear(v / 255));
const linear = (v: number) => {
  const l = Math.round(v * 255);
  return l >= 0 && l <= 255 && Math.abs(l - v * 255) < 1e-6 ? LINEAR8[l]! : toLinear(v);
};

function rgbToLab(r: number, g: number, b: number): [number, number, number] {
  const R = linear(r);
  const G = linear(g);
  const B = linear(b);
  const X = (0.412453 * R + 0.35758 * G + 0.180423 * B) / XN;
  const Y = 0.212671 * R + 0.71516 * G + 0.072169 * B;
  const Z = (0.019334 * R + 0.119193 * G + 0.950227 * B) / ZN;
  const L = Y > 0.008856 ? 116 * Math.cbrt(Y) - 16 : 903.3 * Y;
  return [L, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))];
}

function labToRgb(L: number, a: number, bb: number): [number, number, number] {
  const fy = (L + 16) / 116;
  const Y = L > 7.9996 ? fy * fy * fy : L / 903.3;
  const X = fInv(fy + a / 500) * XN;
  const Z = fInv(fy - bb / 200) * ZN;
  const R = 3.240479 * X - 1.53715 * Y - 0.498535 * Z;
  const G = -0.969256 * X + 1.875991 * Y + 0.041556 * Z;
  const B = 0.055648 * X - 0.204043 * Y + 1.057311 * Z;
  return [toGamma(R), toGamma(G), toGamma(B)];
}

/**
 * albumentations' CLAHE: grey images directly; colour images on the L* channel of CIE L*a*b*
 * (L* in 8-bit levels, as OpenCV's 8-bit LAB), a* and b* kept.
 */
export function clahe(
  image: FloatImage,
  clipLimit: number,
  tilesX: number,
  tilesY: number,
  ctx: PixelContext,
): FloatImage {
  const out = copy(image);
  const { width, height, channels, data } = out;
  const n = width * height;
  const plane = new Uint8Array(n);
  if (ctx.colour === 1) {
    for (let i = 0; i < n; i++) plane[i] = level(data[i * channels]!, ctx);
    const eq = claheLevels(plane, width, height, clipLimit, tilesX, tilesY);
    for (let i = 0; i < n; i++) data[i * channels] = eq[i]! * ctx.unit;
    return out;
  }
  const lab = new Float64Array(n * 3);
  const scale = 1 / ctx.max;
  for (let i = 0; i < n; i++) {
    const k = i * channels;
    const [L, a, b] = rgbToLab(data[k]! * scale, data[k + 1]! * scale, data[k + 2]! * scale);
    lab[i * 3] = L;
    lab[i * 3 + 1] = a;
    lab[i * 3 + 2] = b;
    plane[i] = Math.min(255, Math.max(0, Math.round((L * 255) / 100)));
  }
  const eq = claheLevels(plane, width, height, clipLimit, tilesX, tilesY);
  for (let i = 0; i < n; i++) {
    const k = i * channels;
    const rgb = labToRgb((eq[i]! * 100) / 255, lab[i * 3 + 1]!, lab[i * 3 + 2]!);
    for (let c = 0; c < 3; c++) data[k + c] = rgb[c]! * ctx.max;
  }
  return out;
}

/**
 * Histogram matching (scikit-image's match_histograms, per channel): each source level goes to
 * the reference level at the same quantile, interpolated linearly between the reference's
 * levels; then blended with the source by `blend` (1: fully matched). `reference` holds one
 * 256-bin histogram per colour channel (one for all, or one per channel).
 */
export function matchHistograms(
  image: FloatImage,
  reference: readonly (readonly number[])[],
  blend: number,
  ctx: PixelContext,
): FloatImage {
  const out = copy(image);
  const { data, channels } = out;
  const n = out.width * out.height;
  for (let c = 0; c < ctx.colour; c++) {
    const ref = reference.length === 1 ? reference[0]! : reference[c]!;
    const refLevels: number[] = [];
    const refQuantiles: number[] = [];
    const refTotal = ref.reduce((s, v) => s + v, 0);
    let cum = 0;
    for (let l = 0; l < 256; l++) {
      if (!(ref[l]! > 0)) continue;
      cum += ref[l]!;
      refLevels.push(l);
      refQuantiles.push(cum / refTotal);
    }
    const hist = new Float64Array(256);
    for (let i = 0; i < n; i++) hist[level(data[i * channels + c]!, ctx)]!++;
    const lut = new Float64Array(256);
    let srcCum = 0;
    for (let l = 0; l < 256; l++) {
      if (hist[l] === 0) continue;
      srcCum += hist[l]!;
      lut[l] = interp(srcCum / n, refQuantiles, refLevels);
    }
    for (let i = 0; i < n; i++) {
      const k = i * channels + c;
      const matched = lut[level(data[k]!, ctx)]! * ctx.unit;
      data[k] = blend * matched + (1 - blend) * data[k]!;
    }
  }
  return out;
}

/** numpy.interp: piecewise linear through (xs, ys), clamped to the end values. */
function interp(x: number, xs: readonly number[], ys: readonly number[]): number {
  if (xs.length === 0) return 0;
  if (x <= xs[0]!) return ys[0]!;
  const last = xs.length - 1;
  if (x >= xs[last]!) return ys[last]!;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid;
    else hi = mid;
  }
  const t = (x - xs[lo]!) / (xs[hi]! - xs[lo]!);
  return ys[lo]! + t * (ys[hi]! - ys[lo]!);
}

/** 256-bin histograms of each colour channel of 8-bit levels (the `reference` of histogramMatching). */
export function levelHistograms(image: FloatImage, ctx: PixelContext): number[][] {
  const { data, channels } = image;
  const n = image.width * image.height;
  const out: number[][] = [];
  for (let c = 0; c < ctx.colour; c++) {
    const hist = new Array<number>(256).fill(0);
    for (let i = 0; i < n; i++) hist[level(data[i * channels + c]!, ctx)]!++;
    out.push(hist);
  }
  return out;
}
