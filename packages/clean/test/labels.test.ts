import { fromIterable, hardLabel, Rng, type Sample, type TabularSample } from '@growset/core';
import { loadVegaDataset } from '@growset/fixtures';
import { describe, expect, it } from 'vitest';
import {
  dropMissing,
  filterRareClasses,
  findLabelIssues,
  flagSuspiciousLabels,
  fromRows,
  normalizeLabels,
} from '../src/index.ts';
import { runAll } from './helpers.ts';

const labelled = (id: string, label: string | undefined): Sample<null> => ({
  id,
  ...(label === undefined ? {} : { label }),
  payload: null,
  lineage: [],
});

describe('normalizeLabels', () => {
  it('trims, folds case and maps aliases, reporting every rename and the classes', async () => {
    const stage = normalizeLabels({
      case: 'lower',
      aliases: { 'Adelie Penguin': 'adelie', 'gentoo-penguin': 'gentoo' },
    });
    const { items, quarantine } = await runAll<Sample<null>>(
      fromIterable('labels', [
        labelled('1', ' Adelie'),
        labelled('2', 'ADELIE  PENGUIN'),
        labelled('3', 'Gentoo-Penguin'),
        labelled('4', 'gentoo'),
        labelled('5', '   '),
        labelled('6', undefined),
      ]),
      stage,
    );
    expect(items.map((s) => s.label)).toEqual(['adelie', 'adelie', 'gentoo', 'gentoo', undefined]);
    expect(quarantine.records.map((r) => [r.id, r.reason])).toEqual([['5', 'empty label']]);
    expect(stage.report()).toMatchObject({
      classes: { adelie: 2, gentoo: 2 },
      renamed: {
        '" Adelie" -> "adelie"': 1,
        '"ADELIE  PENGUIN" -> "adelie"': 1,
        '"Gentoo-Penguin" -> "gentoo"': 1,
      },
      unlabeled: 1,
    });
  });
});

describe('filterRareClasses', () => {
  it('filters the samples of classes below the minimum count, naming the class and its count', async () => {
    const stage = filterRareClasses<null>({ minCount: 2 });
    const { items, summary } = await runAll<Sample<null>>(
      fromIterable('labels', [
        labelled('a', 'A'),
        labelled('b', 'B'),
        labelled('c', 'A'),
        labelled('u', undefined),
      ]),
      stage,
    );
    expect(items.map((s) => s.id)).toEqual(['a', 'c', 'u']);
    expect(summary.stages[1]!.filteredBy).toEqual({ 'rare class': 1 });
    expect(stage.report()).toMatchObject({ classes: { A: 2, B: 1 }, removed: { B: 1 } });
    expect(() => filterRareClasses({ minCount: 0 })).toThrow(/minCount/);
  });
});

const FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
const CLASSES = ['Adelie', 'Chinstrap', 'Gentoo'];

/**
 * Out-of-fold class probabilities from a real (if simple) model: a nearest-centroid classifier
 * on standardized penguin measurements, 5 folds, softmax of negative squared distances.
 */
function outOfFold(samples: readonly TabularSample[], labels: readonly string[]): number[][] {
  const x = samples.map((s) => FEATURES.map((f) => s.payload.values[f] as number));
  const means = FEATURES.map((_, j) => x.reduce((a, r) => a + r[j]!, 0) / x.length);
  const stds = FEATURES.map((_, j) =>
    Math.sqrt(x.reduce((a, r) => a + (r[j]! - means[j]!) ** 2, 0) / x.length),
  );
  const z = x.map((r) => r.map((v, j) => (v - means[j]!) / stds[j]!));
  const folds = 5;
  return z.map((row, i) => {
    const centroids = CLASSES.map((c) => {
      const members = z.filter((_, n) => n % folds !== i % folds && labels[n] === c);
      return FEATURES.map((_, j) => members.reduce((a, r) => a + r[j]!, 0) / members.length);
    });
    const scores = centroids.map((m) => -m.reduce((a, v, j) => a + (row[j]! - v) ** 2, 0));
    const top = Math.max(...scores);
    const exp = scores.map((s) => Math.exp(s - top));
    const total = exp.reduce((a, b) => a + b, 0);
    return exp.map((e) => e / total);
  });
}

