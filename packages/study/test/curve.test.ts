import { Rng } from '@growset/core';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  bootstrapCurve,
  type Comparison,
  carveValidation,
  chooseFamily,
  curveError,
  curveShape,
  curveSizeForError,
  dataEquivalent,
  fitFamily,
  fitPowerLaw,
  fitVerdict,
  logSpacedSizes,
  powerLawError,
  sizeForError,
  spread,
} from '../src/index.ts';

/** A baseline curve err(n) = 2 n^-0.5 + 0.02 with no uncertainty. */
const curve = {
  a: 2,
  b: 0.5,
  c: 0.02,
  rmse: 0,
  interval: {
    a: [2, 2] as [number, number],
    b: [0.5, 0.5] as [number, number],
    c: [0.02, 0.02] as [number, number],
  },
  extrapolation: [],
};

describe('power-law learning curves', () => {
  it('recovers a, b and c from exact points of err(n) = a n^-b + c', () => {
    const truth = { a: 2.5, b: 0.6, c: 0.04 };
    const sizes = [50, 100, 200, 400, 800, 1600];
    const fit = fitPowerLaw(
      sizes,
      sizes.map((n) => powerLawError(truth, n)),
    )!;
    expect(fit.a).toBeCloseTo(truth.a, 2);
    expect(fit.b).toBeCloseTo(truth.b, 3);
    expect(fit.c).toBeCloseTo(truth.c, 4);
    expect(fit.rmse).toBeLessThan(1e-5);
  });

  it('needs three distinct sizes and keeps c within [0, min error]', () => {
    expect(fitPowerLaw([10, 20], [0.5, 0.4])).toBeNull();
    const fit = fitPowerLaw([10, 20, 40], [0.3, 0.2, 0.15])!;
    expect(fit.c).toBeGreaterThanOrEqual(0);
    expect(fit.c).toBeLessThanOrEqual(0.15);
    expect(fit.a).toBeGreaterThanOrEqual(0);
  });

  it('inverts the curve: the size that reaches an error, or null below the asymptote', () => {
    const p = { a: 2, b: 0.5, c: 0.05 };
    expect(sizeForError(p, powerLawError(p, 900))).toBeCloseTo(900, 6);
    expect(sizeForError(p, 0.05)).toBeNull();
    expect(sizeForError(p, 0.01)).toBeNull();
  });

  it('gives bootstrap intervals that contain the truth for noisy seeds', () => {
    const rng = Rng.create('curve');
    const truth = { a: 1.5, b: 0.5, c: 0.05 };
    const bySize = new Map<number, number[]>();
    for (const n of [25, 50, 100, 200, 400, 800]) {
      bySize.set(
        n,
        Array.from({ length: 5 }, () => 1 - powerLawError(truth, n) + rng.normal(0, 0.005)),
      );
    }
    const boot = bootstrapCurve('pow3', bySize, rng.fork('boot'), { rounds: 300, predictAt: [1600, 3200] })!;
    expect(boot.interval.b[0]).toBeLessThan(truth.b);
    expect(boot.interval.b[1]).toBeGreaterThan(truth.b);
    for (const p of boot.predictions) {
      const expected = 1 - powerLawError(truth, p.trainSize);
      expect(p.low).toBeLessThanOrEqual(p.accuracy);
      expect(p.high).toBeGreaterThanOrEqual(p.accuracy);
      expect(Math.abs(p.accuracy - expected)).toBeLessThan(0.02);
    }
  });
});

describe('data equivalents and verdicts', () => {
  it('says what a treatment is worth in baseline data', () => {
    const accAt900 = 1 - powerLawError(curve, 900);
    const d = dataEquivalent('dropout', 'baseline', 500, accAt900, curve, 1000);
    expect(d.equivalentBaselineSize).toBe(900);
    expect(d.worth).toBeCloseTo(1.8, 6);
    expect(d.sentence).toBe('dropout at n=500 matches baseline at n=900: worth 1.8x data');
    const hurts = dataEquivalent('l1', 'baseline', 500, 1 - powerLawError(curve, 250), curve, 1000);
    expect(hurts.sentence).toBe('l1 at n=500 only matches baseline at n=250: worth 0.50x data: it hurts');
    // Above the curve's asymptote (98%) by its point estimate only: not called beyond the curve.
    const above = dataEquivalent('augment', 'baseline', 500, 0.99, curve, 1000);
    expect(above.worth).toBeNull();
    expect(above.sentence).toMatch(
      /above the 98\.0% that baseline's curve levels off at, but not beyond its uncertainty/,
    );
    expect(above.sentence).not.toMatch(/beyond what/);
  });

  it('calls overfitting and underfitting in plain words', () => {
    expect(fitVerdict(1, 0.72, 100)).toEqual({
      verdict: 'overfits',
      explanation: 'overfits at n=100: train 100.0% vs test 72.0% (gap 28.0 points)',
    });
    expect(fitVerdict(0.6, 0.58, 100).verdict).toBe('underfits');
    expect(fitVerdict(0.97, 0.94, 100).verdict).toBe('fits');
  });

  it('computes the mean, spread and a Student-t 95% interval over seeds', () => {
    const s = spread([0.8, 0.82, 0.84]);
    expect(s.mean).toBeCloseTo(0.82, 10);
    expect(s.std).toBeCloseTo(0.02, 10);
    // t(0.975, 2) = 4.303
    expect(s.ci95[1] - s.mean).toBeCloseTo((4.303 * 0.02) / Math.sqrt(3), 6);
    expect(spread([0.5])).toEqual({ mean: 0.5, std: 0, ci95: [0.5, 0.5], n: 1 });
  });
});

