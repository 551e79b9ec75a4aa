import { chooseScaling, type Scaling } from '@growset/core';

export { SCALINGS, type Scaling } from '@growset/core';

/** The scaling that suits a row-major table `x` of `d` features: core's {@link chooseScaling}. */
export function autoScaling(x: ArrayLike<number>, d: number): Exclude<Scaling, 'none'> {
  const rows = d > 0 ? Math.floor(x.length / d) : 0;
  return chooseScaling(rows, d, (i, j) => x[i * d + j]);
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
