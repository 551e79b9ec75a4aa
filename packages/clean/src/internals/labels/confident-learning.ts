import { OptionsError, parseOptions } from '@growset/core';
import { z } from 'zod';

/** Given labels with out-of-fold predicted probabilities, one row per sample. */
export interface LabelIssueInput {
  /** Given label of each sample. */
  labels: readonly string[];
  /** Out-of-fold predicted probabilities: row i for sample i, column j for `classes[j]`. */
  probabilities: readonly (readonly number[])[];
  /** Class names in the order of the probability columns. */
  classes: readonly string[];
}

const optionsSchema = z.strictObject({
  filterBy: z.enum(['prune_by_noise_rate', 'confident_learning', 'both']).default('prune_by_noise_rate'),
  minPerClass: z.int().min(0).default(1),
});

/** Options of {@link findLabelIssues}. */
export interface FindLabelIssuesOptions {
  /**
   * cleanlab's `filter_by`: `prune_by_noise_rate` flags, for each off-diagonal cell (given i,
   * true j) of the calibrated confident joint, that many samples labelled i with the largest
   * margin p(j) - p(i); `confident_learning` flags the samples counted off the diagonal; `both`
   * flags samples flagged by both. @default 'prune_by_noise_rate'
   */
  filterBy?: 'prune_by_noise_rate' | 'confident_learning' | 'both';
  /** Never flag so many that a class keeps fewer than this many samples. @default 1 */
  minPerClass?: number;
}

/** One likely label error. */
export interface LabelIssue {
  /** Index of the sample in the input. */
  index: number;
  given: string;
  /** The class the model is confident about instead. */
  suggested: string;
  /** Predicted probability of the given label (low: suspicious). */
  selfConfidence: number;
  /** p(suggested) - p(given). */
  margin: number;
}

/** The confident joint: how many samples labelled `classes[i]` confidently belong to `classes[j]`. */
export interface ConfidentJoint {
  classes: string[];
  /** Per-class threshold: the mean predicted probability of the class among samples labelled with it. */
  thresholds: number[];
  /** `counts[given][true]`, before calibration. */
  counts: number[][];
  /** Counts calibrated to the label totals (cleanlab's `calibrate_confident_joint`), rounded. */
  calibrated: number[][];
}

/** The result of {@link findLabelIssues}. */
export interface LabelIssues {
  /** Likely label errors, least confident first. */
  issues: LabelIssue[];
  joint: ConfidentJoint;
  /** Samples left out: a label not among `classes`, or probabilities that are not a distribution. */
  skipped: number[];
}

/**
 * Finds likely label errors with confident learning (Northcutt et al., 2021; cleanlab's
 * `find_label_issues`): per-class confidence thresholds, the confident joint of given and likely
 * true labels, calibrated to the label counts, then pruning by noise rate. The probabilities must
 * be out-of-fold (from a model that did not train on the sample).
 */
