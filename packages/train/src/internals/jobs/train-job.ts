import {
  type Estimator,
  formatTable,
  type JobContext,
  type JobResult,
  type JsonObject,
  type LabeledData,
  MemoryQuarantine,
  type Metrics,
  OptionsError,
  type ProgressListener,
  Rng,
} from '@growset/core';
import { type LoadedLabelledDataset, loadLabelledDataset, TabularEncoder } from '@growset/tables';
import { type BackendInfo, type BackendName, describeBackend, initBackend } from '../backend/init.ts';
import { fitScaler, type Scaling } from '../data/scale.ts';
import { stratifiedSplit, subset } from '../data/subset.ts';
import { createEstimator } from '../estimators/registry.ts';
import type { TrainResult } from '../loop/fit.ts';

/** The data set as `growset train` reads it: the shared labelled-dataset loader's, with what was skipped. */
export interface TrainDataset {
  kind: 'images' | 'csv';
  /** Feature names (CSV columns; categorical ones are one-hot encoded) or `pixels`. */
  features: string[];
  /** Rows or files skipped, with why (quarantined while reading, or left out of the data set). */
  skipped: { where: string; reason: string }[];
}

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
  /** Images are resized to this square side. @default the first image's size */
  imageSize?: number;
  /**
   * Scaling of CSV features, fitted on the training split: `standardize`, `minmax`, `none`, or
   * `auto` (min-max for pixel-like intensities, else standardize: see `autoScaling`). Images are
   * always intensities in [0, 1]. @default 'auto'
   */
  scaling?: Scaling | 'auto';
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Called with one line as soon as the backend is chosen. @default logged with the context's logger */
  onBackend?: (line: string) => void;
}

