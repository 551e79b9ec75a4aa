import { Rng } from '@growset/core';
import {
  adjustFamilies,
  type Comparison,
  clampDifferenceInterval,
  compareWithBaseline,
  decodePredictions,
  encodePredictions,
  normalCdf,
  pairedInterval,
  pseudoValues,
  studyPower,
  type TrialRecord,
  tQuantile,
  type VariantSummary,
  verdictOf,
  verdicts,
} from '@growset/study';
import { describe, expect, it } from 'vitest';

/**
 * A simulated study at the level of per-item correctness, with a known true difference. An item is
 * answered correctly when a latent score is positive: mu + item difficulty + seed effect (shared by
 * both variants, as the same subset trains both) + trial noise, plus for the treatment a shift and
 * a treatment-by-seed effect. The true difference in expected accuracy over new items and new
 * seeds is then a difference of two normal probabilities.
 */
interface Design {
  seeds: number;
  items: number;
  splits: number;
  mu: number;
  shift: number;
  itemSd: number;
  seedSd: number;
  treatmentSeedSd: number;
}

function trueDifference(d: Design): number {
  const base = Math.sqrt(1 + d.itemSd ** 2 + d.seedSd ** 2);
  const treated = Math.sqrt(1 + d.itemSd ** 2 + d.seedSd ** 2 + d.treatmentSeedSd ** 2);
  return normalCdf((d.mu + d.shift) / treated) - normalCdf(d.mu / base);
}

function simulate(d: Design, rng: Rng): Float64Array[][] {
  const blocks: Float64Array[][] = [];
  for (let s = 0; s < d.splits; s++) {
    const difficulty = Array.from({ length: d.items }, () => rng.normal(0, d.itemSd));
    const rows: Float64Array[] = [];
    for (let r = 0; r < d.seeds; r++) {
      const seedEffect = rng.normal(0, d.seedSd);
      const treatmentEffect = rng.normal(0, d.treatmentSeedSd);
      const row = new Float64Array(d.items);
      for (let i = 0; i < d.items; i++) {
        const shared = d.mu + difficulty[i]! + seedEffect;
        const b = shared + rng.normal() > 0 ? 1 : 0;
        const t = shared + d.shift + treatmentEffect + rng.normal() > 0 ? 1 : 0;
        row[i] = t - b;
      }
      rows.push(row);
    }
    blocks.push(rows);
  }
  return blocks;
}

function coverage(d: Design, repetitions: number, seed: string): { covered: number; truth: number } {
  const rng = Rng.create(seed);
  const truth = trueDifference(d);
  let covered = 0;
  for (let k = 0; k < repetitions; k++) {
    const interval = pairedInterval(simulate(d, rng))!;
    if (interval.ci[0] <= truth && truth <= interval.ci[1]) covered++;
  }
  return { covered: covered / repetitions, truth };
}

