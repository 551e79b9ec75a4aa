import { type Cell, Rng, type TabularSample } from '@growset/core';

export interface BenchTable {
  samples: TabularSample[];
  columns: string[];
  /** Row-major numeric matrix of the same rows. */
  matrix: Float64Array;
}

/**
 * A `make_classification`-like table (scikit-learn's generator, the one imbalanced-learn's own
 * examples use): 6 informative columns with two Gaussian clusters per class at hypercube
 * vertices, 4 redundant columns (random linear combinations of the informative ones, plus a
 * little noise), and the rest pure noise. `minority` is the fraction of rows in class `1`.
 */
export function makeClassification(
  rows: number,
  features: number,
  minority: number,
  seed: number,
): BenchTable {
  const rng = Rng.create(`bench:${seed}`);
  const informative = 6;
  const redundant = 4;
  const centers = Array.from({ length: 4 }, () =>
    Array.from({ length: informative }, () => (rng.bool() ? 1.5 : -1.5)),
  );
  const mixing = Array.from({ length: redundant }, () =>
    Array.from({ length: informative }, () => rng.normal()),
  );
  const columns = Array.from({ length: features }, (_, j) => `f${j}`);
  const matrix = new Float64Array(rows * features);
  const samples: TabularSample[] = [];
  const minorityRows = Math.round(rows * minority);
  for (let i = 0; i < rows; i++) {
    const label = i % Math.round(1 / minority) === 0 ? '1' : '0';
    const cls = label === '1' ? 1 : 0;
    const center = centers[cls * 2 + rng.int(0, 1)]!;
    const z = center.map((c) => c + rng.normal());
    const values: { [column: string]: Cell } = {};
    for (let j = 0; j < features; j++) {
      let v: number;
      if (j < informative) v = z[j]!;
      else if (j < informative + redundant)
        v = mixing[j - informative]!.reduce((s, w, t) => s + w * z[t]!, 0) + 0.1 * rng.normal();
      else v = rng.normal();
      v = Math.round(v * 1e6) / 1e6;
      matrix[i * features + j] = v;
      values[columns[j]!] = v;
    }
    samples.push({ id: `row-${i + 1}`, label, payload: { kind: 'tabular', values }, lineage: [] });
  }
  if (samples.filter((s) => s.label === '1').length !== minorityRows)
    throw new Error('minority size mismatch');
  return { samples, columns, matrix };
}

/** Independent standard normal columns: the worst case for any pruning structure. */
export function isotropic(rows: number, features: number, seed: number): Float64Array {
  const rng = Rng.create(`iso:${seed}`);
  const out = new Float64Array(rows * features);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal();
  return out;
}