describe('confident learning', () => {
  it('finds most deliberately flipped labels in the real penguins data and few correct ones', async () => {
    const { items } = await runAll<TabularSample>(
      fromRows(await loadVegaDataset('penguins'), { label: 'Species' }),
      dropMissing({ columns: FEATURES }),
    );
    const rng = Rng.create('flip');
    const flipped = new Set(rng.sample([...items.keys()], 20));
    const labels = items.map((s, i) => {
      const truth = hardLabel(s.label)!;
      if (!flipped.has(i)) return truth;
      const others = CLASSES.filter((c) => c !== truth);
      return others[rng.int(0, 1)]!;
    });
    const probabilities = outOfFold(items, labels);
    const { issues, joint } = findLabelIssues({ labels, probabilities, classes: CLASSES });
    const found = new Set(issues.map((i) => i.index));
    const hits = [...flipped].filter((i) => found.has(i)).length;
    expect(hits).toBeGreaterThanOrEqual(16);
    expect(found.size - hits).toBeLessThanOrEqual(8);
    for (const issue of issues) {
      expect(issue.given).toBe(labels[issue.index]);
      expect(issue.suggested).not.toBe(issue.given);
    }
    // Least confident first.
    const confidences = issues.map((i) => i.selfConfidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => a - b));
    expect(joint.calibrated.flat().reduce((a, b) => a + b, 0)).toBe(labels.length);
    const strict = findLabelIssues({ labels, probabilities, classes: CLASSES }, { filterBy: 'both' });
    expect(strict.issues.length).toBeLessThanOrEqual(issues.length);
  });

  it('computes thresholds and the confident joint as cleanlab does on a worked example', () => {
    const labels = ['a', 'a', 'a', 'b', 'b', 'b'];
    const probabilities = [
      [0.9, 0.1],
      [0.8, 0.2],
      [0.1, 0.9], // labelled a, confidently b
      [0.2, 0.8],
      [0.3, 0.7],
      [0.4, 0.6],
    ];
    const { issues, joint } = findLabelIssues({ labels, probabilities, classes: ['a', 'b'] });
    expect(joint.thresholds[0]).toBeCloseTo(0.6);
    expect(joint.thresholds[1]).toBeCloseTo(0.7);
    expect(joint.counts).toEqual([
      [2, 1],
      [0, 2],
    ]);
    expect(issues).toEqual([{ index: 2, given: 'a', suggested: 'b', selfConfidence: 0.1, margin: 0.8 }]);
  });

  it('flags, quarantines or filters suspicious samples in a pipeline, passing unscored ones', async () => {
    const samples = ['a', 'a', 'a', 'b', 'b', 'b', 'b'].map((label, i) => labelled(`s${i}`, label));
    const probs = new Map<string, number[]>([
      ['s0', [0.9, 0.1]],
      ['s1', [0.8, 0.2]],
      ['s2', [0.1, 0.9]],
      ['s3', [0.2, 0.8]],
      ['s4', [0.3, 0.7]],
      ['s5', [0.4, 0.6]],
    ]);
    const flag = flagSuspiciousLabels<null>({ probabilities: probs, classes: ['a', 'b'] });
    const flagged = await runAll<Sample<null>>(fromIterable('s', samples), flag);
    expect(flagged.items).toHaveLength(7);
    expect(flagged.items[2]!.meta).toEqual({ suspiciousLabel: { suggested: 'b', selfConfidence: 0.1 } });
    expect(flag.report()).toMatchObject({ samples: 7, scored: 6, flagged: 1, byClass: { a: 1 } });
    const quarantine = await runAll<Sample<null>>(
      fromIterable('s', samples),
      flagSuspiciousLabels<null>({
        probabilities: (s) => probs.get(s.id),
        classes: ['a', 'b'],
        action: 'quarantine',
      }),
    );
    expect(quarantine.quarantine.records.map((r) => [r.id, r.reason])).toEqual([['s2', 'suspicious label']]);
    expect(quarantine.quarantine.records[0]!.detail).toBe(
      'labelled "a" (p=0.100); the model is confident it is "b"',
    );
  });
});
