import { OptionsError, parseOptions } from '@growset/core';
import { z } from 'zod';

/** How to choose a decision threshold. */
export interface TuneThresholdOptions {
  /**
   * Score maximized on the held-out rows: `balancedAccuracy`, `f1` (of the positive class),
   * `macroF1` or `accuracy`.
   * @default 'balancedAccuracy'
   */
  metric?: 'balancedAccuracy' | 'f1' | 'macroF1' | 'accuracy';
  /** Index of the positive class (whose probability is thresholded). @default 1 */
  positive?: number;
}

export interface ThresholdChoice {
  /** Predict the positive class when its probability is `>= threshold`. */
  threshold: number;
  /** The metric at that threshold on the held-out rows. */
  score: number;
  /** The metric at the default threshold 0.5, for comparison. */
  scoreAtHalf: number;
  metric: NonNullable<TuneThresholdOptions['metric']>;
  /** Every candidate threshold tried, with its score (ascending thresholds). */
  curve: { threshold: number; score: number }[];
}

const schema = z.strictObject({
  metric: z.enum(['balancedAccuracy', 'f1', 'macroF1', 'accuracy']).default('balancedAccuracy'),
  positive: z.int().min(0).max(1).default(1),
});

/**
 * Chooses the decision threshold of a binary classifier on held-out data (moving the threshold
 * instead of resampling: Elor and Averbuch-Elor, 2022, found it as good as SMOTE for strong
 * classifiers). `proba` is `n x 2` (an estimator's `predictProba` on validation rows, never the
 * test rows) and `y` their classes. Every distinct cut between sorted probabilities is tried, so
 * the best threshold is exact; among equally good ones, the one nearest 0.5 wins.
 */
export function tuneThreshold(
  proba: Float32Array,
  y: Int32Array,
  options: TuneThresholdOptions = {},
): ThresholdChoice {
  const { metric, positive } = parseOptions(schema, options, 'TuneThresholdOptions');
  const n = y.length;
  if (proba.length !== 2 * n) {
    throw new OptionsError({
      optionsType: 'TuneThresholdOptions',
      field: 'proba',
      expected: `two probabilities per row (${2 * n} values for ${n} rows; binary classification only)`,
      received: proba.length,
    });
  }
  const p = Float64Array.from({ length: n }, (_, i) => proba[i * 2 + positive]!);
  const isPositive = Uint8Array.from(y, (c) => (c === positive ? 1 : 0));
  const positives = isPositive.reduce((a, b) => a + b, 0);
  const negatives = n - positives;
  const scoreOf = (tp: number, fp: number): number => {
    const fn = positives - tp;
    const tn = negatives - fp;
    const recallPos = positives === 0 ? 0 : tp / positives;
    const recallNeg = negatives === 0 ? 0 : tn / negatives;
    const f1Pos = 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    const f1Neg = 2 * tn + fn + fp === 0 ? 0 : (2 * tn) / (2 * tn + fn + fp);
    switch (metric) {
      case 'accuracy':
        return n === 0 ? 0 : (tp + tn) / n;
      case 'f1':
        return f1Pos;
      case 'macroF1':
        return (f1Pos + f1Neg) / 2;
      default:
        return positives === 0 || negatives === 0 ? recallPos + recallNeg : (recallPos + recallNeg) / 2;
    }
  };
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[b]! - p[a]!);
  // Walk thresholds from above the highest probability down: each distinct value admits its rows.
  const curve: { threshold: number; score: number }[] = [];
  let tp = 0;
  let fp = 0;
  const top = n === 0 ? 0.5 : p[order[0]!]!;
  curve.push({ threshold: top < 1 ? (top + 1) / 2 : 1 + 1e-9, score: scoreOf(0, 0) });
  for (let r = 0; r < n; ) {
    const value = p[order[r]!]!;
    while (r < n && p[order[r]!] === value) {
      if (isPositive[order[r]!]) tp += 1;
      else fp += 1;
      r += 1;
    }
    const next = r < n ? p[order[r]!]! : 0;
    curve.push({ threshold: r < n ? (value + next) / 2 : Math.max(0, value / 2), score: scoreOf(tp, fp) });
  }
  curve.reverse();
  let best = curve[0]!;
  for (const point of curve) {
    if (
      point.score > best.score ||
      (point.score === best.score && Math.abs(point.threshold - 0.5) < Math.abs(best.threshold - 0.5))
    ) {
      best = point;
    }
  }
  let tpHalf = 0;
  let fpHalf = 0;
  for (let i = 0; i < n; i++) {
    if (p[i]! >= 0.5) {
      if (isPositive[i]) tpHalf += 1;
      else fpHalf += 1;
    }
  }
  return {
    threshold: best.threshold,
    score: best.score,
    scoreAtHalf: scoreOf(tpHalf, fpHalf),
    metric,
    curve,
  };
}

/** Class per row under a threshold: the positive class where its probability is `>= threshold`. */
export function applyThreshold(proba: Float32Array, threshold: number, positive = 1): Int32Array {
  const n = proba.length / 2;
  return Int32Array.from({ length: n }, (_, i) =>
    proba[i * 2 + positive]! >= threshold ? positive : 1 - positive,
  );
}
