import { Rng } from '@growset/core';
import { describe, expect, it } from 'vitest';
import {
  decodePredictions,
  runStudy,
  type StudyData,
  standardVariants,
  type TrialRecord,
} from '../src/index.ts';

/**
 * An imbalanced two-class table (about 1 in 8 rows `rare`), whose classes overlap: a model fitted
 * at the default threshold 0.5 under-predicts the rare class, which moving the threshold fixes.
 */
function imbalanced(rows = 320): StudyData {
  const rng = Rng.create(7);
  const table: number[][] = [];
  const labels: string[] = [];
  for (let i = 0; i < rows; i++) {
    const rare = rng.float() < 0.125;
    const shift = rare ? 1.2 : 0;
    table.push([rng.normal() + shift, rng.normal() + shift]);
    labels.push(rare ? 'rare' : 'common');
  }
  return {
    name: 'imbalanced',
    task: 'tabular',
    ids: table.map((_, i) => `row-${i}`),
    labels,
    classes: ['common', 'rare'],
    table: {
      columns: [
        { name: 'a', kind: 'numeric' },
        { name: 'b', kind: 'numeric' },
      ],
      rows: table,
    },
  };
}

describe('the threshold variant: resample or move the threshold?', () => {
  it('tunes the threshold on validation originals, never the test set, and is compared like any variant', async () => {
    const data = imbalanced();
    const variants = standardVariants(['baseline', 'threshold', 'smote'], {
      task: 'tabular',
      base: { model: 'knn', k: 15 },
    });
    expect(variants[1]).toMatchObject({ name: 'threshold', threshold: { metric: 'balancedAccuracy' } });
    const results = await runStudy(data, {
      name: 'threshold',
      testSize: 100,
      trainSizes: [100, 200],
      seeds: 2,
      variants,
      validationFraction: 0.3,
      workers: 0,
      bootstrapRounds: 20,
    });
    const tuned = results.trials.filter((t) => t.variant === 'threshold');
    expect(tuned).toHaveLength(4);
    for (const t of tuned) {
      expect(t.ok, t.error).toBe(true);
      expect(t.threshold).toMatchObject({ positive: 'rare', metric: 'balancedAccuracy', on: 'validation' });
      expect(t.threshold!.score).toBeGreaterThanOrEqual(t.threshold!.scoreAtHalf);
    }
    // One trial against the baseline's on the same originals and test items.
    const trial = tuned.find((t) => t.trainSize === 200 && t.seed === 0)!;
    const baseline = results.trials.find((t) => t.variant === 'baseline' && t.key.endsWith('/200/0'))!;
    expect(trial.trainRoots).toEqual(baseline.trainRoots);
    const rowOf = new Map(data.ids.map((id, i) => [id, i]));
    const testRows = results.testIds.map((id) => rowOf.get(id)!);
    const predicted = (t: TrialRecord) => decodePredictions(t.testPredictions!, 2);
    const y = Int32Array.from(testRows, (i) => data.classes.indexOf(data.labels[i]!));
    // The threshold moves predictions towards the rare class, and only through the threshold.
    const rareCount = (p: Int32Array) => p.reduce((a, c) => a + c, 0);
    expect(rareCount(predicted(trial))).toBeGreaterThan(rareCount(predicted(baseline)));
    expect(trial.threshold!.value).toBeLessThan(0.5);
    // Balanced accuracy on test, from the recorded predictions, is the recorded metric.
    const recall = (p: Int32Array, c: number) => {
      let hit = 0;
      let n = 0;
      y.forEach((label, i) => {
        if (label !== c) return;
        n += 1;
        if (p[i] === c) hit += 1;
      });
      return hit / n;
    };
    const p = predicted(trial);
    expect(trial.test!.balancedAccuracy).toBeCloseTo((recall(p, 0) + recall(p, 1)) / 2, 10);
    // On this table, moving the threshold helps the rare class: balanced accuracy rises on average.
    const mean = (variant: string) => {
      const ts = results.trials.filter((t) => t.variant === variant);
      return ts.reduce((a, t) => a + t.test!.balancedAccuracy, 0) / ts.length;
    };
    expect(mean('threshold')).toBeGreaterThan(mean('baseline'));
    // Compared with the baseline on the same items, like every variant, and summarized.
    expect(results.comparisons!.filter((c) => c.variant === 'threshold').length).toBeGreaterThan(0);
    expect(results.summaries.map((s) => s.variant)).toEqual(['baseline', 'threshold', 'smote']);
  });

  it('refuses a threshold variant on more than two classes, or an unknown positive class, naming the field', async () => {
    const data = imbalanced(60);
    const three: StudyData = {
      ...data,
      labels: data.labels.map((l, i) => (i % 3 === 0 ? 'third' : l)),
      classes: ['common', 'rare', 'third'],
    };
    const variants = [
      { name: 'baseline', model: { model: 'knn', k: 3 }, baseline: true },
      { name: 'threshold', model: { model: 'knn', k: 3 }, threshold: {} },
    ];
    await expect(runStudy(three, { name: 'x', variants, workers: 0 })).rejects.toThrow(
      /option `variants\[threshold\]\.threshold` in StudyOptions: expected a binary classification/,
    );
    await expect(
      runStudy(data, {
        name: 'x',
        variants: [variants[0]!, { ...variants[1]!, threshold: { positive: 'nope' } }],
        workers: 0,
      }),
    ).rejects.toThrow(/threshold\.positive` in StudyOptions: expected one of the classes common, rare, got/);
  });
});