describe('splits', () => {
  it('allocates proportionally with at least one slot per class', () => {
    expect(allocate([50, 30, 20], 10)).toEqual([5, 3, 2]);
    expect(allocate([98, 2], 10)).toEqual([9, 1]);
    expect(allocate([5, 5], 0)).toEqual([0, 0]);
  });

  it('carves a stratified validation set and never takes the last member of a class', () => {
    const labels = [...'aaaaaaaaaa', ...'bbbbbbbbbb', ...'cccccc', ...'d'];
    const subset = labels.map((_, i) => i);
    const { fit, validation } = carveValidation(labels, subset, 0.3, Rng.create(1));
    expect(validation).toHaveLength(8);
    expect(new Set(validation.map((i) => labels[i]))).toEqual(new Set(['a', 'b', 'c']));
    expect(fit.length + validation.length).toBe(27);
    expect(fit.filter((i) => labels[i] === 'd')).toHaveLength(1);
    // Fewer than two validation samples per class: no validation at all.
    expect(carveValidation(labels, subset, 0.15, Rng.create(1)).validation).toEqual([]);
  });

  it('spaces training sizes logarithmically', () => {
    const sizes = logSpacedSizes(100, 8000, 7);
    expect(sizes).toHaveLength(7);
    expect([sizes[0], sizes[6]]).toEqual([100, 8000]);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]! / sizes[i - 1]!).toBeCloseTo(80 ** (1 / 6), 2);
    expect(logSpacedSizes(10, 12, 6)).toEqual([10, 11, 12]);
  });
});

const comparison = (difference: number, ci: [number, number]): Comparison => ({
  variant: 'augment',
  trainSize: 100,
  metric: 'accuracy',
  difference,
  ci,
  verdict: ci[0] > 0 ? 'helps' : ci[1] < 0 ? 'hurts' : 'no detectable difference',
  se: (ci[1] - ci[0]) / 4,
  df: 10,
  pairs: 3,
  minimumDetectable: 0.02,
});

describe('data equivalents against the observed baseline', () => {
  it('is exactly 1x for a treatment that scores like the baseline, even where the fit misses the point', () => {
    // The baseline's observed accuracy at n=120 sits above its curve; an equal score is worth 1x.
    const d = dataEquivalent('smote', 'baseline', 120, 0.9, curve, 200, {
      baselineAccuracy: 0.9,
      comparison: comparison(0, [-0.01, 0.01]),
    });
    expect(d.worth).toBeCloseTo(1, 10);
    expect(d.sentence).toMatch(
      /worth 1\.0x data, no detectable difference \(95% interval 0\.\dx to 1\.\dx\)/,
    );
    expect(d.worthInterval![0]).toBeLessThan(1);
    expect(d.worthInterval![1]).toBeGreaterThan(1);
  });

  it('compares both accuracies on the baseline curve, with the interval of the paired difference', () => {
    const accAt = (n: number) => 1 - powerLawError(curve, n);
    const d = dataEquivalent('augment', 'baseline', 100, accAt(300), curve, 1000, {
      baselineAccuracy: accAt(150),
      comparison: comparison(accAt(300) - accAt(150), [accAt(200) - accAt(150), accAt(450) - accAt(150)]),
    });
    expect(d.worth).toBeCloseTo(2, 6);
    expect(d.equivalentBaselineSize).toBe(200);
    expect(d.worthInterval![0]).toBeCloseTo(200 / 150, 6);
    expect(d.worthInterval![1]).toBeCloseTo(3, 6);
    expect(d.sentence).toBe(
      'augment at n=100 matches baseline at n=200: worth 2.0x data (95% interval 1.3x to 3.0x)',
    );
  });

  it('is beyond the baseline curve only when the lower bound clears the top of the asymptote band', () => {
    const banded = {
      ...curve,
      family: 'pow3' as const,
      shape: 'monotone' as const,
      asymptote: { accuracy: 0.98, low: 0.97, high: 0.985 },
    };
    const base = 1 - powerLawError(curve, 100);
    const unsure = dataEquivalent('augment', 'baseline', 100, 0.984, banded, 1000, {
      baselineAccuracy: base,
      comparison: comparison(0.984 - base, [0.975 - base, 0.99 - base]),
    });
    expect(unsure.sentence).not.toMatch(/beyond what/);
    const sure = dataEquivalent('augment', 'baseline', 100, 0.995, banded, 1000, {
      baselineAccuracy: base,
      comparison: comparison(0.995 - base, [0.99 - base, 1 - base]),
    });
    expect(sure.sentence).toMatch(
      /beyond what baseline's curve reaches \(at most 98\.5%, the top of its 95% band\)/,
    );
    // An ill-behaved baseline curve is not read off at all.
    const peaking = dataEquivalent('augment', 'baseline', 100, 0.9, { ...banded, shape: 'peaking' }, 1000);
    expect(peaking.worth).toBeNull();
    expect(peaking.sentence).toMatch(/ill-behaved \(peaking\)/);
  });
});

