// A user's TypeScript program, type-checked (not run) against the published declarations of every
// growset package by .ci/consumer/run: `tsc --noEmit` with strict settings and no path mapping.
import { augment, compose, horizontalFlip, type Transform } from '@growset/augment-image';
import { augmentImageJson } from '@growset/augment-image/study';
import { type ResampleResult, resample } from '@growset/augment-tabular';
import { resampleJson } from '@growset/augment-tabular/study';
import { type LoadedDataset, loadDataset } from '@growset/browse';
import { dedupeRows, fromRows } from '@growset/clean';
import { type CommandDefinition, main } from '@growset/cli';
import { type Estimator, type LabeledData, pipeline, Rng, type TabularSample } from '@growset/core';
import { redactRedisUrl } from '@growset/queue';
import { type StudyResults as ReportedResults, writeReport } from '@growset/report';
import { crawl } from '@growset/scrape';
import {
  type EstimatorFactory,
  type ImageAugmenter,
  runStudy,
  type StudyOptions,
  type StudyResults,
  type TabularAugmenter,
} from '@growset/study';
import { createEstimator, logisticRegression } from '@growset/train';
import { createEstimator as studyEstimator } from '@growset/train/study';

// The plugin entry points satisfy the study's contracts.
export const plugins: [EstimatorFactory, ImageAugmenter, TabularAugmenter] = [
  studyEstimator,
  augmentImageJson,
  resampleJson,
];

export async function job(rows: TabularSample[], png: Uint8Array): Promise<number> {
  const recipe: Transform = compose([horizontalFlip({ p: 0.5 })]);
  const augmented = await augment(recipe, { image: { kind: 'encoded', data: png } }, Rng.create(1));
  const smoted: ResampleResult = resample(rows, { method: 'smote', k: 3 }, Rng.create(2));
  const model: Estimator = logisticRegression({ epochs: 5 });
  const data: LabeledData = {
    x: new Float32Array(4),
    y: new Int32Array(2),
    featureShape: [2],
    classes: ['a', 'b'],
  };
  await model.fit(data, { rng: Rng.create(3) });
  const again: Estimator = createEstimator(model.getParams());
  const options: StudyOptions = {
    name: 'typed',
    variants: [{ name: 'baseline', model: { model: 'logistic' } }],
  };
  const run: (d: Parameters<typeof runStudy>[0]) => Promise<StudyResults> = (d) => runStudy(d, options);
  const reported: ReportedResults | undefined = undefined;
  void [run, reported, again, writeReport, crawl, dedupeRows, fromRows, pipeline];
  const command: CommandDefinition | undefined = undefined;
  void command;
  return augmented.params === undefined ? -1 : smoted.samples.length + (await main(['--help']));
}

export async function browseAndQueue(file: string): Promise<[number, string]> {
  const loaded: LoadedDataset = await loadDataset(file);
  return [loaded.rows.length, redactRedisUrl('redis://:secret@127.0.0.1:6379/0')];
}