export function findLabelIssues(input: LabelIssueInput, options: FindLabelIssuesOptions = {}): LabelIssues {
  const opts = parseOptions(optionsSchema, options, 'FindLabelIssuesOptions');
  const { classes, probabilities, labels } = input;
  const k = classes.length;
  if (k < 2) {
    throw new OptionsError({
      optionsType: 'LabelIssueInput',
      field: 'classes',
      expected: 'at least 2 classes',
      received: classes,
    });
  }
  if (labels.length !== probabilities.length) {
    throw new OptionsError({
      optionsType: 'LabelIssueInput',
      field: 'probabilities',
      expected: `one row per label (${labels.length})`,
      received: `${probabilities.length} rows`,
    });
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  const given: number[] = [];
  const rows: (readonly number[])[] = [];
  const positions: number[] = [];
  const skipped: number[] = [];
  labels.forEach((label, i) => {
    const row = probabilities[i]!;
    const y = index.get(label);
    const ok = row.length === k && row.every((p) => Number.isFinite(p) && p >= 0 && p <= 1 + 1e-6);
    if (y === undefined || !ok) {
      skipped.push(i);
      return;
    }
    given.push(y);
    rows.push(row);
    positions.push(i);
  });

  // Per-class thresholds: mean self-confidence of the samples given that class.
  const sums = new Array<number>(k).fill(0);
  const counts = new Array<number>(k).fill(0);
  given.forEach((y, n) => {
    sums[y]! += rows[n]![y]!;
    counts[y]! += 1;
  });
  const thresholds = sums.map((s, j) => (counts[j]! > 0 ? s / counts[j]! : Number.POSITIVE_INFINITY));

  // Confident joint: each sample's likely true class among those it clears the threshold for.
  const joint = matrix(k);
  const guess = new Array<number>(given.length).fill(-1);
  given.forEach((y, n) => {
    const row = rows[n]!;
    let confident = 0;
    let bestConfident = -1;
    let argmax = 0;
    for (let j = 0; j < k; j++) {
      if (row[j]! > row[argmax]!) argmax = j;
      if (row[j]! >= thresholds[j]! - 1e-6) {
        confident += 1;
        if (bestConfident < 0 || row[j]! > row[bestConfident]!) bestConfident = j;
      }
    }
    if (confident === 0) return;
    const t = confident > 1 ? bestConfident : argmax;
    guess[n] = t;
    joint[y]![t]! += 1;
  });
  for (let j = 0; j < k; j++) if (counts[j]! > 0) joint[j]![j] = Math.max(joint[j]![j]!, 1);
  const calibrated = calibrate(joint, counts);

  // Samples off the diagonal of the confident joint.
  const offDiagonal = new Set<number>();
  guess.forEach((t, n) => {
    if (t >= 0 && t !== given[n]) offDiagonal.add(n);
  });

  // Prune by noise rate: for (given i, true j), the calibrated count of samples with the largest margin.
  const pruned = new Set<number>();
  if (opts.filterBy !== 'confident_learning') {
    for (let i = 0; i < k; i++) {
      const members = given.flatMap((y, n) => (y === i ? [n] : []));
      const wanted = calibrated[i]!.map((c, j) => (j === i ? 0 : c));
      const total = wanted.reduce((a, b) => a + b, 0);
      const allowed = Math.max(0, members.length - opts.minPerClass);
      const scale = total > allowed ? allowed / total : 1;
      for (let j = 0; j < k; j++) {
        const take = Math.floor(wanted[j]! * scale);
        if (take <= 0) continue;
        const ranked = members
          .map((n) => ({ n, margin: rows[n]![j]! - rows[n]![i]! }))
          .sort((a, b) => b.margin - a.margin || a.n - b.n);
        for (const { n } of ranked.slice(0, take)) pruned.add(n);
      }
    }
  }
  const flagged =
    opts.filterBy === 'confident_learning'
      ? offDiagonal
      : opts.filterBy === 'both'
        ? new Set([...pruned].filter((n) => offDiagonal.has(n)))
        : pruned;

  const issues: LabelIssue[] = [...flagged].map((n) => {
    const row = rows[n]!;
    const y = given[n]!;
    let suggested = guess[n]! >= 0 && guess[n] !== y ? guess[n]! : -1;
    if (suggested < 0) {
      for (let j = 0; j < k; j++) if (j !== y && (suggested < 0 || row[j]! > row[suggested]!)) suggested = j;
    }
    return {
      index: positions[n]!,
      given: classes[y]!,
      suggested: classes[suggested]!,
      selfConfidence: row[y]!,
      margin: row[suggested]! - row[y]!,
    };
  });
  issues.sort((a, b) => a.selfConfidence - b.selfConfidence || a.index - b.index);
  return {
    issues,
    joint: { classes: [...classes], thresholds, counts: joint, calibrated },
    skipped,
  };
}

function matrix(k: number): number[][] {
  return Array.from({ length: k }, () => new Array<number>(k).fill(0));
}

/** cleanlab's `calibrate_confident_joint`: rows scaled to the label counts, the whole to their total, rounded per row. */
function calibrate(joint: number[][], labelCounts: number[]): number[][] {
  const total = labelCounts.reduce((a, b) => a + b, 0);
  const scaled = joint.map((row, i) => {
    const rowSum = row.reduce((a, b) => a + b, 0);
    return row.map((c) => (rowSum > 0 ? (c / rowSum) * labelCounts[i]! : 0));
  });
  const sum = scaled.reduce((a, row) => a + row.reduce((b, c) => b + c, 0), 0);
  const normalized = scaled.map((row) => row.map((c) => (sum > 0 ? (c / sum) * total : 0)));
  return normalized.map(roundPreservingTotal);
}

/** Rounds values so that their rounded sum equals their rounded total (largest remainders first). */
function roundPreservingTotal(values: number[]): number[] {
  const target = Math.round(values.reduce((a, b) => a + b, 0));
  const floors = values.map(Math.floor);
  let missing = target - floors.reduce((a, b) => a + b, 0);
  const order = values
    .map((v, i) => ({ i, frac: v - Math.floor(v) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (missing <= 0) break;
    floors[i]! += 1;
    missing -= 1;
  }
  return floors;
}