export interface TrainJobResult {
  backend: BackendInfo;
  dataset: TrainDataset & {
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

/**
 * `growset train`: loads an ImageFolder or a CSV file with the shared labelled-dataset loader
 * (categorical columns one-hot encoded and missing values imputed as a study does, both fitted on
 * the training split), splits it (stratified), trains and scores one estimator.
 */
export async function runTrainJob(
  options: TrainJobOptions,
  context: JobContext = {},
): Promise<JobResult & { result: TrainJobResult }> {
  const result = await trainOnce({
    ...options,
    ...(options.signal || !context.signal ? {} : { signal: context.signal }),
    ...(options.onProgress || !context.onProgress ? {} : { onProgress: context.onProgress }),
    onBackend: options.onBackend ?? ((line) => context.logger?.info(`Backend: ${line}`)),
  });
  return { summary: trainSummary(result, options.input), files: {}, text: formatTrainResult(result), result };
}

/** Loads, splits (stratified), trains and scores one estimator. */
async function trainOnce(options: TrainJobOptions): Promise<TrainJobResult> {
  const backend = await initBackend({ backend: options.backend ?? 'auto' });
  options.onBackend?.(describeBackend(backend));
  const quarantine = new MemoryQuarantine();
  const loaded = await loadLabelledDataset(options.input, {
    label: options.label ?? 'label',
    image: {
      channels: 1,
      ...(options.imageSize === undefined ? {} : { width: options.imageSize, height: options.imageSize }),
    },
    quarantine,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const skipped = [
    ...quarantine.records.map((r) => ({
      where: r.source?.file
        ? `${r.source.file}${r.source.line === undefined ? '' : ` line ${r.source.line}`}`
        : r.id,
      reason: `${r.reason}${r.detail ? `: ${r.detail}` : ''}`,
    })),
    ...loaded.excluded.map((e) => ({ where: e.id, reason: e.reason })),
  ];
  const rng = Rng.create(options.seed);
  const {
    all,
    train: rawTrain,
    test: rawTest,
    features,
  } = splitLoaded(loaded, options.testFraction ?? 0.2, rng);
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
  const dataset = { kind: loaded.kind, features, skipped };
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
    return {
      backend,
      dataset: { ...dataset, samples: all.y.length, classes: all.classes, featureShape: all.featureShape },
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

/**
 * The loaded data as features and a stratified train/test split. Images are intensities in
 * [0, 1]; a table is split first (on the labels alone) and then encoded with a
 * {@link TabularEncoder} fitted on the training rows only (one-hot categories, missing numbers
 * take the training mean), unscaled: the job scales afterwards.
 */
function splitLoaded(
  loaded: LoadedLabelledDataset,
  testFraction: number,
  rng: Rng,
): { all: LabeledData; train: LabeledData; test: LabeledData; features: string[] } {
  const { data } = loaded;
  const classes = data.classes;
  const index = new Map(classes.map((c, i) => [c, i]));
  const y = Int32Array.from(data.labels, (l) => index.get(l)!);
  const n = y.length;
  const order: LabeledData = {
    x: Float32Array.from({ length: n }, (_, i) => i),
    y,
    classes,
    featureShape: [1],
  };
  const parts = stratifiedSplit(order, testFraction, rng.fork('split'));
  if (data.image) {
    const { width, height, channels, pixels } = data.image;
    const x = new Float32Array(pixels.length);
    for (let i = 0; i < pixels.length; i++) x[i] = pixels[i]! / 255;
    const all: LabeledData = { x, y, classes, featureShape: [height, width, channels] };
    return {
      all,
      train: subset(all, [...parts.train.x]),
      test: subset(all, [...parts.test.x]),
      features: ['pixels'],
    };
  }
  const table = data.table!;
  const rowsOf = (part: LabeledData) => Array.from(part.x, (i) => table.rows[i]!);
  const encoder = TabularEncoder.fit(table.columns, rowsOf(parts.train), 'none');
  const encode = (part: LabeledData): LabeledData => ({
    x: encoder.transform(rowsOf(part)),
    y: part.y,
    classes,
    featureShape: [encoder.width],
  });
  return {
    all: { x: new Float32Array(0), y, classes, featureShape: [encoder.width] },
    train: encode(parts.train),
    test: encode(parts.test),
    features: table.columns.map((c) => c.name),
  };
}

/** The JSON summary of a training run (the last stdout line of `growset train --json`). */
function trainSummary(result: TrainJobResult, input: string): JsonObject {
  return {
    backend: result.backend.name,
    backendInfo: { ...result.backend } as unknown as JsonObject,
    model: result.estimator,
    spec: result.spec,
    input,
    kind: result.dataset.kind,
    classes: [...result.dataset.classes],
    samples: {
      total: result.dataset.samples,
      train: result.trainSamples,
      test: result.testSamples,
      skipped: result.dataset.skipped.length,
    },
    skipped: result.dataset.skipped.slice(0, 100),
    samplesPerSecond: result.fit.samplesPerSecond ?? 0,
    scaling: result.scaling,
    epochs: result.fit.epochs,
    stoppedEarly: result.fit.stoppedEarly,
    stopReason: result.fit.stopReason,
    wallTimeMs: result.fit.wallTimeMs,
    ...(result.fit.error ? { error: result.fit.error } : {}),
    train: result.train as unknown as JsonObject,
    test: result.test as unknown as JsonObject,
  };
}

/** The terminal text of a training run: backend, data, model, metrics and the test confusion matrix. */
function formatTrainResult(result: TrainJobResult): string {
  const row = (name: string, m: Metrics) => [
    name,
    m.accuracy.toFixed(4),
    m.balancedAccuracy.toFixed(4),
    m.macroF1.toFixed(4),
    m.logLoss.toFixed(4),
  ];
  const sps = result.fit.samplesPerSecond ?? 0;
  return [
    `Backend: ${result.backend.name}`,
    `Data: ${result.dataset.samples} samples (${result.dataset.kind}, features [${result.dataset.featureShape.join(', ')}], ${result.dataset.classes.length} classes), ${result.dataset.skipped.length} skipped; train ${result.trainSamples}, test ${result.testSamples}`,
    `Model: ${result.estimator}, ${result.fit.epochs} epoch(s) (${result.fit.stopReason}), features: ${result.scaling}, ${Math.round(sps)} samples/s, ${(result.fit.wallTimeMs / 1000).toFixed(2)} s`,
    ...(result.fit.error ? [`Warning: ${result.fit.error}`] : []),
    ...result.dataset.skipped.slice(0, 5).map((s) => `Skipped ${s.where}: ${s.reason}`),
    '',
    formatTable(
      ['split', 'accuracy', 'balanced acc', 'macro F1', 'log loss'],
      [row('train', result.train), row('test', result.test)],
    ),
    '',
    'Test confusion matrix (rows: true, columns: predicted):',
    formatTable(
      ['', ...result.dataset.classes],
      (result.test.confusion ?? []).map((r, i) => [result.dataset.classes[i] ?? String(i), ...r]),
    ),
  ].join('\n');
}
