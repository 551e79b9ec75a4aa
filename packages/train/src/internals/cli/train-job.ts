import {
  type Estimator,
  type JsonObject,
  type LabeledData,
  type Metrics,
  OptionsError,
  type ProgressListener,
  Rng,
} from '@growset/core';
import { type BackendInfo, type BackendName, describeBackend, initBackend } from '../backend/init.ts';
import { fitScaler, type Scaling } from '../data/scale.ts';
import { stratifiedSplit } from '../data/subset.ts';
import { createEstimator } from '../estimators/registry.ts';
import type { TrainResult } from '../loop/fit.ts';
import { type LoadedDataset, loadDataset } from './dataset.ts';

/** What `growset train` runs. */
export interface TrainJobOptions {
  /** ImageFolder or CSV file. */
  input: string;
  /** Estimator spec (`model` plus options). */
  spec: JsonObject;
  /** CSV label column. @default 'label' */
  label?: string;
  /** Held-out test fraction (stratified). @default 0.2 */
  testFraction?: number;
  seed: number;
  backend?: BackendName | 'auto';
  /** Images are resized to this square side. */
  imageSize?: number;
  /**
   * Scaling of CSV features, fitted on the training split: `standardize`, `minmax`, `none`, or
   * `auto` (min-max for pixel-like intensities, else standardize: see `autoScaling`). Images are
   * always intensities in [0, 1]. @default 'auto'
   */
  scaling?: Scaling | 'auto';
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Called with one line as soon as the backend is chosen. */
  onBackend?: (line: string) => void;
}

export interface TrainJobResult {
  backend: BackendInfo;
  dataset: Omit<LoadedDataset, 'data'> & {
    samples: number;
    classes: readonly string[];
    featureShape: readonly number[];
  };
  trainSamples: number;
  testSamples: number;
  /** The scaling applied to CSV features (`minmax` for images: intensities / 255). */
  scaling: Scaling;
  estimator: string;
  spec: JsonObject;
  fit: TrainResult;
  train: Metrics;
  test: Metrics;
}

/** Loads, splits (stratified), trains and scores one estimator: the work behind `growset train`. */
export async function runTrainJob(options: TrainJobOptions): Promise<TrainJobResult> {
  const backend = await initBackend({ backend: options.backend ?? 'auto' });
  options.onBackend?.(describeBackend(backend));
  const loaded = await loadDataset(options.input, {
    ...(options.label !== undefined ? { label: options.label } : {}),
    ...(options.imageSize !== undefined ? { imageSize: options.imageSize } : {}),
  });
  const rng = Rng.create(options.seed);
  const { train: rawTrain, test: rawTest } = stratifiedSplit(
    loaded.data,
    options.testFraction ?? 0.2,
    rng.fork('split'),
  );
  let train: LabeledData = rawTrain;
  let test: LabeledData = rawTest;
  let scaling: Scaling = 'minmax';
  if (loaded.kind === 'csv') {
    const d = rawTrain.featureShape.reduce((a, b) => a * b, 1);
    const scaler = fitScaler(rawTrain.x, d, options.scaling ?? 'auto');
    scaling = scaler.scaling;
    train = { ...rawTrain, x: scaler.transform(rawTrain.x) };
    test = { ...rawTest, x: scaler.transform(rawTest.x) };
  } else if (options.scaling !== undefined && options.scaling !== 'auto' && options.scaling !== 'minmax') {
    throw new OptionsError({
      optionsType: 'TrainJobOptions',
      field: 'scaling',
      expected: "'auto' or 'minmax' for images (pixels are intensities in [0, 1])",
      received: options.scaling,
    });
  }
  const estimator: Estimator = createEstimator(options.spec);
  try {
    const epochs = typeof options.spec.epochs === 'number' ? options.spec.epochs : undefined;
    const fit = (await estimator.fit(train, {
      rng: rng.fork('fit'),
      ...(options.signal ? { signal: options.signal } : {}),
      onEpochEnd: (log) =>
        options.onProgress?.({
          type: 'task',
          task: `train ${estimator.name}`,
          done: log.epoch,
          ...(epochs !== undefined ? { total: epochs } : {}),
          message: `loss ${log.loss.toFixed(4)}${log.valLoss !== undefined ? ` val ${log.valLoss.toFixed(4)}` : ''}`,
        }),
    })) as TrainResult;
    const trainMetrics = await estimator.score(train);
    const testMetrics = test.y.length > 0 ? await estimator.score(test) : emptyMetrics();
    const { data, ...rest } = loaded;
    return {
      backend,
      dataset: { ...rest, samples: data.y.length, classes: data.classes, featureShape: data.featureShape },
      trainSamples: train.y.length,
      testSamples: test.y.length,
      scaling,
      estimator: estimator.name,
      spec: estimator.getParams(),
      fit,
      train: trainMetrics,
      test: testMetrics,
    };
  } finally {
    estimator.dispose();
  }
}

function emptyMetrics(): Metrics {
  return { accuracy: Number.NaN, balancedAccuracy: Number.NaN, macroF1: Number.NaN, logLoss: Number.NaN };
}
