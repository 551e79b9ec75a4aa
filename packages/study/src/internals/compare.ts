import { normalQuantile, tQuantile } from './stats.ts';
import type {
  Comparison,
  ComparisonFamily,
  ComparisonMetric,
  ComparisonVerdict,
  StudyPower,
  TrialRecord,
} from './types.ts';

/**
 * Paired comparisons of each treatment with the baseline.
 *
 * Every (test split, seed) trains the treatment and the baseline on the same originals and scores
 * both on the same test items, so the natural unit is the per-item difference. The noise has two
 * sources: which originals trained (the seed) and which items happened to be in the test set. Both
 * are random effects crossed with each other (every seed is scored on every test item). The
 * variance of the mean difference is estimated from a two-way random-effects analysis of variance
 * of the per-item differences (seeds x items, per split), its degrees of freedom by Satterthwaite,
 * and the 95% interval from Student's t. Metrics that are not a mean over items (balanced accuracy,
 * macro F1) are first turned into per-item scores with jackknife pseudo-values, whose mean is the
 * metric (exactly for accuracy, to first order for the others).
 */

export const COMPARISON_METRICS: readonly ComparisonMetric[] = ['accuracy', 'balancedAccuracy', 'macroF1'];

/** Power is quoted for this pair: a 95% two-sided test that finds a true difference 80% of the time. */
export const POWER = { level: 0.95, power: 0.8 } as const;

/** Above this minimum detectable difference (in accuracy) the study warns that it is underpowered. */
export const POWER_WARNING = 0.03;

/**
 * Predicted class indices as a compact string: one base-36 digit per item when there are at most
 * 36 classes, else the numbers joined by spaces.
 */
export function encodePredictions(predicted: ArrayLike<number>, classes: number): string {
  const out: string[] = [];
  for (let i = 0; i < predicted.length; i++) out.push(predicted[i]!.toString(36));
  return out.join(classes <= 36 ? '' : ' ');
}

export function decodePredictions(encoded: string, classes: number): Int32Array {
  const parts = classes <= 36 ? [...encoded] : encoded.length === 0 ? [] : encoded.split(' ');
  return Int32Array.from(parts, (p) => Number.parseInt(p, 36));
}

/** Per-item jackknife pseudo-values of a metric: their mean is the metric for accuracy exactly. */
export function pseudoValues(
  metric: ComparisonMetric,
  labels: Int32Array,
  predicted: Int32Array,
  classes: number,
): Float64Array {
  const n = labels.length;
  const out = new Float64Array(n);
  if (metric === 'accuracy') {
    for (let i = 0; i < n; i++) out[i] = labels[i] === predicted[i] ? 1 : 0;
    return out;
  }
  const support = new Float64Array(classes);
  const predictedCount = new Float64Array(classes);
  const tp = new Float64Array(classes);
  for (let i = 0; i < n; i++) {
    support[labels[i]!]! += 1;
    predictedCount[predicted[i]!]! += 1;
    if (labels[i] === predicted[i]) tp[labels[i]!]! += 1;
  }
  const value = () => {
    let sum = 0;
    let counted = 0;
    for (let c = 0; c < classes; c++) {
      if (metric === 'balancedAccuracy') {
        if (support[c]! > 0) {
          sum += tp[c]! / support[c]!;
          counted++;
        }
      } else if (support[c]! > 0 || predictedCount[c]! > 0) {
        sum += (2 * tp[c]!) / (support[c]! + predictedCount[c]!);
        counted++;
      }
    }
    return counted === 0 ? 0 : sum / counted;
  };
  const full = value();
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    const p = predicted[i]!;
    support[y]! -= 1;
    predictedCount[p]! -= 1;
    if (y === p) tp[y]! -= 1;
    out[i] = n * full - (n - 1) * value();
    support[y]! += 1;
    predictedCount[p]! += 1;
    if (y === p) tp[y]! += 1;
  }
  return out;
}

/** One test split's per-item differences: `rows[seed][item]`, every row over the same items. */
export type DifferenceBlock = readonly ArrayLike<number>[];

export interface PairedInterval {
  difference: number;
  /** Standard error of the difference. */
  se: number;
  /** Satterthwaite degrees of freedom. */
  df: number;
  ci: [number, number];
  /** Smallest true difference found 80% of the time at the 95% level with this design. */
  minimumDetectable: number;
}