describe('paired comparisons', () => {
  it('gives 95% intervals that cover a known true difference about 95% of the time', () => {
    const designs: Design[] = [
      // 3 seeds x 150 items, the seeds matter: treatment-by-seed noise of a few points.
      { seeds: 3, items: 150, splits: 1, mu: 1, shift: 0.15, itemSd: 1, seedSd: 0.2, treatmentSeedSd: 0.15 },
      // No true difference, item noise only.
      { seeds: 5, items: 200, splits: 1, mu: 0.8, shift: 0, itemSd: 1.2, seedSd: 0.1, treatmentSeedSd: 0 },
      // Three outer splits of 60 items, two seeds each.
      {
        seeds: 2,
        items: 60,
        splits: 3,
        mu: 1.2,
        shift: -0.2,
        itemSd: 0.8,
        seedSd: 0.2,
        treatmentSeedSd: 0.1,
      },
    ];
    for (const [k, d] of designs.entries()) {
      const { covered } = coverage(d, 400, `coverage-${k}`);
      // 400 repetitions: the binomial standard error at 95% is 1.1 points.
      expect(covered, `design ${k}`).toBeGreaterThan(0.92);
      expect(covered, `design ${k}`).toBeLessThan(0.985);
    }
  });

  it('reads the verdict off the interval', () => {
    expect(verdictOf([0.01, 0.05])).toBe('helps');
    expect(verdictOf([-0.05, -0.001])).toBe('hurts');
    expect(verdictOf([-0.01, 0.05])).toBe('no detectable difference');
  });

  it('finds a real effect and says when it cannot: power grows with seeds and items', () => {
    const d: Design = {
      seeds: 3,
      items: 150,
      splits: 1,
      mu: 1,
      shift: 0.3,
      itemSd: 1,
      seedSd: 0.2,
      treatmentSeedSd: 0.05,
    };
    const rng = Rng.create('power');
    const small = pairedInterval(simulate(d, rng))!;
    const large = pairedInterval(simulate({ ...d, seeds: 6, splits: 4 }, rng))!;
    expect(large.minimumDetectable).toBeLessThan(small.minimumDetectable * 0.7);
    expect(large.ci[0]).toBeGreaterThan(0);
    // The minimum detectable difference is (t.975 + t.80) standard errors.
    expect(small.minimumDetectable / small.se).toBeCloseTo(
      tQuantile(0.975, small.df) + tQuantile(0.8, small.df),
      6,
    );
  });

  it('turns balanced accuracy and macro F1 into per-item scores whose mean is the metric', () => {
    const labels = Int32Array.from([0, 0, 0, 1, 1, 2, 2, 2, 2, 2]);
    const predicted = Int32Array.from([0, 1, 0, 1, 1, 2, 0, 2, 2, 1]);
    const accuracy = pseudoValues('accuracy', labels, predicted, 3);
    expect([...accuracy]).toEqual([1, 0, 1, 1, 1, 1, 0, 1, 1, 0]);
    const ba = pseudoValues('balancedAccuracy', labels, predicted, 3);
    const mean = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Recalls 2/3, 2/2, 3/5: balanced accuracy 0.7556; the jackknife mean is close to it.
    expect(mean(ba)).toBeCloseTo((2 / 3 + 1 + 3 / 5) / 3, 1);
    const f1 = pseudoValues('macroF1', labels, predicted, 3);
    expect(Number.isFinite(mean(f1))).toBe(true);
  });

  it('stores predictions compactly and pairs trials by split, size and seed', () => {
    expect(encodePredictions([0, 1, 2, 11], 12)).toBe('012b');
    expect([...decodePredictions('012b', 12)]).toEqual([0, 1, 2, 11]);
    expect([...decodePredictions(encodePredictions([40, 3], 41), 41)]).toEqual([40, 3]);
    const labels = Int32Array.from({ length: 200 }, (_, i) => i % 2);
    const rng = Rng.create('pairs');
    const trials: TrialRecord[] = [];
    for (const seed of [0, 1, 2]) {
      for (const variant of ['baseline', 'better']) {
        const p = Int32Array.from(labels, (y) => (rng.bool(variant === 'better' ? 0.95 : 0.7) ? y : 1 - y));
        trials.push({
          key: `${variant}/50/${seed}`,
          variant,
          trainSize: 50,
          seed,
          ok: true,
          wallTimeMs: 1,
          testPredictions: encodePredictions(p, 2),
        });
      }
    }
    // A failed baseline trial drops its pair; the others still compare.
    trials.push({
      key: 'baseline/50/3',
      variant: 'baseline',
      trainSize: 50,
      seed: 3,
      ok: false,
      wallTimeMs: 1,
    });
    const comparisons = compareWithBaseline(trials, {
      baseline: 'baseline',
      variants: ['baseline', 'better'],
      trainSizes: [50],
      splits: [{ labels }],
      classes: 2,
    });
    expect(comparisons.map((c) => c.metric)).toEqual(['accuracy', 'balancedAccuracy', 'macroF1']);
    const accuracy = comparisons[0]!;
    expect(accuracy.pairs).toBe(3);
    expect(accuracy.verdict).toBe('helps');
    expect(accuracy.difference).toBeGreaterThan(0.1);
    const power = studyPower(comparisons, { testItems: 200, seeds: 3, splits: 1 })!;
    expect(power.minimumDetectable).toBeCloseTo(accuracy.minimumDetectable, 12);
    expect(power.warning).toMatch(/cannot be told from noise/);
  });
});

/**
 * A family of k treatments that are all exactly as good as the baseline: every variant answers an
 * item correctly when mu + item difficulty + seed effect (the same subset trains all variants) +
 * its own trial noise is positive. Returns the trials, as a study stores them, at one size.
 */