describe('curve families', () => {
  const sizes = [25, 50, 100, 200, 400, 800];
  it('fits each family to exact points of itself', () => {
    const truths = [
      { family: 'pow3', a: 2, b: 0.6, c: 0.04 },
      { family: 'pow2', a: 1.2, b: 0.4, c: 0 },
      { family: 'exp3', a: 0.5, b: 0.01, c: 0.05 },
      { family: 'log2', a: 0.6, b: 0.07, c: 0 },
    ] as const;
    for (const truth of truths) {
      const fit = fitFamily(
        truth.family,
        sizes,
        sizes.map((n) => curveError(truth, n)),
      )!;
      expect(fit.rmse, truth.family).toBeLessThan(1e-4);
      for (const n of [1600, 3200]) expect(curveError(fit, n)).toBeCloseTo(curveError(truth, n), 3);
      const target = curveError(truth, 600);
      expect(curveSizeForError(fit, target)! / 600, truth.family).toBeCloseTo(1, 1);
    }
  });

  it('chooses the family that predicts the largest size from the smaller ones', () => {
    const exp = { family: 'exp3', a: 0.5, b: 0.01, c: 0.05 } as const;
    const chosen = chooseFamily(
      sizes,
      sizes.map((n) => curveError(exp, n)),
    )!;
    expect(chosen.family).toBe('exp3');
    expect(chosen.scores.map((s) => s.family)).toEqual(['pow2', 'log2', 'pow3', 'exp3']);
    const pow = { family: 'pow2', a: 1.2, b: 0.4, c: 0 } as const;
    // A power law without asymptote: the simpler family wins the tie with pow3.
    expect(
      chooseFamily(
        sizes,
        sizes.map((n) => curveError(pow, n)),
      )!.family,
    ).toBe('pow2');
    expect(chooseFamily([10, 20], [0.3, 0.2])).toBeNull();
  });

  it('flags curves that peak or fall beyond noise, not a wobble within it', () => {
    const at = (means: number[], std = 0.01) =>
      curveShape(
        means.map((mean, i) => ({ trainSize: sizes[i]!, mean, std, n: 3 })),
        500,
      );
    expect(at([0.6, 0.7, 0.78, 0.83, 0.86, 0.88])).toBe('monotone');
    expect(at([0.6, 0.7, 0.78, 0.77, 0.86, 0.88])).toBe('monotone');
    expect(at([0.6, 0.7, 0.85, 0.8, 0.75, 0.7])).toBe('peaking');
    expect(at([0.6, 0.75, 0.65, 0.8, 0.85, 0.9])).toBe('non-monotone');
  });

  it('bootstraps a band and an asymptote band for the chosen family', () => {
    const rng = Rng.create('families');
    const truth = { family: 'pow3', a: 1.5, b: 0.5, c: 0.05 } as const;
    const bySize = new Map(
      sizes.map((n) => [n, Array.from({ length: 4 }, () => 1 - curveError(truth, n) + rng.normal(0, 0.004))]),
    );
    const boot = bootstrapCurve('pow3', bySize, rng.fork('boot'), { rounds: 200, predictAt: [1600] })!;
    expect(boot.asymptote!.low).toBeLessThanOrEqual(boot.asymptote!.accuracy);
    expect(boot.asymptote!.high).toBeGreaterThanOrEqual(boot.asymptote!.accuracy);
    expect(Math.abs(boot.predictions[0]!.accuracy - (1 - curveError(truth, 1600)))).toBeLessThan(0.01);
    expect(bootstrapCurve('pow2', bySize, rng, { rounds: 20 })!.asymptote).toBeNull();
  });
});
