import type { Sample, TabularPayload } from '@growset/core';
import { loadVegaDataset } from '@growset/fixtures';
import {
  runStudy,
  type StudyOptions,
  type StudyResults,
  standardVariants,
  studyDataFromSamples,
} from '@growset/study';

/**
 * A small real study on the vega-datasets penguins (rows with an empty measurement left out, as
 * `growset study penguins.csv` reads them): baseline vs majority class, logistic, 2 sizes x 2 seeds.
 */
export async function penguinStudy(options: Partial<StudyOptions> = {}): Promise<StudyResults> {
  const rows = await loadVegaDataset('penguins');
  const samples: Sample<TabularPayload>[] = rows.flatMap((row, i) => {
    const { Species, ...values } = row as { Species: unknown; [column: string]: unknown };
    if (typeof Species !== 'string' || Object.values(values).some((v) => v === null || v === undefined))
      return [];
    const payload = { kind: 'tabular', values: values as TabularPayload['values'] } as const;
    return [{ id: `penguins#${i}`, label: Species, payload, lineage: [] }];
  });
  const { data } = await studyDataFromSamples(samples as Sample<unknown>[], { name: 'penguins' });
  return runStudy(data, {
    name: 'penguins',
    testSize: 30,
    trainSizes: [15, 30],
    seeds: 2,
    workers: 0,
    bootstrapRounds: 20,
    variants: standardVariants(['baseline', 'majority'], {
      task: 'tabular',
      base: { model: 'logistic' },
      categorical: true,
    }),
    ...options,
  });
}
