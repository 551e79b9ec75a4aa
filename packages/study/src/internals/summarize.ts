import type { Rng } from '@growset/core';
import { bootstrapPowerLaw, powerLawError, sizeForError } from './curve.ts';
import { spread } from './stats.ts';
import type {
  Comparison,
  CurveFit,
  DataEquivalent,
  FitVerdict,
  SizeSummary,
  StudyPower,
  TrialRecord,
  VariantSpec,
  VariantSummary,
} from './types.ts';

/** Thresholds behind the plain-words verdicts (documented in the README). */
export const VERDICT_THRESHOLDS = {
  /** Train minus test accuracy above which a model overfits. */
  overfitGap: 0.1,
  /** Train accuracy below which a model with a small gap underfits. */
  underfitTrainAccuracy: 0.85,
  /** A gap below this counts as small. */
  smallGap: 0.05,
};

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const signed = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;
const points = (x: number) => `${signed(x)} points`;
const interval = (ci: readonly [number, number]) => `${signed(ci[0])} to ${signed(ci[1])} points`;
const size = (n: number) => (n >= 10_000 ? `${Math.round(n).toLocaleString('en')}` : String(Math.round(n)));

/** Overfitting verdict for mean train and test accuracy, in words. */
export function fitVerdict(
  train: number,
  test: number,
  n: number,
): { verdict: FitVerdict; explanation: string } {
  if (!Number.isFinite(train) || !Number.isFinite(test))
    return { verdict: 'unknown', explanation: 'no successful trial' };
  const gap = train - test;
  if (gap > VERDICT_THRESHOLDS.overfitGap) {
    return {
      verdict: 'overfits',
      explanation: `overfits at n=${n}: train ${pct(train)} vs test ${pct(test)} (gap ${(100 * gap).toFixed(1)} points)`,
    };
  }
  if (train < VERDICT_THRESHOLDS.underfitTrainAccuracy && gap < VERDICT_THRESHOLDS.smallGap) {
    return {
      verdict: 'underfits',
      explanation: `underfits at n=${n}: even training accuracy is only ${pct(train)} (test ${pct(test)})`,
    };
  }
  return { verdict: 'fits', explanation: `fits at n=${n}: train ${pct(train)}, test ${pct(test)}` };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | number): Map<string | number, T[]> {
  const map = new Map<string | number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

export interface SummarizeOptions {
  variants: readonly VariantSpec[];
  trainSizes: readonly number[];
  targetAccuracy: number | null;
  rng: Rng;
  bootstrapRounds?: number;
}

/** Per-variant summaries: spread per size, verdicts, curve fit, data equivalents, projections. */
export function summarize(trials: readonly TrialRecord[], options: SummarizeOptions): VariantSummary[] {
  const baseline = options.variants.find((v) => v.baseline) ?? options.variants[0];
  const maxSize = Math.max(...options.trainSizes);
  const predictAt = [2, 4, 10].map((f) => f * maxSize);
  const byVariant = groupBy(trials, (t) => t.variant);
  const curves = new Map<string, CurveFit | null>();
  const summaries: VariantSummary[] = options.variants.map((variant) => {
    const records = byVariant.get(variant.name) ?? [];
    const bySize = groupBy(records, (t) => t.trainSize);
    const sizes: SizeSummary[] = [...options.trainSizes]
      .sort((a, b) => a - b)
      .map((n) => {
        const all = bySize.get(n) ?? [];
        const ok = all.filter((t) => t.ok && t.test && t.train);
        const test = ok.map((t) => t.test!.accuracy);
        const train = ok.map((t) => t.train!.accuracy);
        const testSpread = spread(test, [0, 1]);
        const trainSpread = spread(train, [0, 1]);
        const { verdict, explanation } = fitVerdict(trainSpread.mean, testSpread.mean, n);
        return {
          variant: variant.name,
          trainSize: n,
          testAccuracy: testSpread,
          trainAccuracy: trainSpread,
          gap: spread(
            ok.map((t) => t.train!.accuracy - t.test!.accuracy),
            [-1, 1],
          ),
          verdict,
          explanation,
          failedTrials: all.length - ok.length,
        };
      });
    const accuracyBySize = new Map<number, number[]>();
    for (const s of sizes) {
      const values = (bySize.get(s.trainSize) ?? [])
        .filter((t) => t.ok && t.test)
        .map((t) => t.test!.accuracy);
      if (values.length > 0) accuracyBySize.set(s.trainSize, values);
    }
    const boot = bootstrapPowerLaw(accuracyBySize, options.rng.fork(`curve:${variant.name}`), {
      rounds: options.bootstrapRounds ?? 200,
      predictAt,
    });
    const curve: CurveFit | null = boot
      ? { ...boot.fit, interval: boot.interval, extrapolation: boot.predictions }
      : null;
    curves.set(variant.name, curve);
    const target = options.targetAccuracy;
    const projected = curve && target !== null ? sizeForError(curve, 1 - target) : null;
    return {
      variant: variant.name,
      ...(variant.description ? { description: variant.description } : {}),
      sizes,
      curve,
      dataEquivalents: [],
      projectedSizeForTarget: projected === null ? null : Math.ceil(projected),
    };
  });
  const baseCurve = baseline ? curves.get(baseline.name) : null;
  const baseSummary = baseline ? summaries.find((s) => s.variant === baseline.name) : undefined;
  for (const summary of summaries) {
    if (!baseline || summary.variant === baseline.name) continue;
    summary.dataEquivalents = summary.sizes
      .filter((s) => s.testAccuracy.n > 0)
      .map((s) => {
        const at = baseSummary?.sizes.find((z) => z.trainSize === s.trainSize && z.testAccuracy.n > 0);
        return dataEquivalent(
          summary.variant,
          baseline.name,
          s.trainSize,
          s.testAccuracy.mean,
          baseCurve ?? null,
          maxSize,
          {
            treatmentStd: s.testAccuracy.std,
            ...(at ? { baselineAccuracy: at.testAccuracy.mean, baselineStd: at.testAccuracy.std } : {}),
          },
        );
      });
  }
  return summaries;
}

/**
 * What `variant` at `n` with test accuracy `accuracy` is worth in baseline data.
 *
 * Both accuracies are read off the baseline's fitted curve: the treatment's gives the baseline size
 * with the same expected accuracy, the baseline's own mean at `n` gives where `n` sits on its curve
 * (the fit does not pass exactly through every point). Their ratio is the worth, so a treatment
 * that scores like the baseline is worth exactly 1x. Differences smaller than the spread over
 * seeds are called within noise.
 */
export function dataEquivalent(
  variant: string,
  baselineName: string,
  n: number,
  accuracy: number,
  baseCurve: CurveFit | null,
  maxObserved: number,
  observed: { baselineAccuracy?: number; baselineStd?: number; treatmentStd?: number } = {},
): DataEquivalent {
  const noise =
    observed.baselineAccuracy !== undefined &&
    Math.abs(accuracy - observed.baselineAccuracy) <=
      Math.max(observed.baselineStd ?? 0, observed.treatmentStd ?? 0)
      ? ' (within noise: the difference is smaller than the spread over seeds)'
      : '';
  if (!baseCurve) {
    return {
      variant,
      trainSize: n,
      equivalentBaselineSize: null,
      worth: null,
      sentence: `${variant} at n=${n}: no curve could be fitted to ${baselineName} (needs 3 or more sizes)`,
    };
  }
  const equivalent = sizeForError(baseCurve, 1 - accuracy);
  if (equivalent === null) {
    const better = accuracy > 1 - baseCurve.c;
    return {
      variant,
      trainSize: n,
      equivalentBaselineSize: null,
      worth: null,
      sentence: better
        ? `${variant} at n=${n} reaches ${pct(accuracy)}, beyond what ${baselineName}'s curve ever reaches (${pct(1 - baseCurve.c)}): worth more data than any amount${noise}`
        : `${variant} at n=${n} (${pct(accuracy)}) is below ${baselineName}'s curve everywhere`,
    };
  }
  const own =
    observed.baselineAccuracy === undefined ? null : sizeForError(baseCurve, 1 - observed.baselineAccuracy);
  const worth = own === null ? equivalent / n : equivalent / own;
  const matched = n * worth;
  const beyond =
    matched > maxObserved ? ` (beyond the largest size measured, ${maxObserved}: an extrapolation)` : '';
  const verb = worth >= 1 ? 'matches' : 'only matches';
  const judgement =
    worth >= 1.05
      ? `worth ${worth.toFixed(1)}x data`
      : worth > 0.95
        ? 'worth about as much as no treatment'
        : `worth ${worth.toFixed(2)}x data: it hurts`;
  return {
    variant,
    trainSize: n,
    equivalentBaselineSize: Math.round(matched),
    worth,
    sentence: `${variant} at n=${n} ${verb} ${baselineName} at n=${size(matched)}: ${judgement}${beyond}${noise}`,
  };
}

/** The study's conclusions in plain words, most important first. */
export function verdicts(
  summaries: readonly VariantSummary[],
  options: {
    baseline: string;
    targetAccuracy: number | null;
    comparisons?: readonly Comparison[];
    power?: StudyPower | null;
  },
): string[] {
  const out: string[] = [];
  const base = summaries.find((s) => s.variant === options.baseline);
  const measured = (s: VariantSummary) => s.sizes.filter((z) => z.testAccuracy.n > 0);
  if (base) {
    const sizes = measured(base);
    const first = sizes[0];
    const last = sizes[sizes.length - 1];
    if (first && last && first !== last) {
      let sentence = `More data: ${base.variant} test accuracy goes from ${pct(first.testAccuracy.mean)} at n=${first.trainSize} to ${pct(last.testAccuracy.mean)} at n=${last.trainSize}`;
      if (base.curve) {
        const next = base.curve.extrapolation[0];
        if (next) {
          const band = next.high - next.low > 1e-4 ? ` (95% band ${pct(next.low)} to ${pct(next.high)})` : '';
          sentence += `; the fitted curve err(n) = ${base.curve.a.toFixed(2)}·n^-${base.curve.b.toFixed(2)} + ${base.curve.c.toFixed(3)} projects ${pct(next.accuracy)}${band} at n=${size(next.trainSize)}`;
        }
      }
      out.push(`${sentence}.`);
    }
  }
  const comparisons = (options.comparisons ?? []).filter((c) => c.metric === 'accuracy');
  if (options.power) {
    out.push(`${options.power.sentence}.`);
    if (options.power.warning) out.push(options.power.warning);
  }
  // Paired comparisons at the largest and the smallest measured size, best first.
  const compared = [...new Set(comparisons.map((c) => c.trainSize))].sort((a, b) => a - b);
  const bySize = [compared[compared.length - 1], compared[0]].filter(
    (n, i, all): n is number => n !== undefined && all.indexOf(n) === i,
  );
  for (const n of bySize) {
    const at = comparisons.filter((c) => c.trainSize === n).sort((a, b) => b.difference - a.difference);
    const best = at[0];
    if (!best || !base) continue;
    const baseAt = base.sizes.find((z) => z.trainSize === n);
    const bestAt = summaries.find((s) => s.variant === best.variant)?.sizes.find((z) => z.trainSize === n);
    const means =
      baseAt && bestAt ? `; ${pct(bestAt.testAccuracy.mean)} vs ${pct(baseAt.testAccuracy.mean)}` : '';
    const head =
      best.verdict === 'helps'
        ? `Best treatment at n=${n}: ${best.variant} helps, ${points(best.difference)} accuracy over ${base.variant} (95% interval ${interval(best.ci)}${means})`
        : `At n=${n} no treatment detectably helps over ${base.variant}${baseAt ? ` (${pct(baseAt.testAccuracy.mean)})` : ''}; the best, ${best.variant}, is ${points(best.difference)} (95% interval ${interval(best.ci)}): ${best.verdict}`;
    const rest = at
      .slice(1)
      .map((c) => `${c.variant} ${c.verdict} (${points(c.difference)}, 95% interval ${interval(c.ci)})`);
    const eq = summaries
      .find((s) => s.variant === best.variant)
      ?.dataEquivalents.find((d) => d.trainSize === n);
    out.push(
      `${head}${rest.length > 0 ? `. Others at n=${n}: ${rest.join('; ')}` : ''}${eq && best.verdict === 'helps' ? `; ${eq.sentence}` : ''}.`,
    );
  }
  // Overfitting: which variants overfit, how badly, and which treatment narrows the gap most.
  const overfitting = summaries
    .map((s) => ({ s, over: measured(s).filter((z) => z.verdict === 'overfits') }))
    .filter((x) => x.over.length > 0);
  if (overfitting.length > 0) {
    const names = overfitting.map((x) => x.s.variant);
    const reference = overfitting.find((x) => x.s.variant === base?.variant) ?? overfitting[0]!;
    const worst = reference.over.reduce((a, b) => (b.gap.mean > a.gap.mean ? b : a));
    let sentence = `Overfitting: ${listWords(names)} ${names.length === 1 ? 'overfits' : 'overfit'} (train minus test accuracy above ${Math.round(100 * VERDICT_THRESHOLDS.overfitGap)} points); ${reference.s.variant} at n=${worst.trainSize} reaches ${pct(worst.trainAccuracy.mean)} on its training data but ${pct(worst.testAccuracy.mean)} on the test set`;
    const upTo = Math.max(...reference.over.map((z) => z.trainSize));
    const clean = measured(reference.s).filter((z) => z.trainSize > upTo);
    if (clean.length > 0) sentence += `, and stops overfitting from n=${clean[0]!.trainSize}`;
    // The treatment with the smallest gap at the worst size (without losing test accuracy).
    let narrowest: { variant: string; gap: number } | undefined;
    for (const s of summaries) {
      if (s.variant === reference.s.variant) continue;
      const at = s.sizes.find((z) => z.trainSize === worst.trainSize && z.testAccuracy.n > 0);
      if (
        at &&
        at.testAccuracy.mean >= worst.testAccuracy.mean - 0.02 &&
        (!narrowest || at.gap.mean < narrowest.gap)
      ) {
        narrowest = { variant: s.variant, gap: at.gap.mean };
      }
    }
    if (narrowest && narrowest.gap < worst.gap.mean - 0.02) {
      sentence += `; ${narrowest.variant} narrows that gap from ${(100 * worst.gap.mean).toFixed(1)} to ${(100 * narrowest.gap).toFixed(1)} points`;
    }
    out.push(`${sentence}.`);
  }
  for (const s of summaries.filter((x) => measured(x).some((z) => z.verdict === 'underfits'))) {
    const z = measured(s).find((x) => x.verdict === 'underfits')!;
    out.push(`${s.variant} ${z.explanation}.`);
  }
  // Data equivalents: each treatment's largest worth, unless already said.
  for (const s of summaries) {
    const best = s.dataEquivalents.filter((d) => d.worth !== null).sort((a, b) => b.worth! - a.worth!)[0];
    const said = best && out.some((line) => line.includes(best.sentence));
    if (best && best.worth! >= 1.2 && !best.sentence.includes('within noise') && !said)
      out.push(`${best.sentence}.`);
  }
  if (options.targetAccuracy !== null) {
    const reach = summaries
      .filter((s) => s.projectedSizeForTarget !== null)
      .sort((a, b) => a.projectedSizeForTarget! - b.projectedSizeForTarget!);
    const best = reach[0];
    if (best) {
      const versus =
        base?.projectedSizeForTarget && best.variant !== base.variant
          ? ` (vs n≈${size(base.projectedSizeForTarget)} with ${base.variant})`
          : '';
      out.push(
        `To reach ${pct(options.targetAccuracy)} test accuracy the curves project n≈${size(best.projectedSizeForTarget!)} with ${best.variant}${versus}.`,
      );
    } else
      out.push(
        `No variant's curve reaches ${pct(options.targetAccuracy)} test accuracy: more data alone will not get there with these models.`,
      );
  }
  const failed = summaries.reduce((a, s) => a + s.sizes.reduce((b, z) => b + z.failedTrials, 0), 0);
  if (failed > 0) out.push(`${failed} trial(s) failed; see the trials table for their errors.`);
  return out;
}

export { powerLawError };

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
