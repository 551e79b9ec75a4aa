import { AbortError, type EpochLog, type LabeledData } from '@growset/core';
import type { StopReason } from './fit.ts';

/** What the multinomial logistic solver minimizes. */
export interface LogisticObjective {
  /** L2 strength on the mean loss: `l2 * sum(W^2)` (bias not penalized). */
  l2: number;
  /** Maximum L-BFGS iterations. */
  maxIterations: number;
  /**
   * Stop when every gradient entry of the mean objective is at most this in absolute value.
   * @default 1e-4 / n (scikit-learn's `tol` 1e-4 on the summed loss `C * sum(loss) + ||W||^2 / 2`)
   */
  gtol?: number;
}

export interface LogisticSolution {
  /** Weights `[d, k]` row-major, then biases `[k]`. */
  weights: Float64Array;
  biases: Float64Array;
  iterations: number;
  history: EpochLog[];
  stopReason: StopReason;
}

const MEMORY = 10;
/** scipy's L-BFGS-B `factr` 1e7 in scikit-learn's call: a relative decrease below it is converged. */
const FTOL = 64 * Number.EPSILON;

/**
 * Multinomial logistic regression solved full-batch by L-BFGS in float64, as scikit-learn's
 * `LogisticRegression(solver='lbfgs')`: minimizes `mean_i(w_i * CE_i) + l2 * ||W||^2` over
 * weights and unpenalized biases, starting from zero, with a backtracking (Armijo) line search,
 * until the gradient's largest entry is below `gtol` or the relative decrease below 64 epsilon.
 * `targets` are class probabilities per row, `weights` per-row loss weights of mean 1.
 */
export function solveLogistic(
  data: LabeledData,
  targets: Float32Array,
  rowWeights: Float32Array,
  objective: LogisticObjective,
  signal?: AbortSignal,
): LogisticSolution {
  const n = data.y.length;
  const k = data.classes.length;
  const d = data.x.length / Math.max(1, n);
  const size = d * k + k;
  const x = data.x;
  const z = new Float64Array(k);
  const gtol = objective.gtol ?? 1e-4 / Math.max(1, n);

  /** The objective at `theta`, its gradient written into `grad`. */
  const evaluate = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const row = i * d;
      for (let c = 0; c < k; c++) z[c] = theta[d * k + c]!;
      for (let j = 0; j < d; j++) {
        const v = x[row + j]!;
        if (v === 0) continue;
        const w = j * k;
        for (let c = 0; c < k; c++) z[c] = z[c]! + v * theta[w + c]!;
      }
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) if (z[c]! > max) max = z[c]!;
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(z[c]! - max);
      const lse = max + Math.log(sum);
      const wi = rowWeights[i]! / n;
      for (let c = 0; c < k; c++) {
        const t = targets[i * k + c]!;
        if (t !== 0) loss -= wi * t * (z[c]! - lse);
        // d/dz: w_i (p - t) / n
        z[c] = wi * (Math.exp(z[c]! - lse) - t);
      }
      for (let j = 0; j < d; j++) {
        const v = x[row + j]!;
        if (v === 0) continue;
        const w = j * k;
        for (let c = 0; c < k; c++) grad[w + c] = grad[w + c]! + v * z[c]!;
      }
      for (let c = 0; c < k; c++) grad[d * k + c] = grad[d * k + c]! + z[c]!;
    }
    if (objective.l2 > 0) {
      for (let p = 0; p < d * k; p++) {
        loss += objective.l2 * theta[p]! * theta[p]!;
        grad[p] = grad[p]! + 2 * objective.l2 * theta[p]!;
      }
    }
    return loss;
  };

  const maxAbs = (v: Float64Array) => {
    let m = 0;
    for (let p = 0; p < v.length; p++) m = Math.max(m, Math.abs(v[p]!));
    return m;
  };
  const dot = (a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let p = 0; p < a.length; p++) s += a[p]! * b[p]!;
    return s;
  };

  let theta = new Float64Array(size);
  let grad = new Float64Array(size);
  let f = evaluate(theta, grad);
  const history: EpochLog[] = [];
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rhoList: number[] = [];
  const direction = new Float64Array(size);
  const alpha = new Float64Array(MEMORY);
  let nextTheta = new Float64Array(size);
  let nextGrad = new Float64Array(size);
  let stopReason: StopReason = 'budget';
  let iterations = 0;
  if (maxAbs(grad) <= gtol) stopReason = 'converged';
  else {
    for (let iter = 1; iter <= objective.maxIterations; iter++) {
      if (signal?.aborted) throw new AbortError('Training was aborted', { cause: signal.reason });
      // Two-loop recursion: direction = -H * grad.
      for (let p = 0; p < size; p++) direction[p] = -grad[p]!;
      for (let m = sList.length - 1; m >= 0; m--) {
        alpha[m] = rhoList[m]! * dot(sList[m]!, direction);
        const y = yList[m]!;
        for (let p = 0; p < size; p++) direction[p] = direction[p]! - alpha[m]! * y[p]!;
      }
      if (sList.length > 0) {
        const last = sList.length - 1;
        const gamma = dot(sList[last]!, yList[last]!) / dot(yList[last]!, yList[last]!);
        for (let p = 0; p < size; p++) direction[p] = direction[p]! * gamma;
      }
      for (let m = 0; m < sList.length; m++) {
        const beta = rhoList[m]! * dot(yList[m]!, direction);
        const s = sList[m]!;
        for (let p = 0; p < size; p++) direction[p] = direction[p]! + (alpha[m]! - beta) * s[p]!;
      }
      let slope = dot(grad, direction);
      if (!(slope < 0)) {
        // Not a descent direction (numerical trouble): restart from steepest descent.
        sList.length = 0;
        yList.length = 0;
        rhoList.length = 0;
        for (let p = 0; p < size; p++) direction[p] = -grad[p]!;
        slope = dot(grad, direction);
      }
      let step = sList.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(grad, grad))) : 1;
      let fNext = Number.POSITIVE_INFINITY;
      for (let tries = 0; tries < 40; tries++) {
        for (let p = 0; p < size; p++) nextTheta[p] = theta[p]! + step * direction[p]!;
        fNext = evaluate(nextTheta, nextGrad);
        if (fNext <= f + 1e-4 * step * slope) break;
        step *= 0.5;
      }
      iterations = iter;
      if (!(fNext < f)) {
        history.push({ epoch: iter, loss: f });
        stopReason = 'converged';
        break;
      }
      const s = new Float64Array(size);
      const y = new Float64Array(size);
      for (let p = 0; p < size; p++) {
        s[p] = nextTheta[p]! - theta[p]!;
        y[p] = nextGrad[p]! - grad[p]!;
      }
      const sy = dot(s, y);
      if (sy > 1e-12) {
        if (sList.length === MEMORY) {
          sList.shift();
          yList.shift();
          rhoList.shift();
        }
        sList.push(s);
        yList.push(y);
        rhoList.push(1 / sy);
      }
      const decrease = (f - fNext) / Math.max(Math.abs(f), Math.abs(fNext), 1);
      [theta, nextTheta] = [nextTheta, theta];
      [grad, nextGrad] = [nextGrad, grad];
      f = fNext;
      history.push({ epoch: iter, loss: f });
      if (maxAbs(grad) <= gtol || decrease <= FTOL) {
        stopReason = 'converged';
        break;
      }
    }
  }
  return {
    weights: theta.slice(0, d * k),
    biases: theta.slice(d * k),
    iterations: Math.max(1, iterations),
    history,
    stopReason,
  };
}