/** Sums of squares of one block (seeds x items) of per-item differences. */
interface BlockSums {
  mean: number;
  seeds: number;
  items: number;
  ssRow: number;
  ssCol: number;
  ssRes: number;
}

function blockSums(rows: DifferenceBlock): BlockSums {
  const r = rows.length;
  const items = rows[0]?.length ?? 0;
  const rowMeans = rows.map((row) => {
    let s = 0;
    for (let i = 0; i < items; i++) s += row[i]!;
    return s / items;
  });
  const colMeans = new Float64Array(items);
  for (const row of rows) for (let i = 0; i < items; i++) colMeans[i]! += row[i]! / r;
  const grand = rowMeans.reduce((a, b) => a + b, 0) / r;
  let ssRow = 0;
  for (const m of rowMeans) ssRow += items * (m - grand) ** 2;
  let ssCol = 0;
  for (let i = 0; i < items; i++) ssCol += r * (colMeans[i]! - grand) ** 2;
  let ssRes = 0;
  rows.forEach((row, k) => {
    for (let i = 0; i < items; i++) ssRes += (row[i]! - rowMeans[k]! - colMeans[i]! + grand) ** 2;
  });
  return { mean: grand, seeds: r, items, ssRow, ssCol, ssRes };
}

/**
 * The mean difference over blocks (test splits, equally weighted) with its 95% interval.
 *
 * Within a block the differences d[seed][item] follow a crossed random-effects model: seed effect
 * (variance s2_seed), item effect (s2_item), residual (s2_res). The mean of a block with r seeds
 * and m items has variance s2_seed / r + s2_item / m + s2_res / (r m). The components are
 * estimated once from mean squares pooled over blocks (E[MS_seed] = s2_res + m s2_seed,
 * E[MS_item] = s2_res + r s2_item), each floored at zero; the interval uses Student's t with
 * Satterthwaite's degrees of freedom. With a single seed per block the seed component cannot be
 * estimated and only the items' spread counts.
 */
export function pairedInterval(blocks: readonly DifferenceBlock[]): PairedInterval | null {
  const used = blocks.filter((b) => b.length > 0 && (b[0]?.length ?? 0) > 1).map(blockSums);
  if (used.length === 0) return null;
  const k = used.length;
  const mean = used.reduce((a, b) => a + b.mean, 0) / k;
  let ssRow = 0;
  let dfRow = 0;
  let ssCol = 0;
  let dfCol = 0;
  let ssRes = 0;
  let dfRes = 0;
  for (const b of used) {
    ssRow += b.ssRow;
    dfRow += b.seeds - 1;
    ssCol += b.ssCol;
    dfCol += b.items - 1;
    ssRes += b.ssRes;
    dfRes += (b.seeds - 1) * (b.items - 1);
  }
  // Var(mean over blocks) = sum over blocks of (coefficients . mean squares) / (r m k^2).
  const weight = used.reduce((a, b) => a + 1 / (b.seeds * b.items), 0) / (k * k);
  const terms: { coefficient: number; meanSquare: number; df: number }[] = [];
  if (dfRes === 0) {
    // One seed everywhere: items (and their interaction with the one seed) are all there is.
    terms.push({ coefficient: weight, meanSquare: ssCol / dfCol, df: dfCol });
  } else {
    const msRow = ssRow / dfRow;
    const msCol = ssCol / dfCol;
    const msRes = ssRes / dfRes;
    let residual = weight;
    if (msRow > msRes) {
      terms.push({ coefficient: weight, meanSquare: msRow, df: dfRow });
      residual -= weight;
    }
    if (msCol > msRes) {
      terms.push({ coefficient: weight, meanSquare: msCol, df: dfCol });
      residual -= weight;
    }
    terms.push({ coefficient: residual, meanSquare: msRes, df: dfRes });
  }
  let variance = 0;
  let denominator = 0;
  for (const t of terms) {
    const part = t.coefficient * t.meanSquare;
    variance += part;
    denominator += (part * part) / t.df;
  }
  const se = Math.sqrt(Math.max(0, variance));
  const df = denominator > 0 ? (variance * variance) / denominator : Number.POSITIVE_INFINITY;
  if (!(se > 0)) {
    // Every item agreed in every pair: no spread to estimate. The interval is the point.
    return { difference: mean, se: 0, df, ci: [mean, mean], minimumDetectable: 0 };
  }
  const dfUsed = Math.max(1, df);
  const half = tQuantile(0.975, dfUsed) * se;
  return {
    difference: mean,
    se,
    df,
    ci: [mean - half, mean + half],
    minimumDetectable: (tQuantile(0.975, dfUsed) + tQuantile(POWER.power, dfUsed)) * se,
  };
}

