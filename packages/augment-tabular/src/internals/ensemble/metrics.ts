import type { Metrics } from '@growset/core';

// The same definitions as @growset/train's metrics (scikit-learn's), kept here so this package
// does not depend on train; they belong in core once both packages can move to them.

/** Most probable class per row of `n x classes` probabilities (the first on ties). */
export function argmaxRows(proba: Float32Array, classes: number): Int32Array {
  const n = classes === 0 ? 0 : proba.length / classes;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (proba[i * classes + c]! > proba[i * classes + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** Accuracy, balanced accuracy, macro-F1, log loss and `confusion[true][predicted]`. */
export function classificationMetrics(yTrue: Int32Array, proba: Float32Array, classes: number): Metrics {
  const yPred = argmaxRows(proba, classes);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < yTrue.length; i++) {
    confusion[yTrue[i]!]![yPred[i]!]! += 1;
    if (yTrue[i] === yPred[i]) correct += 1;
    loss -= Math.log(Math.min(1, Math.max(1e-15, proba[i * classes + yTrue[i]!]!)));
  }
  let recall = 0;
  let present = 0;
  let f1 = 0;
  let counted = 0;
  confusion.forEach((row, c) => {
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, r) => a + r[c]!, 0);
    if (support > 0) {
      recall += row[c]! / support;
      present += 1;
    }
    if (support + predicted > 0) {
      f1 += (2 * row[c]!) / (support + predicted);
      counted += 1;
    }
  });
  const n = yTrue.length;
  return {
    accuracy: n === 0 ? 0 : correct / n,
    balancedAccuracy: present === 0 ? 0 : recall / present,
    macroF1: counted === 0 ? 0 : f1 / counted,
    logLoss: n === 0 ? 0 : loss / n,
    confusion,
  };
}