function nullFamily(
  k: number,
  seeds: number,
  items: number,
  rng: Rng,
): { trials: TrialRecord[]; labels: Int32Array } {
  const labels = Int32Array.from({ length: items }, (_, i) => i % 2);
  const difficulty = Array.from({ length: items }, () => rng.normal(0, 1));
  const trials: TrialRecord[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const seedEffect = rng.normal(0, 0.2);
    for (let v = 0; v <= k; v++) {
      const variant = v === 0 ? 'baseline' : `t${v}`;
      const p = Int32Array.from(labels, (y, i) =>
        1 + difficulty[i]! + seedEffect + rng.normal() > 0 ? y : 1 - y,
      );
      trials.push({
        key: `${variant}/400/${seed}`,
        variant,
        trainSize: 400,
        seed,
        ok: true,
        wallTimeMs: 1,
        testPredictions: encodePredictions(p, 2),
      });
    }
  }
  return { trials, labels };
}

describe('family-wise comparisons over the treatments at a size', () => {
  it('cuts an interval to the possible differences [-1, 1] without changing its verdict', () => {
    // Two seeds: Satterthwaite's df near 1 and a Bonferroni t over 5 treatments of about 64.
    const base: Comparison = {
      variant: 'l2',
      trainSize: 100,
      metric: 'accuracy',
      difference: 0.02,
      ci: [-0.46, 0.5],
      verdict: 'no detectable difference',
      se: 0.037,
      df: 1,
      pairs: 2,
      minimumDetectable: 0.5,
    };
    const [adjusted] = adjustFamilies([base, { ...base, variant: 'dropout' }, { ...base, variant: 'x' }]);
    expect(adjusted!.ciFamily).toEqual([-1, 1]);
    expect(adjusted!.verdictFamily).toBe('no detectable difference');
    expect(clampDifferenceInterval([0.2, 1.7])).toEqual([0.2, 1]);
    expect(verdictOf(clampDifferenceInterval([0.2, 1.7]))).toBe('helps');
    expect(clampDifferenceInterval([-0.3, -0.1])).toEqual([-0.3, -0.1]);
  });

  it('keeps the chance of any false helps or hurts among 8 null treatments near 5%; unadjusted it is far higher', () => {
    const k = 8;
    const rng = Rng.create('null-family');
    const repetitions = 250;
    let anyFamily = 0;
    let anyUnadjusted = 0;
    for (let r = 0; r < repetitions; r++) {
      const { trials, labels } = nullFamily(k, 3, 150, rng);
      const comparisons = compareWithBaseline(trials, {
        baseline: 'baseline',
        variants: ['baseline', ...Array.from({ length: k }, (_, v) => `t${v + 1}`)],
        trainSizes: [400],
        splits: [{ labels }],
        classes: 2,
        metrics: ['accuracy'],
      });
      expect(comparisons).toHaveLength(k);
      for (const c of comparisons) {
        expect(c.family).toEqual({ size: k, method: 'bonferroni', level: 0.95 });
        // The simultaneous interval contains the comparison's own 95% interval.
        expect(c.ciFamily![0]).toBeLessThanOrEqual(c.ci[0]);
        expect(c.ciFamily![1]).toBeGreaterThanOrEqual(c.ci[1]);
        expect(c.verdictFamily).toBe(verdictOf(c.ciFamily!));
      }
      if (comparisons.some((c) => c.verdictFamily !== 'no detectable difference')) anyFamily++;
      if (comparisons.some((c) => c.verdict !== 'no detectable difference')) anyUnadjusted++;
    }
    // 250 repetitions: the binomial standard error at 5% is 1.4 points.
    expect(anyFamily / repetitions).toBeLessThan(0.08);
    // Eight unadjusted 95% intervals call something in several times as many runs (they share the
    // baseline's trials, so less often than the 1 - 0.95^8 = 34% of independent tests would).
    expect(anyUnadjusted / repetitions).toBeGreaterThan(0.1);
    expect(anyUnadjusted).toBeGreaterThan(3 * anyFamily);
  });

  /** One size, a baseline at 80% and 8 treatments with the given differences and standard errors. */
  function headline(
    effects: readonly { difference: number; se: number }[],
    worthOfFirst?: { worth: number; interval: [number, number] },
  ): {
    sentence: string;
    comparisons: Comparison[];
    lines: string[];
  } {
    const spread = (mean: number) => ({
      mean,
      std: 0.01,
      ci95: [mean - 0.01, mean + 0.01] as [number, number],
      n: 3,
    });
    const summary = (variant: string, accuracy: number): VariantSummary => ({
      variant,
      sizes: [
        {
          variant,
          trainSize: 400,
          testAccuracy: spread(accuracy),
          trainAccuracy: spread(accuracy + 0.02),
          gap: spread(0.02),
          verdict: 'fits',
          explanation: 'fits',
          failedTrials: 0,
        },
      ],
      curve: null,
      dataEquivalents:
        variant === 't1' && worthOfFirst
          ? [
              {
                variant,
                trainSize: 400,
                equivalentBaselineSize: Math.round(400 * worthOfFirst.worth),
                worth: worthOfFirst.worth,
                worthInterval: worthOfFirst.interval,
                sentence: `t1 at n=400 matches baseline at n=${Math.round(400 * worthOfFirst.worth)}: worth ${worthOfFirst.worth}x data`,
              },
            ]
          : [],
      projectedSizeForTarget: null,
    });
    const raw: Comparison[] = effects.map((e, i) => {
      const half = tQuantile(0.975, 200) * e.se;
      const ci: [number, number] = [e.difference - half, e.difference + half];
      return {
        variant: `t${i + 1}`,
        trainSize: 400,
        metric: 'accuracy',
        difference: e.difference,
        ci,
        verdict: verdictOf(ci),
        se: e.se,
        df: 200,
        pairs: 3,
        minimumDetectable: 2.8 * e.se,
      };
    });
    const comparisons = adjustFamilies(raw);
    const summaries = [
      summary('baseline', 0.8),
      ...effects.map((e, i) => summary(`t${i + 1}`, 0.8 + e.difference)),
    ];
    const lines = verdicts(summaries, { baseline: 'baseline', targetAccuracy: null, comparisons });
    return { sentence: lines.find((l) => l.includes('n=400'))!, comparisons, lines };
  }

  const pts = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;
  const bonferroni = (difference: number, se: number) => {
    const q = tQuantile(1 - 0.05 / 16, 200) * se;
    return `${pts(difference - q)} to ${pts(difference + q)} points`;
  };
  const others = Array.from({ length: 7 }, (_, i) => ({ difference: -0.01 + 0.002 * i, se: 0.015 }));

  it('names a treatment in the headline only when its simultaneous interval is above zero', () => {
    const { sentence, comparisons } = headline([{ difference: 0.06, se: 0.012 }, ...others]);
    expect(comparisons[0]!.verdictFamily).toBe('helps');
    expect(sentence).toContain(
      `Best treatment at n=400: t1 helps, +6.0 points accuracy over baseline (95% simultaneous interval over 8 treatments: ${bonferroni(0.06, 0.012)}; 86.0% vs 80.0%)`,
    );
    expect(sentence).toContain(
      `Others at n=400, same intervals: t8 no detectable difference (+0.2 points, ${bonferroni(0.002, 0.015)})`,
    );
  });

  it('says no treatment detectably helps when only the unadjusted interval clears zero', () => {
    // Like the main job under seed 1: +1.6 points with a 95% interval of about +0.2 to +3.0.
    const { sentence, comparisons } = headline([{ difference: 0.016, se: 0.007 }, ...others]);
    expect(comparisons[0]!.verdict).toBe('helps');
    expect(comparisons[0]!.verdictFamily).toBe('no detectable difference');
    expect(sentence).toContain(
      `At n=400 no treatment detectably helps over baseline (80.0%) after accounting for the 8 treatments compared; the best point estimate, t1, is +1.6 points (95% simultaneous interval over 8 treatments: ${bonferroni(0.016, 0.007)}): no detectable difference`,
    );
  });

  it('states a worth in data only where the treatment detectably helps after the adjustment', () => {
    const worth = { worth: 2.5, interval: [1.2, 5] as [number, number] };
    const firm = headline([{ difference: 0.06, se: 0.012 }, ...others], worth).lines;
    expect(firm.some((l) => l.includes('t1 at n=400 matches baseline at n=1000: worth 2.5x data'))).toBe(
      true,
    );
    // Its own interval clears zero, the simultaneous one does not: no worth line either.
    const loose = headline([{ difference: 0.016, se: 0.007 }, ...others], worth).lines;
    expect(loose.some((l) => l.includes('worth 2.5x data'))).toBe(false);
  });
});
