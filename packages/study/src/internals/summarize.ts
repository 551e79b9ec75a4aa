import type { Rng } from '@growset/core';
import {
  bootstrapCurve,
  type CurveFamily,
  chooseFamily,
  curveFormula,
  curveShape,
  curveSizeForError,
  type FamilyFit,
  powerLawError,
} from './curve.ts';
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
  /** Paired comparisons with the baseline (for the intervals of data equivalents). */
  comparisons?: readonly Comparison[];
  /** Test items per split: the binomial noise floor when judging a curve's shape. @default 100 */
  testItems?: number;
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
    const curve = fitCurve(accuracyBySize, sizes, options.rng.fork(`curve:${variant.name}`), {
      rounds: options.bootstrapRounds ?? 200,
      predictAt,
      testItems: options.testItems ?? 100,
    });
    curves.set(variant.name, curve);
    const target = options.targetAccuracy;
    const projected =
      curve && target !== null && curve.shape === 'monotone'
        ? curveSizeForError(familyFit(curve), 1 - target)
        : null;
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
        const comparison = options.comparisons?.find(
          (c) => c.variant === summary.variant && c.trainSize === s.trainSize && c.metric === 'accuracy',
        );
        return dataEquivalent(
          summary.variant,
          baseline.name,
          s.trainSize,
          s.testAccuracy.mean,
          baseCurve ?? null,
          maxSize,
          {
            ...(at ? { baselineAccuracy: at.testAccuracy.mean } : {}),
            ...(comparison ? { comparison } : {}),
          },
        );
      });
  }
  return summaries;
}

/** The family and parameters of a curve (results written before families existed are pow3). */
export function familyFit(curve: CurveFit): FamilyFit {
  return { family: curve.family ?? 'pow3', a: curve.a, b: curve.b, c: curve.c, rmse: curve.rmse };
}

/**
 * A variant's learning curve: the family that best predicts the largest size from the smaller
 * ones, refitted to every size with a bootstrap band; ill-behaved curves are kept for the record
 * but not extrapolated.
 */
function fitCurve(
  accuracyBySize: ReadonlyMap<number, readonly number[]>,
  sizes: readonly SizeSummary[],
  rng: Rng,
  options: { rounds: number; predictAt: readonly number[]; testItems: number },
): CurveFit | null {
  const measured = [...accuracyBySize.keys()].sort((a, b) => a - b);
  const meanError = (n: number) => {
    const values = accuracyBySize.get(n)!;
    return 1 - values.reduce((a, b) => a + b, 0) / values.length;
  };
  const chosen = chooseFamily(measured, measured.map(meanError));
  if (!chosen) return null;
  const shape = curveShape(
    sizes.map((z) => ({
      trainSize: z.trainSize,
      mean: z.testAccuracy.mean,
      std: z.testAccuracy.std,
      n: z.testAccuracy.n,
    })),
    options.testItems,
  );
  const min = measured[0]!;
  const max = measured[measured.length - 1]!;
  const inside = Array.from({ length: 16 }, (_, i) => min * (max / min) ** (i / 15));
  const beyond = shape === 'monotone' ? options.predictAt : [];
  const boot = bootstrapCurve(chosen.family, accuracyBySize, rng, {
    rounds: options.rounds,
    predictAt: [...inside, ...beyond],
  });
  if (!boot) return null;
  const band = boot.predictions.map((p, i) => ({ ...p, extrapolated: i >= inside.length }));
  return {
    a: boot.fit.a,
    b: boot.fit.b,
    c: boot.fit.c,
    rmse: boot.fit.rmse,
    interval: boot.interval,
    extrapolation: band.filter((p) => p.extrapolated).map(({ extrapolated: _, ...p }) => p),
    family: chosen.family,
    formula: curveFormula(boot.fit),
    band,
    heldOut: chosen.scores,
    shape,
    asymptote: shape === 'monotone' ? boot.asymptote : null,
    ceilingIsGuess: measured.length < 5 || max / min < 8,
  };
}

