import type { Metrics } from './estimator.ts';

/** Most probable class per row of a `n x classes` probability matrix (first on ties). */
export function argmaxRows(proba: Float32Array, classes: number): Int32Array {
  const n = proba.length / classes;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestP = proba[i * classes]!;
    for (let c = 1; c < classes; c++) {
      const p = proba[i * classes + c]!;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

/** `confusion[true][predicted]` counts. */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  classes: number,
): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]!]![yPred[i]!]!++;
  return m;
}

/** Fraction of correct predictions, optionally weighted. */
export function accuracy(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  weights?: ArrayLike<number>,
): number {
  let correct = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const w = weights ? weights[i]! : 1;
    total += w;
    if (yTrue[i] === yPred[i]) correct += w;
  }
  return total === 0 ? 0 : correct / total;
}

/** Mean recall over the classes present in `yTrue` (scikit-learn's balanced_accuracy_score). */
export function balancedAccuracy(confusion: number[][]): number {
  let sum = 0;
  let present = 0;
  confusion.forEach((row, c) => {
    const support = row.reduce((a, b) => a + b, 0);
    if (support > 0) {
      sum += row[c]! / support;
      present++;
    }
  });
  return present === 0 ? 0 : sum / present;
}

/** Unweighted mean F1 over the classes that occur in truth or predictions (scikit-learn's `f1_score(average='macro')`). */
export function macroF1(confusion: number[][]): number {
  let sum = 0;
  let counted = 0;
  confusion.forEach((row, c) => {
    const tp = row[c]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, r) => a + r[c]!, 0);
    if (support === 0 && predicted === 0) return;
    counted++;
    const denominator = support + predicted;
    sum += denominator === 0 ? 0 : (2 * tp) / denominator;
  });
  return counted === 0 ? 0 : sum / counted;
}

/** Mean negative log-likelihood of the true class, probabilities clipped to [1e-15, 1]. */
export function logLoss(yTrue: ArrayLike<number>, proba: Float32Array, classes: number): number {
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const p = Math.min(1, Math.max(1e-15, proba[i * classes + yTrue[i]!]!));
    sum -= Math.log(p);
  }
  return yTrue.length === 0 ? 0 : sum / yTrue.length;
}

/** Accuracy, balanced accuracy, macro-F1, log loss and the confusion matrix. */
export function classificationMetrics(yTrue: Int32Array, proba: Float32Array, classes: number): Metrics {
  const yPred = argmaxRows(proba, classes);
  const confusion = confusionMatrix(yTrue, yPred, classes);
  return {
    accuracy: accuracy(yTrue, yPred),
    balancedAccuracy: balancedAccuracy(confusion),
    macroF1: macroF1(confusion),
    logLoss: logLoss(yTrue, proba, classes),
    confusion,
  };
}

/** Mean, population std and per-fold values of one score over cross-validation folds. */
export interface FoldScores {
  mean: number;
  std: number;
  folds: number[];
}

/** {@link FoldScores} of per-fold values (a mean of 0 and std of 0 for no folds). */
export function foldScores(values: number[]): FoldScores {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length));
  return { mean, std, folds: values };
}
