import { readFileSync } from 'node:fs';
import { Rng, type TabularSample } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { type ResampleOptions, resample } from '../src/index.ts';
import { countClasses, type Space, targetedClasses } from '../src/internals/methods/cleaning.ts';
import { condense, oneSided } from '../src/internals/methods/condensed.ts';
import { encodeTable } from '../src/internals/table/encode.ts';
import { featureColumns } from '../src/internals/table/schema.ts';

/** Written by scripts/imblearn-goldens.py (imbalanced-learn 0.10, scikit-learn 1.2). */
interface Golden {
  imblearn: string;
  datasets: { [name: string]: { features: number[][]; labels: string[] } };
  cases: {
    dataset: string;
    method: string;
    options: { [key: string]: unknown };
    imblearn: string;
    kept: number[];
    seeds?: number[];
  }[];
}

const golden = JSON.parse(
  readFileSync(new URL('./golden/imblearn-under.json', import.meta.url), 'utf8'),
) as Golden;

function samplesOf(name: string): TabularSample[] {
  const { features, labels } = golden.datasets[name]!;
  return features.map((row, i) => ({
    id: `r${i}`,
    label: labels[i]!,
    payload: { kind: 'tabular', values: Object.fromEntries(row.map((v, j) => [`x${j}`, v])) },
    lineage: [],
  }));
}

const keptIndices = (samples: readonly TabularSample[]) =>
  samples.map((s) => Number(s.id.slice(1))).sort((a, b) => a - b);

describe(`row-for-row equality with imbalanced-learn ${golden.imblearn}`, () => {
  const deterministic = golden.cases.filter((c) => c.seeds === undefined);
  it.each(deterministic.map((c) => [c.imblearn, c.dataset, c] as const))('%s on %s', (_, __, c) => {
    const samples = samplesOf(c.dataset);
    const options = { method: c.method, ...c.options, standardize: false } as ResampleOptions;
    const { samples: out, removed, report } = resample(samples, options, Rng.create(1));
    expect(keptIndices(out)).toEqual(c.kept);
    expect(out.length + removed.length).toBe(samples.length);
    expect(report.removed).toBe(removed.length);
  });

  const seeded = golden.cases.filter((c) => c.seeds !== undefined);
  it.each(seeded.map((c) => [c.imblearn, c.dataset, c] as const))(
    '%s on %s, given the seed rows imbalanced-learn drew',
    (_, __, c) => {
      const samples = samplesOf(c.dataset);
      const table = encodeTable(samples, featureColumns(samples, {}, 'test'));
      const space: Space = {
        features: table.numeric,
        dims: table.schema.numeric.length,
        classOf: table.classOf,
        classes: table.classes.length,
      };
      const all = Int32Array.from({ length: table.n }, (_, i) => i);
      const targeted = targetedClasses(table, 'not minority', countClasses(space, all), 'test');
      const k = (c.options.k as number | undefined) ?? 1;
      const pick = () => Int32Array.from(c.seeds!);
      const run = c.method === 'condensedNearestNeighbour' ? condense : oneSided;
      expect([...run(space, table.members, targeted, k, 1, pick)]).toEqual(c.kept);
    },
  );
});