/**
 * Every compared metric lies in [0, 1], so a difference lies in [-1, 1]: an interval that reaches
 * past that (Student's t with one or two degrees of freedom, as with two seeds) is cut to what is
 * possible rather than quoted as "-230 to +235 points". Cutting never changes a verdict: the
 * point estimate is inside the range, so the interval's sign relative to zero stays the same.
 */
export function clampDifferenceInterval(ci: readonly [number, number]): [number, number] {
  return [Math.max(-1, ci[0]), Math.min(1, ci[1])];
}

/** The word for an interval of a difference where higher is better. */
export function verdictOf(ci: readonly [number, number]): ComparisonVerdict {
  if (ci[0] > 0) return 'helps';
  if (ci[1] < 0) return 'hurts';
  return 'no detectable difference';
}

/**
 * A simultaneous interval for one of `k` comparisons: Bonferroni, the same Student t interval at
 * level 1 - 0.05 / k, so that all k intervals of a family cover their true differences together
 * at least 95% of the time whatever their dependence (they share the baseline's trials).
 *
 * Bonferroni intervals rather than Holm's step-down tests: the headline quotes an interval next to
 * its verdict, and Holm's procedure adjusts the tests only (the verdict could say `helps` while no
 * interval shows it). Bonferroni's intervals agree with their verdicts by construction. Holm would
 * find a few more effects when several treatments truly differ; with 8 treatments and at most one
 * or two real effects per size, as in the main job, the two differ little.
 */
export function simultaneousInterval(
  comparison: Pick<Comparison, 'difference' | 'se' | 'df'>,
  k: number,
  level = 0.95,
): [number, number] {
  const { difference, se } = comparison;
  if (!(se > 0)) return [difference, difference];
  const alpha = (1 - level) / Math.max(1, k);
  // df null: no spread to count degrees of freedom from; the normal quantile is the limit.
  const df = comparison.df === null ? Number.POSITIVE_INFINITY : Math.max(1, comparison.df);
  const q = Number.isFinite(df) ? tQuantile(1 - alpha / 2, df) : normalQuantile(1 - alpha / 2);
  return [difference - q * se, difference + q * se];
}

/**
 * Adds the family-wise fields to every comparison: a family is every treatment compared with the
 * baseline at one size on one metric, and its simultaneous 95% intervals (`ciFamily`) and the
 * verdicts read off them (`verdictFamily`) hold for the family together. Each comparison's own
 * 95% interval and verdict are kept as they are.
 */
export function adjustFamilies(comparisons: readonly Comparison[], level = 0.95): Comparison[] {
  const sizes = new Map<string, number>();
  const key = (c: Comparison) => `${c.trainSize}|${c.metric}`;
  for (const c of comparisons) sizes.set(key(c), (sizes.get(key(c)) ?? 0) + 1);
  return comparisons.map((c) => {
    const family: ComparisonFamily = { size: sizes.get(key(c))!, method: 'bonferroni', level };
    const ciFamily = clampDifferenceInterval(simultaneousInterval(c, family.size, level));
    return { ...c, ciFamily, verdictFamily: verdictOf(ciFamily), family };
  });
}

/** The test items of one split: true class indices, in the order trials store predictions. */
export interface SplitLabels {
  labels: Int32Array;
}

/**
 * Every treatment against the baseline at every size, for every metric, from the trials' per-item
 * predictions. Pairs are (split, seed) with a successful trial of both; trials without stored
 * predictions are skipped.
 */
