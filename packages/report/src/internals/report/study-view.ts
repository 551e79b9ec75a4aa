import type { ComparisonVerdict, StudyResults, TrialRecord, VariantSummary } from '../results/types.ts';
import { isFiniteNumber } from './format.ts';
import { type MeanInterval, meanInterval } from './stats.ts';

/**
 * Tableau 10 (distinct, colour-blind aware, readable on white and in greyscale print), then the
 * light halves of Tableau 20 for studies with more variants; beyond 20 the colours repeat.
 */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#a0cbe8',
  '#ffbe7d',
  '#ff9d9a',
  '#86bcb6',
  '#8cd17d',
  '#f1ce63',
  '#d4a6c8',
  '#fabfd2',
  '#d7b5a6',
  '#79706e',
];

/** What the report needs from results, derived once: variant order, the baseline, lookups. */
export interface StudyView {
  results: StudyResults;
  /** Every variant name, in config order, then any only found in summaries or trials. */
  variants: string[];
  /** The reference variant, if any. */
  baseline: string | undefined;
  /** Variant -> colour, the same in every chart. */
  colors: Map<string, string>;
  summaries: Map<string, VariantSummary>;
  descriptions: Map<string, string>;
  sizes: number[];
  failedTrials: TrialRecord[];
}

export function studyView(results: StudyResults): StudyView {
  const variants: string[] = [];
  const add = (name: string) => {
    if (!variants.includes(name)) variants.push(name);
  };
  for (const v of results.config.variants) add(v.name);
  for (const s of results.summaries) add(s.variant);
  for (const t of results.trials) add(t.variant);
  const marked = results.config.variants.find((v) => v.baseline)?.name;
  const baseline = marked ?? (variants.includes('baseline') ? 'baseline' : undefined);
  const colors = new Map(variants.map((v, i) => [v, PALETTE[i % PALETTE.length]!]));
  const summaries = new Map(results.summaries.map((s) => [s.variant, s]));
  const descriptions = new Map<string, string>();
  for (const v of results.config.variants) if (v.description) descriptions.set(v.name, v.description);
  for (const s of results.summaries) if (s.description) descriptions.set(s.variant, s.description);
  const sizes = [
    ...new Set([
      ...results.config.trainSizes,
      ...results.summaries.flatMap((s) => s.sizes.map((z) => z.trainSize)),
      ...results.trials.map((t) => t.trainSize),
    ]),
  ]
    .filter((n) => n > 0)
    .sort((a, b) => a - b);
  return {
    results,
    variants,
    baseline,
    colors,
    summaries,
    descriptions,
    sizes,
    failedTrials: results.trials.filter((t) => !t.ok),
  };
}

/** A treatment minus the baseline at one size, paired on the same subsets and test items. */
export interface PairedDifference extends MeanInterval {
  variant: string;
  trainSize: number;
  /** From the study's comparisons; absent for results written before them. */
  verdict?: ComparisonVerdict;
}

/**
 * Test accuracy of each variant minus the baseline's, per size: the study's paired comparisons
 * (95% interval over seeds and test items, with the verdict word) when the results hold them;
 * for older results, a Student-t interval over the seed-paired differences.
 */
export function pairedDifferences(view: StudyView): PairedDifference[] {
  const { baseline } = view;
  if (baseline === undefined) return [];
  const comparisons = (view.results.comparisons ?? []).filter((c) => c.metric === 'accuracy');
  if (comparisons.length > 0) {
    const order = new Map(view.variants.map((v, i) => [v, i]));
    return comparisons
      .filter((c) => c.variant !== baseline)
      .map((c) => ({
        variant: c.variant,
        trainSize: c.trainSize,
        mean: c.difference,
        low: c.ci[0],
        high: c.ci[1],
        n: c.pairs,
        verdict: c.verdict,
      }))
      .sort((a, b) => (order.get(a.variant) ?? 0) - (order.get(b.variant) ?? 0) || a.trainSize - b.trainSize);
  }
  const accuracy = new Map<string, number>();
  for (const t of view.results.trials) {
    const value = t.test?.accuracy;
    if (t.ok && isFiniteNumber(value)) accuracy.set(`${t.variant}\u0000${t.trainSize}\u0000${t.seed}`, value);
  }
  const out: PairedDifference[] = [];
  for (const variant of view.variants) {
    if (variant === baseline) continue;
    for (const trainSize of view.sizes) {
      const diffs: number[] = [];
      for (const seed of view.results.config.seeds) {
        const a = accuracy.get(`${variant}\u0000${trainSize}\u0000${seed}`);
        const b = accuracy.get(`${baseline}\u0000${trainSize}\u0000${seed}`);
        if (a !== undefined && b !== undefined) diffs.push(a - b);
      }
      if (diffs.length > 0) out.push({ variant, trainSize, ...meanInterval(diffs) });
    }
  }
  return out;
}
