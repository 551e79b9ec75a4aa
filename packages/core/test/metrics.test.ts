import { describe, expect, it } from 'vitest';
import {
  accuracy,
  balancedAccuracy,
  classificationMetrics,
  confusionMatrix,
  logLoss,
  macroF1,
} from '../src/index.ts';

describe('metrics', () => {
  // y_true = [0, 0, 0, 1, 1, 2], y_pred = [0, 0, 1, 1, 2, 2]; values from scikit-learn 1.5.
  const yTrue = Int32Array.from([0, 0, 0, 1, 1, 2]);
  const yPred = Int32Array.from([0, 0, 1, 1, 2, 2]);
  const confusion = confusionMatrix(yTrue, yPred, 3);

  it('counts confusion[true][predicted]', () => {
    expect(confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });

  it('matches scikit-learn on accuracy, balanced accuracy and macro-F1', () => {
    expect(accuracy(yTrue, yPred)).toBeCloseTo(4 / 6, 12);
    // recalls 2/3, 1/2, 1 -> mean 0.7222
    expect(balancedAccuracy(confusion)).toBeCloseTo((2 / 3 + 1 / 2 + 1) / 3, 12);
    // F1 per class: 0.8, 0.5, 0.6667 -> 0.6556
    expect(macroF1(confusion)).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
  });

  it('weights accuracy by sample weights', () => {
    expect(accuracy([0, 1], [0, 0], [3, 1])).toBeCloseTo(0.75, 12);
  });

  it('ignores classes absent from both truth and predictions in macro-F1 and balanced accuracy', () => {
    const m = confusionMatrix([0, 1], [0, 1], 4);
    expect(macroF1(m)).toBe(1);
    expect(balancedAccuracy(m)).toBe(1);
  });

  it('computes log loss with clipping, like scikit-learn', () => {
    const proba = Float32Array.from([0.9, 0.1, 0.2, 0.8, 0, 1]);
    const expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(1e-15)) / 3;
    expect(logLoss([0, 1, 0], proba, 2)).toBeCloseTo(expected, 5);
  });

  it('bundles every metric with argmax predictions', () => {
    const proba = Float32Array.from([0.7, 0.3, 0.4, 0.6, 0.5, 0.5]);
    const m = classificationMetrics(Int32Array.from([0, 1, 1]), proba, 2);
    expect(m.accuracy).toBeCloseTo(2 / 3, 12);
    expect(m.confusion).toEqual([
      [1, 0],
      [1, 1],
    ]);
  });
});