export function compareWithBaseline(
  trials: readonly TrialRecord[],
  options: {
    baseline: string;
    variants: readonly string[];
    trainSizes: readonly number[];
    splits: readonly SplitLabels[];
    classes: number;
    metrics?: readonly ComparisonMetric[];
  },
): Comparison[] {
  const byKey = new Map<string, TrialRecord>();
  for (const t of trials) {
    if (t.ok && t.testPredictions !== undefined)
      byKey.set(`${t.variant}|${t.trainSize}|${t.seed}|${t.split ?? 0}`, t);
  }
  const seeds = [...new Set(trials.map((t) => t.seed))].sort((a, b) => a - b);
  const out: Comparison[] = [];
  const metrics = options.metrics ?? COMPARISON_METRICS;
  const decoded = new Map<TrialRecord, Int32Array>();
  const predictionsOf = (t: TrialRecord) => {
    let p = decoded.get(t);
    if (!p) {
      p = decodePredictions(t.testPredictions!, options.classes);
      decoded.set(t, p);
    }
    return p;
  };
  for (const variant of options.variants) {
    if (variant === options.baseline) continue;
    for (const trainSize of options.trainSizes) {
      const pairs: { split: number; treatment: Int32Array; baseline: Int32Array }[] = [];
      options.splits.forEach((split, s) => {
        for (const seed of seeds) {
          const t = byKey.get(`${variant}|${trainSize}|${seed}|${s}`);
          const b = byKey.get(`${options.baseline}|${trainSize}|${seed}|${s}`);
          if (!t || !b) continue;
          const tp = predictionsOf(t);
          const bp = predictionsOf(b);
          if (tp.length !== split.labels.length || bp.length !== split.labels.length) continue;
          pairs.push({ split: s, treatment: tp, baseline: bp });
        }
      });
      if (pairs.length === 0) continue;
      for (const metric of metrics) {
        const blocks: Float64Array[][] = options.splits.map(() => []);
        for (const pair of pairs) {
          const { labels } = options.splits[pair.split]!;
          const a = pseudoValues(metric, labels, pair.treatment, options.classes);
          const b = pseudoValues(metric, labels, pair.baseline, options.classes);
          for (let i = 0; i < a.length; i++) a[i]! -= b[i]!;
          blocks[pair.split]!.push(a);
        }
        const interval = pairedInterval(blocks);
        if (!interval) continue;
        out.push({
          variant,
          trainSize,
          metric,
          difference: interval.difference,
          ci: clampDifferenceInterval(interval.ci),
          verdict: verdictOf(interval.ci),
          se: interval.se,
          df: Number.isFinite(interval.df) ? interval.df : null,
          pairs: pairs.length,
          minimumDetectable: interval.minimumDetectable,
        });
      }
    }
  }
  return adjustFamilies(out);
}

/**
 * What the study can detect: the minimum detectable difference in accuracy of its comparisons
 * (the median over treatments and sizes), with the design behind it and a warning when it is
 * larger than 3 points.
 */
export function studyPower(
  comparisons: readonly Comparison[],
  design: { testItems: number; seeds: number; splits: number },
): StudyPower | null {
  // A treatment that predicted exactly as the baseline did shows no spread: it says nothing of power.
  const accuracy = comparisons.filter(
    (c) => c.metric === 'accuracy' && Number.isFinite(c.minimumDetectable) && c.se > 0,
  );
  if (accuracy.length === 0) return null;
  const sorted = accuracy.map((c) => c.minimumDetectable).sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const sizes = [...new Set(accuracy.map((c) => c.trainSize))].sort((a, b) => a - b);
  const bySize = sizes.map((n) => {
    const at = accuracy.filter((c) => c.trainSize === n).map((c) => c.minimumDetectable);
    return { trainSize: n, minimumDetectable: at.reduce((a, b) => a + b, 0) / at.length };
  });
  const pts = (x: number) => (100 * x).toFixed(1);
  const designWords = `${design.testItems} test items x ${design.seeds} seed(s)${design.splits > 1 ? ` x ${design.splits} test splits` : ''}`;
  const sentence = `Power: with ${designWords}, this study detects accuracy differences of about ${pts(median)} points or more (80% of the time at the 95% level; ${pts(sorted[0]!)} to ${pts(sorted[sorted.length - 1]!)} across sizes and treatments)`;
  const warning =
    median > POWER_WARNING
      ? `Differences smaller than ${pts(median)} points cannot be told from noise here: add seeds (--seeds) or test splits (--test-splits) to detect smaller ones.`
      : undefined;
  return {
    metric: 'accuracy',
    minimumDetectable: median,
    range: [sorted[0]!, sorted[sorted.length - 1]!],
    bySize,
    ...design,
    level: POWER.level,
    power: POWER.power,
    sentence,
    ...(warning ? { warning } : {}),
  };
}
