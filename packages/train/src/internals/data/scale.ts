/** How numeric features are scaled before training. */
export const SCALINGS = ['standardize', 'minmax', 'none'] as const;
export type Scaling = (typeof SCALINGS)[number];

/**
 * The scaling that suits a table (row-major `x`, `d` features): `minmax` when every feature looks
 * like a bounded non-negative intensity on one shared scale (all values integers in [0, 255] or all
 * in [0, 1], and at least half of the non-constant features reach the same maximum, as pixels do),
 * else `standardize`. On scikit-learn's digits (0..16 pixel intensities) min-max scaling is 0.1
 * to 5 points above z-scores for logistic regression and an MLP at 20 to 200 rows; on iris and
 * penguins (measurements in unrelated units) z-scores are 4 to 11 points above min-max
 * (`bench/reference/sklearn-curves.json`).
 */
export function autoScaling(x: ArrayLike<number>, d: number): Exclude<Scaling, 'none'> {
  const n = d > 0 ? Math.floor(x.length / d) : 0;
  if (n === 0) return 'standardize';
  let integers = true;
  let unit = true;
  const min = new Float64Array(d).fill(Number.POSITIVE_INFINITY);
  const max = new Float64Array(d).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j]!;
      if (!(v >= 0)) return 'standardize';
      if (v > 1) unit = false;
      if (v > 255 || !Number.isInteger(v)) integers = false;
      if (v < min[j]!) min[j] = v;
      if (v > max[j]!) max[j] = v;
    }
    if (!integers && !unit) return 'standardize';
  }
  let top = 0;
  for (let j = 0; j < d; j++) top = Math.max(top, max[j]!);
  let varying = 0;
  let atTop = 0;
  for (let j = 0; j < d; j++) {
    if (max[j]! > min[j]!) {
      varying++;
      if (max[j] === top) atTop++;
    }
  }
  return varying > 0 && atTop * 2 >= varying ? 'minmax' : 'standardize';
}

/** A scaler fitted on training rows; `transform` returns a new array. */
export interface FittedScaler {
  scaling: Scaling;
  /** Per feature: `(x - offset) / scale`. */
  offset: Float64Array;
  scale: Float64Array;
  transform(x: ArrayLike<number>): Float32Array;
}

/**
 * Fits a scaler on training rows, as scikit-learn's `StandardScaler` (population std) and
 * `MinMaxScaler` (to [0, 1]) do; a constant feature keeps scale 1.
 */
export function fitScaler(x: ArrayLike<number>, d: number, scaling: Scaling | 'auto'): FittedScaler {
  const chosen: Scaling = scaling === 'auto' ? autoScaling(x, d) : scaling;
  const n = d > 0 ? Math.floor(x.length / d) : 0;
  const offset = new Float64Array(d);
  const scale = new Float64Array(d).fill(1);
  if (chosen === 'standardize' && n > 0) {
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) offset[j] = offset[j]! + x[i * d + j]!;
    for (let j = 0; j < d; j++) offset[j] = offset[j]! / n;
    const sq = new Float64Array(d);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) sq[j] = sq[j]! + (x[i * d + j]! - offset[j]!) ** 2;
    for (let j = 0; j < d; j++) scale[j] = Math.sqrt(sq[j]! / n) || 1;
  } else if (chosen === 'minmax' && n > 0) {
    const max = new Float64Array(d).fill(Number.NEGATIVE_INFINITY);
    offset.fill(Number.POSITIVE_INFINITY);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const v = x[i * d + j]!;
        if (v < offset[j]!) offset[j] = v;
        if (v > max[j]!) max[j] = v;
      }
    }
    for (let j = 0; j < d; j++) scale[j] = max[j]! - offset[j]! || 1;
  }
  return {
    scaling: chosen,
    offset,
    scale,
    transform(values) {
      const out = new Float32Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const j = i % d;
        out[i] = (values[i]! - offset[j]!) / scale[j]!;
      }
      return out;
    },
  };
}