/**
 * What `variant` at `n` with test accuracy `accuracy` is worth in baseline data.
 *
 * Both accuracies are read off the baseline's fitted curve: the treatment's gives the baseline size
 * with the same expected accuracy, the baseline's own mean at `n` gives where `n` sits on its curve
 * (the fit does not pass exactly through every point). Their ratio is the worth, so a treatment
 * that scores like the baseline is worth exactly 1x. With the paired comparison at `n`, the
 * interval of the difference read off the same curve gives the worth's interval, and the
 * treatment is beyond the baseline's curve only when the lower end of that interval is above the
 * upper end of the band of the curve's asymptote.
 */
export function dataEquivalent(
  variant: string,
  baselineName: string,
  n: number,
  accuracy: number,
  baseCurve: CurveFit | null,
  maxObserved: number,
  observed: { baselineAccuracy?: number; comparison?: Comparison } = {},
): DataEquivalent {
  const none = (sentence: string): DataEquivalent => ({
    variant,
    trainSize: n,
    equivalentBaselineSize: null,
    worth: null,
    sentence,
  });
  if (!baseCurve)
    return none(`${variant} at n=${n}: no curve could be fitted to ${baselineName} (needs 3 or more sizes)`);
  if (baseCurve.shape && baseCurve.shape !== 'monotone')
    return none(
      `${variant} at n=${n}: no data equivalent, ${baselineName}'s learning curve is ill-behaved (${baseCurve.shape}) and is not read off`,
    );
  const fit = familyFit(baseCurve);
  const comparison = observed.comparison;
  const reference = observed.baselineAccuracy;
  const own = reference === undefined ? null : curveSizeForError(fit, 1 - reference);
  const scale = own ?? n;
  const worthAt = (acc: number) => {
    const size = curveSizeForError(fit, 1 - acc);
    return size === null ? null : size / scale;
  };
  // The interval of the treatment's accuracy: the baseline's mean plus the paired difference's interval.
  const lowAcc = comparison && reference !== undefined ? reference + comparison.ci[0] : undefined;
  const highAcc = comparison && reference !== undefined ? reference + comparison.ci[1] : undefined;
  const ceiling =
    baseCurve.asymptote ??
    (baseCurve.family ? null : { accuracy: 1 - fit.c, low: 1 - fit.c, high: 1 - fit.c });
  const interval: [number, number | null] | undefined =
    lowAcc !== undefined && highAcc !== undefined
      ? [Math.max(0, worthAt(lowAcc) ?? 0), worthAt(highAcc)]
      : undefined;
  const intervalWords = interval
    ? interval[1] === null
      ? `95% interval ${interval[0].toFixed(1)}x to beyond the curve`
      : `95% interval ${interval[0].toFixed(1)}x to ${interval[1].toFixed(1)}x`
    : '';
  const withInterval = (words: string) => (intervalWords ? `${words} (${intervalWords})` : words);
  const noDifference = comparison?.verdict === 'no detectable difference';
  const equivalent = curveSizeForError(fit, 1 - accuracy);
  if (equivalent === null) {
    const better = ceiling !== null && accuracy > ceiling.accuracy;
    if (!better)
      return {
        ...none(`${variant} at n=${n} (${pct(accuracy)}) is below ${baselineName}'s curve everywhere`),
        ...(interval ? { worthInterval: interval } : {}),
      };
    // Beyond the curve only when even the lower end of the treatment's interval clears the upper
    // end of the ceiling's band; without a comparison, only the point estimate is known.
    const sure = lowAcc !== undefined && lowAcc > ceiling.high;
    const sentence = sure
      ? `${variant} at n=${n} reaches ${pct(accuracy)} (95% interval from ${pct(lowAcc)}), beyond what ${baselineName}'s curve reaches (at most ${pct(ceiling.high)}, the top of its 95% band): worth more data than any amount`
      : `${variant} at n=${n} reaches ${pct(accuracy)}, above the ${pct(ceiling.accuracy)} that ${baselineName}'s curve levels off at${ceiling.high > ceiling.accuracy ? ` (95% band up to ${pct(ceiling.high)})` : ''}, but not beyond its uncertainty${interval ? `: worth at least ${interval[0].toFixed(1)}x data` : ''}${noDifference ? '; no detectable difference' : ''}`;
    return { ...none(sentence), ...(interval ? { worthInterval: interval } : {}) };
  }
  const worth = equivalent / scale;
  const matched = n * worth;
  const beyond =
    matched > maxObserved ? ` (beyond the largest size measured, ${maxObserved}: an extrapolation)` : '';
  const verb = worth >= 1 ? 'matches' : 'only matches';
  const judgement = noDifference
    ? withInterval(`worth ${worth.toFixed(1)}x data, no detectable difference`)
    : worth >= 1.05
      ? withInterval(`worth ${worth.toFixed(1)}x data`)
      : worth > 0.95
        ? withInterval('worth about as much as no treatment')
        : withInterval(`worth ${worth.toFixed(2)}x data: it hurts`);
  return {
    variant,
    trainSize: n,
    equivalentBaselineSize: Math.round(matched),
    worth,
    ...(interval ? { worthInterval: interval } : {}),
    sentence: `${variant} at n=${n} ${verb} ${baselineName} at n=${size(matched)}: ${judgement}${beyond}`,
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
      if (base.curve) sentence += `; ${curveWords(base.curve, sizes.length)}`;
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
    // Family-wise: the best of k treatments at a size is picked after looking, so each is judged by
    // its simultaneous interval over the k (Bonferroni, see `simultaneousInterval`); the per-
    // comparison 95% intervals stay in `results.comparisons`. Older results have no family fields.
    const at = comparisons
      .filter((c) => c.trainSize === n)
      .map((c) => ({ c, ci: c.ciFamily ?? c.ci, verdict: c.verdictFamily ?? c.verdict }))
      .sort(
        (a, b) =>
          Number(b.verdict === 'helps') - Number(a.verdict === 'helps') || b.c.difference - a.c.difference,
      );
    const best = at[0];
    if (!best || !base) continue;
    const k = best.c.family?.size ?? at.length;
    const adjusted = best.c.ciFamily !== undefined;
    const kind = adjusted
      ? k > 1
        ? `95% simultaneous interval over ${k} treatments`
        : '95% interval'
      : '95% interval, not adjusted for the other treatments';
    const baseAt = base.sizes.find((z) => z.trainSize === n);
    const bestAt = summaries.find((s) => s.variant === best.c.variant)?.sizes.find((z) => z.trainSize === n);
    const means =
      baseAt && bestAt ? `; ${pct(bestAt.testAccuracy.mean)} vs ${pct(baseAt.testAccuracy.mean)}` : '';
    const accounting = adjusted && k > 1 ? ` after accounting for the ${k} treatments compared` : '';
    const head =
      best.verdict === 'helps'
        ? `Best treatment at n=${n}: ${best.c.variant} helps, ${points(best.c.difference)} accuracy over ${base.variant} (${kind}: ${interval(best.ci)}${means})`
        : `At n=${n} no treatment detectably helps over ${base.variant}${baseAt ? ` (${pct(baseAt.testAccuracy.mean)})` : ''}${accounting}; the best point estimate, ${best.c.variant}, is ${points(best.c.difference)} (${kind}: ${interval(best.ci)}): ${best.verdict}`;
    const rest = at
      .slice(1)
      .map((x) => `${x.c.variant} ${x.verdict} (${points(x.c.difference)}, ${interval(x.ci)})`);
    const eq = summaries
      .find((s) => s.variant === best.c.variant)
      ?.dataEquivalents.find((d) => d.trainSize === n);
    out.push(
      `${head}${rest.length > 0 ? `. Others at n=${n}, same intervals: ${rest.join('; ')}` : ''}${eq && best.verdict === 'helps' ? `; ${eq.sentence}` : ''}.`,
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
  // Data equivalents: each treatment's largest worth whose interval is above 1x, unless already said;
  // with paired comparisons, only where the treatment detectably helps at that size after the
  // family-wise adjustment, so that this line never praises what the best-treatment line could not.
  const helpsAt = (variant: string, trainSize: number) => {
    const c = options.comparisons?.find(
      (x) => x.variant === variant && x.trainSize === trainSize && x.metric === 'accuracy',
    );
    return c === undefined || (c.verdictFamily ?? c.verdict) === 'helps';
  };
  for (const s of summaries) {
    const best = s.dataEquivalents
      .filter((d) => d.worth !== null && (d.worthInterval?.[0] ?? 0) > 1 && helpsAt(s.variant, d.trainSize))
      .sort((a, b) => b.worth! - a.worth!)[0];
    const said = best && out.some((line) => line.includes(best.sentence));
    if (best && best.worth! >= 1.2 && !said) out.push(`${best.sentence}.`);
  }
  if (options.targetAccuracy !== null) {
    const target = options.targetAccuracy;
    const reach = summaries
      .filter((s) => s.projectedSizeForTarget !== null)
      .sort((a, b) => a.projectedSizeForTarget! - b.projectedSizeForTarget!);
    const best = reach[0];
    const largest = Math.max(...summaries.flatMap((s) => measured(s).map((z) => z.trainSize)));
    if (best) {
      const versus =
        base?.projectedSizeForTarget && best.variant !== base.variant
          ? ` (vs n≈${size(base.projectedSizeForTarget)} with ${base.variant})`
          : '';
      const extrapolated =
        best.projectedSizeForTarget! > largest
          ? `, an extrapolation beyond the largest size measured (${largest})`
          : '';
      out.push(
        `To reach ${pct(target)} test accuracy the curves project n≈${size(best.projectedSizeForTarget!)} with ${best.variant}${versus}${extrapolated}.`,
      );
    } else {
      const curves = summaries.filter((s) => s.curve && (s.curve.shape ?? 'monotone') === 'monotone');
      const guess = curves.length === 0 || curves.some((s) => s.curve!.ceilingIsGuess !== false);
      const sizesSeen = Math.max(0, ...summaries.map((s) => measured(s).length));
      out.push(
        guess
          ? `Whether ${pct(target)} test accuracy is reachable with more data cannot be read off ${sizesSeen} size(s) up to n=${largest}: no fitted curve reaches it within its range, and a ceiling read off so few sizes would be a guess.`
          : `No variant's fitted curve reaches ${pct(target)} test accuracy: they level off below it (an extrapolation from ${sizesSeen} sizes up to n=${largest}), so more data alone is unlikely to get there with these models.`,
      );
    }
  }
  const failed = summaries.reduce((a, s) => a + s.sizes.reduce((b, z) => b + z.failedTrials, 0), 0);
  if (failed > 0) out.push(`${failed} trial(s) failed; see the trials table for their errors.`);
  return out;
}

export { powerLawError };

/** The chosen curve in words: family, formula, shape, and a labelled extrapolation. */
function curveWords(curve: CurveFit, sizes: number): string {
  const formula =
    curve.formula ?? `err(n) = ${curve.a.toFixed(2)}·n^-${curve.b.toFixed(2)} + ${curve.c.toFixed(3)}`;
  const chosen = curve.family
    ? `the curve chosen on held-out sizes, ${FAMILY_WORDS[curve.family]} ${formula}`
    : `the fitted curve ${formula}`;
  if (curve.shape && curve.shape !== 'monotone')
    return `its curve is ill-behaved (${curve.shape === 'peaking' ? 'accuracy peaks and then falls beyond noise' : 'accuracy falls between sizes beyond noise'}), so it is not extrapolated`;
  const next = curve.extrapolation[0];
  let words = chosen;
  if (next) {
    const band = next.high - next.low > 1e-4 ? ` (95% band ${pct(next.low)} to ${pct(next.high)})` : '';
    words += `, projects ${pct(next.accuracy)}${band} at n=${size(next.trainSize)} (an extrapolation)`;
  }
  const ceiling = curve.asymptote;
  if (ceiling) {
    words += curve.ceilingIsGuess
      ? `; where it levels off (${pct(ceiling.accuracy)}) is a guess from ${sizes} sizes`
      : `; it levels off near ${pct(ceiling.accuracy)} (95% band ${pct(ceiling.low)} to ${pct(ceiling.high)})`;
  }
  return words;
}

const FAMILY_WORDS: { [F in CurveFamily]: string } = {
  pow3: 'a power law with an asymptote,',
  pow2: 'a power law,',
  exp3: 'an exponential with an asymptote,',
  log2: 'a logarithmic curve,',
};

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
