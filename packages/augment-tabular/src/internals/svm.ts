/**
 * A binary C-SVM with an RBF kernel, trained by SMO with LIBSVM's second-order working-set
 * selection (Fan, Chen and Lin, 2005). Small and exact enough to find support vectors for
 * SVM-SMOTE; kernel rows are computed on demand, so memory stays linear in the rows.
 */
export interface SvmOptions {
  /** Penalty. @default 1 */
  c?: number;
  /** RBF width: `exp(-gamma |x - y|^2)`. @default 1 / (dims * variance of all values) (scikit-learn's 'scale') */
  gamma?: number;
  /** Stopping tolerance on the KKT gap. @default 1e-3 */
  tolerance?: number;
  /** SMO steps at most. @default 100 * n, at least 10,000 */
  maxSteps?: number;
}

export interface SvmModel {
  /** Dual coefficients; rows with `alpha > 0` are the support vectors. */
  readonly alpha: Float64Array;
  readonly gamma: number;
  readonly steps: number;
}

/** Trains on `n x dims` row-major points with labels `+1` / `-1`. */
export function trainSvm(
  points: Float64Array,
  dims: number,
  y: Int8Array,
  options: SvmOptions = {},
): SvmModel {
  const n = y.length;
  const C = options.c ?? 1;
  let gamma = options.gamma;
  if (gamma === undefined) {
    let mean = 0;
    for (const v of points) mean += v;
    mean /= points.length || 1;
    let variance = 0;
    for (const v of points) variance += (v - mean) ** 2;
    variance /= points.length || 1;
    gamma = variance > 0 ? 1 / (dims * variance) : 1;
  }
  const g = gamma;
  const eps = options.tolerance ?? 1e-3;
  const maxSteps = options.maxSteps ?? Math.max(10_000, 100 * n);
  const tau = 1e-12;
  const alpha = new Float64Array(n);
  const grad = new Float64Array(n).fill(-1);
  const kernelRow = (i: number, out: Float64Array) => {
    const io = i * dims;
    for (let t = 0; t < n; t++) {
      let s = 0;
      const to = t * dims;
      for (let j = 0; j < dims; j++) {
        const d = points[io + j]! - points[to + j]!;
        s += d * d;
      }
      out[t] = Math.exp(-g * s);
    }
  };
  const Ki = new Float64Array(n);
  const Kj = new Float64Array(n);
  let steps = 0;
  for (; steps < maxSteps; steps++) {
    // i: the most violating index among those that can move up.
    let gmax = Number.NEGATIVE_INFINITY;
    let i = -1;
    for (let t = 0; t < n; t++) {
      if (y[t] === 1) {
        if (alpha[t]! < C && -grad[t]! >= gmax) {
          gmax = -grad[t]!;
          i = t;
        }
      } else if (alpha[t]! > 0 && grad[t]! >= gmax) {
        gmax = grad[t]!;
        i = t;
      }
    }
    if (i < 0) break;
    kernelRow(i, Ki);
    let gmax2 = Number.NEGATIVE_INFINITY;
    let j = -1;
    let best = Number.POSITIVE_INFINITY;
    for (let t = 0; t < n; t++) {
      if (y[t] === 1) {
        if (alpha[t]! > 0) {
          const diff = gmax + grad[t]!;
          if (grad[t]! >= gmax2) gmax2 = grad[t]!;
          if (diff > 0) {
            const quad = 2 - 2 * y[i]! * Ki[t]!;
            const obj = -(diff * diff) / (quad > 0 ? quad : tau);
            if (obj <= best) {
              best = obj;
              j = t;
            }
          }
        }
      } else if (alpha[t]! < C) {
        const diff = gmax - grad[t]!;
        if (-grad[t]! >= gmax2) gmax2 = -grad[t]!;
        if (diff > 0) {
          const quad = 2 + 2 * y[i]! * Ki[t]!;
          const obj = -(diff * diff) / (quad > 0 ? quad : tau);
          if (obj <= best) {
            best = obj;
            j = t;
          }
        }
      }
    }
    if (gmax + gmax2 < eps || j < 0) break;
    kernelRow(j, Kj);
    const Qij = y[i]! * y[j]! * Ki[j]!;
    const oldI = alpha[i]!;
    const oldJ = alpha[j]!;
    if (y[i] !== y[j]) {
      let quad = 2 + 2 * Qij;
      if (quad <= 0) quad = tau;
      const delta = (-grad[i]! - grad[j]!) / quad;
      const diff = oldI - oldJ;
      alpha[i] = oldI + delta;
      alpha[j] = oldJ + delta;
      if (diff > 0) {
        if (alpha[j]! < 0) {
          alpha[j] = 0;
          alpha[i] = diff;
        }
      } else if (alpha[i]! < 0) {
        alpha[i] = 0;
        alpha[j] = -diff;
      }
      if (diff > 0) {
        if (alpha[i]! > C) {
          alpha[i] = C;
          alpha[j] = C - diff;
        }
      } else if (alpha[j]! > C) {
        alpha[j] = C;
        alpha[i] = C + diff;
      }
    } else {
      let quad = 2 - 2 * Qij;
      if (quad <= 0) quad = tau;
      const delta = (grad[i]! - grad[j]!) / quad;
      const sum = oldI + oldJ;
      alpha[i] = oldI - delta;
      alpha[j] = oldJ + delta;
      if (sum > C) {
        if (alpha[i]! > C) {
          alpha[i] = C;
          alpha[j] = sum - C;
        }
      } else if (alpha[j]! < 0) {
        alpha[j] = 0;
        alpha[i] = sum;
      }
      if (sum > C) {
        if (alpha[j]! > C) {
          alpha[j] = C;
          alpha[i] = sum - C;
        }
      } else if (alpha[i]! < 0) {
        alpha[i] = 0;
        alpha[j] = sum;
      }
    }
    const dI = alpha[i]! - oldI;
    const dJ = alpha[j]! - oldJ;
    for (let t = 0; t < n; t++) grad[t]! += y[t]! * (y[i]! * Ki[t]! * dI + y[j]! * Kj[t]! * dJ);
  }
  return { alpha, gamma: g, steps };
}
