import { type Cell, Rng, type TabularSample } from '@growset/core';
import type { MethodName, ResampleOptions } from '../../src/index.ts';

export interface TableSpec {
  /** Rows per class. */
  classes: { [name: string]: number };
  /** Numeric columns. @default 3 */
  numeric?: number;
  /** Categorical columns and their categories. */
  categorical?: { [column: string]: readonly string[] };
  /** Distance between class centres, in standard deviations. @default 2 */
  separation?: number;
  seed?: number;
}

/**
 * A seeded table: numeric columns `x0..` drawn around a per-class centre (so classes overlap at
 * their borders), categorical columns drawn with class-dependent frequencies. Ids `r1, r2, ...`.
 */
export function makeTable(spec: TableSpec): TabularSample[] {
  const rng = Rng.create(spec.seed ?? 1);
  const dims = spec.numeric ?? 3;
  const separation = spec.separation ?? 2;
  const out: TabularSample[] = [];
  Object.entries(spec.classes).forEach(([label, count], c) => {
    for (let i = 0; i < count; i++) {
      const values: { [column: string]: Cell } = {};
      for (let j = 0; j < dims; j++)
        values[`x${j}`] = (j === c % dims ? separation * c : 0) + rng.normal() * (1 + j);
      for (const [column, categories] of Object.entries(spec.categorical ?? {})) {
        values[column] =
          categories[(rng.int(0, categories.length - 1) + (rng.bool(0.5) ? c : 0)) % categories.length]!;
      }
      out.push({ id: `r${out.length + 1}`, label, payload: { kind: 'tabular', values }, lineage: [] });
    }
  });
  return out;
}

const NUMERIC = ['x0', 'x1', 'x2'];

/** Options every method is run with in the conformance tests; a new method must be added here. */
export const CONFORMANCE: { [M in MethodName]: Extract<ResampleOptions, { method: M }> } = {
  gaussianNoise: { method: 'gaussianNoise', scale: 0.2, swapProbability: 0.3 },
  randomOverSample: { method: 'randomOverSample', shrinkage: 1 },
  randomUnderSample: { method: 'randomUnderSample' },
  smote: { method: 'smote', k: 3, columns: ['x0', 'x1', 'x2'] },
  smoteNC: { method: 'smoteNC', k: 3 },
  borderlineSmote: { method: 'borderlineSmote', k: 3, m: 6, columns: ['x0', 'x1', 'x2'] },
  adasyn: { method: 'adasyn', k: 3, columns: ['x0', 'x1', 'x2'] },
  mixup: { method: 'mixup', alpha: 0.4 },
  bootstrap: { method: 'bootstrap' },
  tomekLinks: { method: 'tomekLinks', columns: NUMERIC },
  editedNearestNeighbours: { method: 'editedNearestNeighbours', columns: NUMERIC },
  repeatedEditedNearestNeighbours: { method: 'repeatedEditedNearestNeighbours', columns: NUMERIC },
  allKnn: { method: 'allKnn', columns: NUMERIC },
  neighbourhoodCleaningRule: { method: 'neighbourhoodCleaningRule', columns: NUMERIC, threshold: 0.2 },
  condensedNearestNeighbour: { method: 'condensedNearestNeighbour', columns: NUMERIC },
  oneSidedSelection: { method: 'oneSidedSelection', columns: NUMERIC },
  nearMiss: { method: 'nearMiss', columns: NUMERIC },
  instanceHardnessThreshold: { method: 'instanceHardnessThreshold', columns: NUMERIC, folds: 3 },
  clusterCentroids: { method: 'clusterCentroids', columns: NUMERIC },
  svmSmote: { method: 'svmSmote', k: 3, m: 6, columns: NUMERIC },
  kmeansSmote: { method: 'kmeansSmote', clusters: 4, columns: NUMERIC },
  smoteN: { method: 'smoteN', k: 3, columns: ['color', 'size'] },
  smoteEnn: { method: 'smoteEnn', k: 3, columns: NUMERIC },
  smoteTomek: { method: 'smoteTomek', k: 3, columns: NUMERIC },
  smoter: { method: 'smoter', k: 3, columns: NUMERIC },
  smogn: { method: 'smogn', k: 3, columns: NUMERIC, perturbation: 0.05 },
  mlsmote: { method: 'mlsmote', k: 3, columns: NUMERIC },
};

/** Class counts of samples by hard label. */
export function classCounts(samples: readonly TabularSample[]): { [name: string]: number } {
  const counts: { [name: string]: number } = {};
  for (const s of samples) {
    const label = typeof s.label === 'string' ? s.label : hardOf(s.label);
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

function hardOf(label: TabularSample['label']): string {
  if (label === undefined) return '(none)';
  if (typeof label === 'string') return label;
  return Object.entries(label).sort((a, b) => b[1] - a[1])[0]![0];
}

/**
 * Reference standardization written independently of the package: z-scores over all rows of the
 * given numeric columns (population std, constant columns unscaled).
 */
export function zScores(samples: readonly TabularSample[], columns: readonly string[]): number[][] {
  const rows = samples.map((s) => columns.map((c) => s.payload.values[c] as number));
  const means = columns.map((_, j) => rows.reduce((a, r) => a + r[j]!, 0) / rows.length);
  const stds = columns.map((_, j) =>
    Math.sqrt(rows.reduce((a, r) => a + (r[j]! - means[j]!) ** 2, 0) / rows.length),
  );
  return rows.map((r) => r.map((v, j) => (v - means[j]!) / (stds[j]! > 0 ? stds[j]! : 1)));
}

/** Ids of the `k` nearest of `candidates` to row `i` (squared Euclidean, by sorting). */
export function nearestIds(
  z: readonly (readonly number[])[],
  ids: readonly string[],
  i: number,
  candidates: readonly number[],
  k: number,
): string[] {
  const distance = (a: readonly number[], b: readonly number[]) =>
    a.reduce((s, v, j) => s + (v - b[j]!) ** 2, 0);
  return candidates
    .filter((j) => j !== i)
    .map((j) => ({ j, d: distance(z[i]!, z[j]!) }))
    .sort((a, b) => a.d - b.d || a.j - b.j)
    .slice(0, k)
    .map(({ j }) => ids[j]!);
}
