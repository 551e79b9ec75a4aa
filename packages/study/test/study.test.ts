import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '@growset/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  runStudy,
  type StudyData,
  type StudyOptions,
  studyDataFromSamples,
  type TrialRecord,
  type VariantSpec,
} from '../src/index.ts';

const support = (file: string) => fileURLToPath(new URL(`./support/${file}`, import.meta.url));
const plugins = {
  estimator: `${support('centroid.ts')}#createCentroid`,
  imageAugmenter: `${support('flip.ts')}#shiftAugment`,
};

let dir: string;
let digits: StudyData;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-study-'));
  ({ data: digits } = await studyDataFromSamples(await loadMnist({ perClass: 40 }), { name: 'mnist-400' }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const baseOptions = (overrides: Partial<StudyOptions> = {}): StudyOptions => ({
  name: 'digits',
  testSize: 100,
  trainSizes: [20, 60, 150],
  seeds: 2,
  variants: [
    { name: 'baseline', model: { temperature: 10 }, baseline: true },
    { name: 'shrink', model: { temperature: 10, shrink: 0.3 } },
    {
      name: 'augment',
      model: { temperature: 10 },
      augment: { kind: 'image', recipe: { type: 'shift' }, copies: 2 },
    },
  ],
  workers: 0,
  plugins,
  bootstrapRounds: 50,
  ...overrides,
});

const comparable = (t: TrialRecord) => {
  const { wallTimeMs: _w, samplesPerSecond: _s, history: _h, ...rest } = t;
  return rest;
};

describe('runStudy on real MNIST digits', () => {
  it('never trains on a root of the test set, augmented children included', async () => {
    const results = await runStudy(digits, baseOptions());
    const test = new Set(results.testIds);
    expect(test.size).toBe(100);
    expect(results.trials).toHaveLength(3 * 3 * 2);
    for (const trial of results.trials) {
      expect(trial.ok).toBe(true);
      for (const root of trial.trainRoots!) expect(test.has(root)).toBe(false);
    }
    const augmented = results.trials.filter((t) => t.variant === 'augment');
    for (const t of augmented) {
      // Every fitted original has two augmented children, whose roots are that original.
      expect(t.fittedSamples).toBe(3 * (t.trainSize - t.validationSize!));
      expect(t.trainRoots).toHaveLength(t.trainSize - t.validationSize!);
    }
  });

  it('holds out a stratified test set and trains on nested, stratified subsets per seed', async () => {
    const results = await runStudy(
      digits,
      baseOptions({ validationFraction: 0, variants: [{ name: 'baseline', model: {} }] }),
    );
    const perClass = new Map<string, number>();
    for (const id of results.testIds) {
      const label = id.split('-')[1]!;
      perClass.set(label, (perClass.get(label) ?? 0) + 1);
    }
    expect([...perClass.values()]).toEqual(Array(10).fill(10));
    for (const seed of [0, 1]) {
      const bySize = results.trials.filter((t) => t.seed === seed).sort((a, b) => a.trainSize - b.trainSize);
      for (let i = 1; i < bySize.length; i++) {
        const smaller = new Set(bySize[i - 1]!.trainRoots);
        const larger = new Set(bySize[i]!.trainRoots);
        for (const id of smaller) expect(larger.has(id)).toBe(true);
      }
      const small = bySize[0]!.trainRoots!;
      expect(small).toHaveLength(20);
      expect(new Set(small.map((id) => id.split('-')[1])).size).toBe(10); // two of each digit
    }
    const seed0 = results.trials.find((t) => t.seed === 0 && t.trainSize === 20)!.trainRoots;
    const seed1 = results.trials.find((t) => t.seed === 1 && t.trainSize === 20)!.trainRoots;
    expect(seed0).not.toEqual(seed1);
  });

  it('gives the same trials with 0 and 2 worker threads', async () => {
    const inProcess = await runStudy(digits, baseOptions());
    const threaded = await runStudy(digits, baseOptions({ workers: 2 }));
    expect(threaded.config.workers).toBe(2);
    expect(threaded.trials.map(comparable)).toEqual(inProcess.trials.map(comparable));
    expect(threaded.summaries).toEqual(inProcess.summaries);
  });

  it('summarizes each variant: spread over seeds, verdicts, a fitted curve and data equivalents', async () => {
    const results = await runStudy(digits, baseOptions({ targetAccuracy: 0.9 }));
    const baseline = results.summaries.find((s) => s.variant === 'baseline')!;
    expect(baseline.sizes.map((s) => s.trainSize)).toEqual([20, 60, 150]);
    for (const s of baseline.sizes) {
      expect(s.testAccuracy.n).toBe(2);
      expect(s.testAccuracy.ci95[0]).toBeLessThanOrEqual(s.testAccuracy.mean);
      expect(s.testAccuracy.ci95[1]).toBeGreaterThanOrEqual(s.testAccuracy.mean);
      expect(s.gap.mean).toBeCloseTo(s.trainAccuracy.mean - s.testAccuracy.mean, 10);
      expect(['overfits', 'underfits', 'fits']).toContain(s.verdict);
    }
    // More real digits help a nearest-centroid model.
    expect(baseline.sizes[2]!.testAccuracy.mean).toBeGreaterThan(baseline.sizes[0]!.testAccuracy.mean);
    expect(baseline.curve).not.toBeNull();
    expect(baseline.curve!.b).toBeGreaterThan(0);
    expect(baseline.curve!.extrapolation.map((e) => e.trainSize)).toEqual([300, 600, 1500]);
    const shrink = results.summaries.find((s) => s.variant === 'shrink')!;
    expect(shrink.dataEquivalents).toHaveLength(3);
    for (const d of shrink.dataEquivalents) expect(d.sentence).toMatch(/^shrink at n=\d+ /);
    expect(results.verdicts[0]).toMatch(
      /^More data: baseline test accuracy goes from [\d.]+% at n=20 to [\d.]+% at n=150/,
    );
    expect(results.verdicts.some((v) => v.includes('90.0% test accuracy'))).toBe(true);
  });

  it('compares each treatment with the baseline on the same items, pooled over disjoint test splits', async () => {
    const results = await runStudy(
      digits,
      baseOptions({ testSize: 80, testSplits: 3, trainSizes: [20, 60] }),
    );
    expect(results.config.testSplits).toBe(3);
    const splits = results.testSplitIds!;
    expect(splits).toHaveLength(3);
    expect(splits[0]).toEqual(results.testIds);
    expect(new Set(splits.flat()).size).toBe(240);
    expect(results.trials).toHaveLength(3 * 2 * 2 * 3);
    for (const t of results.trials) {
      const test = new Set(splits[t.split ?? 0]);
      expect(t.ok).toBe(true);
      expect(t.testPredictions).toHaveLength(80);
      for (const root of t.trainRoots!) expect(test.has(root)).toBe(false);
    }
    // One comparison per treatment, size and metric, every pair used.
    const comparisons = results.comparisons!;
    expect(comparisons).toHaveLength(2 * 2 * 3);
    for (const c of comparisons) {
      expect(c.pairs).toBe(6);
      expect(c.ci[0]).toBeLessThanOrEqual(c.difference);
      expect(c.ci[1]).toBeGreaterThanOrEqual(c.difference);
      expect(c.verdict).toBe(c.ci[0] > 0 ? 'helps' : c.ci[1] < 0 ? 'hurts' : 'no detectable difference');
    }
    // The accuracy difference is the mean of the paired trial differences.
    const accuracy = (variant: string, n: number) =>
      results.trials.filter((t) => t.variant === variant && t.trainSize === n).map((t) => t.test!.accuracy);
    const shrink = comparisons.find(
      (c) => c.variant === 'shrink' && c.trainSize === 20 && c.metric === 'accuracy',
    )!;
    const diffs = accuracy('shrink', 20).map((a, i) => a - accuracy('baseline', 20)[i]!);
    expect(shrink.difference).toBeCloseTo(diffs.reduce((a, b) => a + b, 0) / diffs.length, 10);
    expect(results.power!.splits).toBe(3);
    expect(
      results.verdicts.some((v) => v.startsWith('Power: with 80 test items x 2 seed(s) x 3 test splits')),
    ).toBe(true);
    await expect(runStudy(digits, baseOptions({ testSize: 100, testSplits: 5 }))).rejects.toThrow(
      /testSplits/,
    );
  });

  it('keeps its verdicts under another study seed: never helps under one and hurts under another', async () => {
    // Another study seed draws another test set, other training subsets and other augmentations.
    // Nearest class centroid on real digits, seeing every 4th pixel; the treatments see every
    // pixel (helps), every 64th (hurts), or shrink the centroids a little (about no difference).
    const variants: VariantSpec[] = [
      { name: 'baseline', model: { stride: 4 }, baseline: true },
      { name: 'all-pixels', model: { stride: 1 } },
      { name: 'few-pixels', model: { stride: 64 } },
      { name: 'shrink', model: { stride: 4, shrink: 0.2 } },
    ];
    const runs = await Promise.all(
      [0, 1, 2].map((studySeed) =>
        runStudy(
          digits,
          baseOptions({
            studySeed,
            variants,
            seeds: 3,
            trainSizes: [30, 90, 200],
          }),
        ),
      ),
    );
    const verdictOf = new Map<string, Set<string>>();
    for (const results of runs) {
      for (const c of results.comparisons!) {
        const key = `${c.variant}/${c.trainSize}/${c.metric}`;
        const seen = verdictOf.get(key) ?? new Set<string>();
        seen.add(c.verdict);
        verdictOf.set(key, seen);
      }
    }
    for (const [key, seen] of verdictOf) expect(seen.has('helps') && seen.has('hurts'), key).toBe(false);
    // Not vacuous: some verdicts are firm, and firm the same way under every seed.
    const firm = [...verdictOf].filter(
      ([, seen]) => seen.size === 1 && !seen.has('no detectable difference'),
    );
    expect(firm.length).toBeGreaterThan(3);
    expect(verdictOf.get('few-pixels/200/accuracy')).toEqual(new Set(['hurts']));
    // The headline verdict (at the largest size) names the same best treatment, or none, every time.
    const headline = runs.map(
      (r) => r.verdicts.find((v) => /n=200/.test(v) && /^(Best treatment|At n=200 no treatment)/.test(v))!,
    );
    for (const h of headline) expect(h).toBeDefined();
  }, 60_000);

  it('records a failed trial with its error, or stops the study when onTrialError is raise', async () => {
    const variants: VariantSpec[] = [
      { name: 'baseline', model: {} },
      { name: 'broken', model: { fail: true } },
    ];
    const recorded = await runStudy(digits, baseOptions({ variants, trainSizes: [30], seeds: 1 }));
    const broken = recorded.trials.find((t) => t.variant === 'broken')!;
    expect(broken).toMatchObject({ ok: false, error: 'centroid told to fail', trainSize: 30, seed: 0 });
    expect(recorded.summaries.find((s) => s.variant === 'broken')!.sizes[0]!.failedTrials).toBe(1);
    expect(recorded.verdicts.at(-1)).toBe('1 trial(s) failed; see the trials table for their errors.');
    await expect(
      runStudy(digits, baseOptions({ variants, trainSizes: [30], seeds: 1, onTrialError: 'raise' })),
    ).rejects.toThrow('Trial broken/30/0 failed: centroid told to fail');
  });

  it('resumes a study killed midway from its completed trials', async () => {
    const out = join(dir, 'resume');
    const full = await runStudy(digits, baseOptions({ out }));
    const journal = join(out, 'trials.jsonl');
    const lines = (await readFile(journal, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1 + 18);
    // As if killed after 7 trials, in the middle of writing the 8th line.
    await writeFile(journal, `${lines.slice(0, 8).join('\n')}\n${lines[8]!.slice(0, 25)}`);
    let ran = 0;
    const resumed = await runStudy(digits, baseOptions({ out }), {
      onProgress: (e) => {
        if (e.type === 'task' && e.message?.includes(': test ')) ran += 1;
      },
    });
    expect(ran).toBe(11);
    expect(resumed.trials.map(comparable)).toEqual(full.trials.map(comparable));
    // A different configuration starts over instead of mixing results.
    let rerun = 0;
    await runStudy(digits, baseOptions({ out, seeds: 1 }), {
      onProgress: (e) => {
        if (e.type === 'task' && e.message?.includes(': test ')) rerun += 1;
      },
    });
    expect(rerun).toBe(9);
  });

  it('rejects bad options naming the field', async () => {
    await expect(runStudy(digits, baseOptions({ seeds: 0 }))).rejects.toThrow(
      'Invalid option `seeds` in StudyOptions: expected a number >= 1, got `0` (number)',
    );
    await expect(runStudy(digits, baseOptions({ trainSizes: [5000] }))).rejects.toThrow(
      /Training size 5000 is out of range: 300 originals remain outside the test set/,
    );
    await expect(
      runStudy(
        digits,
        baseOptions({
          variants: [
            { name: 'a', model: {} },
            { name: 'a', model: {} },
          ],
        }),
      ),
    ).rejects.toThrow('Two variants are named `a`');
    await expect(runStudy(digits, baseOptions({ testSize: 400 }))).rejects.toThrow(
      /Invalid option `testSize` in StudyOptions: expected a test set that leaves originals to train on/,
    );
  });
});

describe('worker threads with the default plugins', () => {
  it('load @growset/train/study and @growset/augment-image/study, and their trials match those run in this thread', async () => {
    const options = (workers: number): StudyOptions => ({
      name: 'digits',
      testSize: 100,
      trainSizes: [40, 120],
      seeds: 1,
      workers,
      bootstrapRounds: 20,
      variants: [
        { name: 'baseline', model: { model: 'mlp', hidden: [16], epochs: 3 }, baseline: true },
        {
          name: 'augment',
          model: { model: 'mlp', hidden: [16], epochs: 3 },
          augment: { kind: 'image', recipe: { type: 'affine', rotate: [-10, 10] }, copies: 1 },
        },
      ],
    });
    const threaded = await runStudy(digits, options(1));
    const inProcess = await runStudy(digits, options(0));
    for (const t of threaded.trials) expect(t.ok, t.error).toBe(true);
    expect(threaded.trials.map(comparable)).toEqual(inProcess.trials.map(comparable));
  });
});

describe('validation curves in a study', () => {
  it('scores each value of one option on the training rows and held-out folds of one training subset', async () => {
    const results = await runStudy(
      digits,
      baseOptions({
        trainSizes: [60, 150],
        validationCurve: { param: 'shrink', values: [0, 0.5, 0.95], folds: 3 },
      }),
    );
    const curve = results.validationCurve!;
    expect(curve).toMatchObject({ variant: 'baseline', param: 'shrink', trainSize: 150, seed: 0, folds: 3 });
    expect(curve.points.map((p) => p.value)).toEqual([0, 0.5, 0.95]);
    for (const p of curve.points) {
      expect(p.error).toBeUndefined();
      expect(p.train.folds).toHaveLength(3);
      expect(p.test.folds).toHaveLength(3);
    }
    // Shrinking every centroid almost onto the mean costs training accuracy.
    expect(curve.points[2]!.train.mean).toBeLessThan(curve.points[0]!.train.mean);
    await expect(
      runStudy(digits, baseOptions({ validationCurve: { param: 'shrink', values: [0], variant: 'nope' } })),
    ).rejects.toThrow(/validationCurve\.variant/);
  });
});

describe('per-epoch augmentation and tuning with the real trainer', () => {
  it('augments afresh every epoch, only from training originals, and tunes inside the trial', async () => {
    const results = await runStudy(digits, {
      name: 'digits',
      testSize: 100,
      trainSizes: [40, 120],
      seeds: 1,
      workers: 0,
      bootstrapRounds: 20,
      variants: [
        { name: 'baseline', model: { model: 'mlp', hidden: [16], epochs: 4 }, baseline: true },
        {
          name: 'augment-epoch',
          model: { model: 'mlp', hidden: [16], epochs: 4 },
          augment: {
            kind: 'image',
            recipe: { type: 'affine', rotate: [-10, 10] },
            copies: 1,
            perEpoch: true,
          },
        },
        {
          name: 'tuned',
          model: {
            model: 'tuned',
            base: { model: 'knn' },
            space: { k: [1, 3, 7] },
            strategy: 'grid',
            folds: 2,
          },
        },
      ],
    });
    const test = new Set(results.testIds);
    for (const t of results.trials) {
      expect(t.ok, t.error).toBe(true);
      for (const root of t.trainRoots!) expect(test.has(root)).toBe(false);
    }
    const epoch = results.trials.filter((t) => t.variant === 'augment-epoch');
    for (const t of epoch) {
      expect(t.epochs).toBe(4);
      // One fresh version of each fitted original per epoch.
      expect(t.fittedSamples).toBe(t.trainSize - t.validationSize!);
      expect(t.trainRoots).toHaveLength(t.trainSize - t.validationSize!);
    }
  }, 120_000);
});
