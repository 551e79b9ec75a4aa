import {
  accuracy,
  balancedAccuracy,
  carveValidation,
  confusionMatrix,
  derive,
  type Estimator,
  errorMessage,
  type FitResult,
  type JsonObject,
  type LabeledData,
  logLoss,
  type Metrics,
  macroF1,
  type RawImage,
  Rng,
  rootIds,
  type Sample,
  type SoftLabel,
  type TabularPayload,
} from '@growset/core';
import { encodePredictions } from './compare.ts';
import type { StudyData } from './dataset.ts';
import { originalImage, type Scaling, TabularEncoder, writeImageFeatures } from './features.ts';
import type { LoadedPlugins } from './plugins.ts';
import {
  type SplitMetrics,
  STOP_REASONS,
  type StopReason,
  type ThresholdSpec,
  type TrialRecord,
  type VariantSpec,
} from './types.ts';

/** Fixed per study: the data, the held-out test set and each seed's nested training order. */
export interface StudyPlan {
  studySeed: number;
  /** One entry per outer test split (disjoint test sets); most studies have one. */
  splits: SplitPlan[];
  validationFraction: number;
  /** Scaling of numeric table features (decided once per study; images: `minmax`). */
  scaling: Scaling;
}

/** One outer split: its held-out test originals and, per seed, its pool's nested order. */
export interface SplitPlan {
  testIndices: number[];
  /** Per seed, the pool in nested stratified order (a training subset of size n is its first n). */
  orders: { [seed: string]: number[] };
}

export interface TrialTask {
  variant: VariantSpec;
  trainSize: number;
  seed: number;
  /** Outer test split. @default 0 */
  split?: number;
}

/** `variant/size/seed`, with `/split` appended for splits after the first. */
export function trialKey(
  task: Pick<TrialTask, 'trainSize' | 'seed' | 'split'> & { variant: { name: string } | string },
): string {
  const name = typeof task.variant === 'string' ? task.variant : task.variant.name;
  return `${name}/${task.trainSize}/${task.seed}${task.split ? `/${task.split}` : ''}`;
}

/** One training example as fitted: its features come from an image or a row. */
interface FitItem {
  sample: Sample<RawImage | TabularPayload>;
}

const pick = (m: Metrics): SplitMetrics => ({
  accuracy: m.accuracy,
  balancedAccuracy: m.balancedAccuracy,
  macroF1: m.macroF1,
  logLoss: m.logLoss,
});

/**
 * Runs one trial: takes the seed's first `trainSize` originals, carves validation originals for
 * early stopping, augments only the rest, fits a fresh estimator and scores it on the training
 * originals and on the fixed test set. Failures are returned as a record with `ok: false`.
 */
export async function runTrial(
  data: StudyData,
  plan: StudyPlan,
  plugins: LoadedPlugins,
  task: TrialTask,
): Promise<TrialRecord> {
  const started = performance.now();
  const key = trialKey(task);
  const splitIndex = task.split ?? 0;
  const base = {
    key,
    variant: task.variant.name,
    trainSize: task.trainSize,
    seed: task.seed,
    ...(splitIndex > 0 ? { split: splitIndex } : {}),
  };
  let estimator: Estimator | undefined;
  try {
    const outer = plan.splits[splitIndex];
    if (!outer) throw new Error(`no test split ${splitIndex}`);
    const order = outer.orders[String(task.seed)];
    if (!order) throw new Error(`no training order for seed ${task.seed}`);
    if (task.trainSize > order.length) {
      throw new Error(
        `training size ${task.trainSize} exceeds the ${order.length} originals outside the test set`,
      );
    }
    const root = Rng.create(plan.studySeed);
    // The split depends on size and seed only, so every variant sees the same originals.
    const splitRng = root.fork(
      splitIndex > 0
        ? `split:${splitIndex}:${task.trainSize}:${task.seed}`
        : `split:${task.trainSize}:${task.seed}`,
    );
    const trialRng = root.fork(`trial:${key}`);
    const subset = order.slice(0, task.trainSize);
    const { fit, validation } = carveValidation(data.labels, subset, plan.validationFraction, splitRng);

    const originals = fit.map((i) => originalSample(data, i));
    const spec = task.variant.augment;
    const perEpoch = spec?.kind === 'image' && spec.perEpoch === true;
    // Fixed copies are made once; per-epoch versions are made by the fit, epoch by epoch.
    const fitted = perEpoch
      ? originals
      : await augment(data, originals, task.variant, plugins, trialRng.fork('augment'));
    const classIndex = new Map(data.classes.map((c, k) => [c, k]));
    const encoder =
      data.task === 'tabular'
        ? TabularEncoder.fit(
            data.table!.columns,
            fit.map((i) => data.table!.rows[i]!),
            plan.scaling,
          )
        : undefined;
    const encode = (items: readonly FitItem[]): LabeledData =>
      toLabeledData(data, items, classIndex, encoder);

    estimator = plugins.estimator(task.variant.model);
    const validationData =
      validation.length > 0
        ? encode(validation.map((i) => ({ sample: originalSample(data, i) })))
        : undefined;
    const trainData = encode(fitted.map((sample) => ({ sample })));
    const roots = new Set<string>();
    for (const s of fitted) for (const r of rootIds(s)) roots.add(r);
    let epochSamples = 0;
    const epochData = perEpoch
      ? async (epoch: number) => {
          const versions = await augmentEpoch(
            originals,
            spec.recipe,
            plugins,
            trialRng.fork(`epoch-${epoch}`),
            epoch,
          );
          for (const s of versions) for (const r of rootIds(s)) roots.add(r);
          epochSamples += versions.length;
          return encode(versions.map((sample) => ({ sample })));
        }
      : undefined;
    const result: FitResult = await estimator.fit(trainData, {
      rng: trialRng.fork('fit'),
      ...(validationData ? { validation: validationData } : {}),
      ...(epochData ? { epochData } : {}),
    });
    const trainOriginals = encode(originals.map((sample) => ({ sample })));
    const testData = encode(outer.testIndices.map((i) => ({ sample: originalSample(data, i) })));
    let trainMetrics: SplitMetrics;
    let testMetrics: SplitMetrics;
    let testPredicted: Int32Array;
    let threshold: TrialRecord['threshold'];
    if (task.variant.threshold) {
      // Tuned on validation originals (else the training originals), never on the test set.
      const spec = task.variant.threshold;
      const positive = positiveClass(data, spec);
      const held = validationData ?? trainOriginals;
      const choice = plugins.thresholdTuner!(await estimator.predictProba(held), held.y, {
        metric: spec.metric ?? 'balancedAccuracy',
        positive,
      });
      threshold = {
        value: choice.threshold,
        positive: data.classes[positive]!,
        metric: choice.metric,
        on: validationData ? 'validation' : 'train',
        score: choice.score,
        scoreAtHalf: choice.scoreAtHalf,
      };
      const decide = async (d: LabeledData) =>
        thresholdedMetrics(d.y, await estimator!.predictProba(d), choice.threshold, positive);
      trainMetrics = (await decide(trainOriginals)).metrics;
      const test = await decide(testData);
      testMetrics = test.metrics;
      testPredicted = test.predictions;
    } else {
      trainMetrics = pick(await estimator.score(trainOriginals));
      testMetrics = pick(await estimator.score(testData));
      testPredicted = await estimator.predict(testData);
    }
    const testPredictions = encodePredictions(testPredicted, data.classes.length);
    return {
      ...base,
      ok: true,
      train: trainMetrics,
      test: testMetrics,
      fittedSamples: perEpoch ? epochSamples / Math.max(1, result.epochs) : fitted.length,
      validationSize: validation.length,
      epochs: result.epochs,
      stoppedEarly: result.stoppedEarly,
      stopReason: stopReasonOf(result),
      history: result.history,
      wallTimeMs: Math.round(performance.now() - started),
      ...(result.samplesPerSecond === undefined
        ? {}
        : { samplesPerSecond: Math.round(result.samplesPerSecond) }),
      ...(result.backend === undefined ? {} : { backend: result.backend }),
      trainRoots: [...roots].sort(),
      testPredictions,
      ...(result.error ? { fitError: result.error } : {}),
      ...(threshold ? { threshold } : {}),
    };
  } catch (error) {
    return {
      ...base,
      ok: false,
      stopReason: 'error',
      wallTimeMs: Math.round(performance.now() - started),
      error: errorMessage(error),
    };
  } finally {
    estimator?.dispose();
  }
}

/** Index of a threshold variant's positive class: the one named, else the study's rarer class. */
function positiveClass(data: StudyData, spec: ThresholdSpec): number {
  if (spec.positive !== undefined) return data.classes.indexOf(spec.positive);
  const counts = [0, 0];
  for (const label of data.labels) counts[data.classes.indexOf(label)]! += 1;
  return counts[0]! < counts[1]! ? 0 : 1;
}

/** Metrics of binary predictions under a decision threshold on the `positive` class's probability. */
function thresholdedMetrics(
  y: Int32Array,
  proba: Float32Array,
  threshold: number,
  positive: number,
): { metrics: SplitMetrics; predictions: Int32Array } {
  const predictions = Int32Array.from({ length: y.length }, (_, i) =>
    proba[i * 2 + positive]! >= threshold ? positive : 1 - positive,
  );
  const confusion = confusionMatrix(y, predictions, 2);
  return {
    metrics: {
      accuracy: accuracy(y, predictions),
      balancedAccuracy: balancedAccuracy(confusion),
      macroF1: macroF1(confusion),
      logLoss: logLoss(y, proba, 2),
    },
    predictions,
  };
}

/**
 * Why the fit stopped: the estimator's own `stopReason` when it reports one (growset's networks
 * and ensembles do), else `error` for a survived failure, `converged` for a one-pass model (kNN,
 * majority: nothing left to train) or one that stopped on its own, and `budget` otherwise.
 */
function stopReasonOf(result: FitResult): StopReason {
  const reported = (result as { stopReason?: unknown }).stopReason;
  if (typeof reported === 'string' && (STOP_REASONS as readonly string[]).includes(reported))
    return reported as StopReason;
  if (result.error) return 'error';
  return result.epochs <= 1 || result.stoppedEarly ? 'converged' : 'budget';
}

export function originalSample(data: StudyData, index: number): Sample<RawImage | TabularPayload> {
  const id = data.ids[index]!;
  const label = data.labels[index]!;
  if (data.task === 'image') return { id, label, payload: originalImage(data, index), lineage: [] };
  const columns = data.table!.columns;
  const row = data.table!.rows[index]!;
  const values: { [column: string]: (typeof row)[number] } = {};
  columns.forEach((c, k) => {
    values[c.name] = row[k]!;
  });
  return { id, label, payload: { kind: 'tabular', values }, lineage: [] };
}

async function augment(
  data: StudyData,
  originals: Sample<RawImage | TabularPayload>[],
  variant: VariantSpec,
  plugins: LoadedPlugins,
  rng: Rng,
): Promise<Sample<RawImage | TabularPayload>[]> {
  const spec = variant.augment;
  if (!spec) return originals;
  if (spec.kind === 'image') {
    if (data.task !== 'image') throw new Error(`variant ${variant.name}: image augmentation on a table`);
    const augmenter = plugins.imageAugmenter!;
    const out: Sample<RawImage | TabularPayload>[] = [...originals];
    for (const original of originals) {
      for (let k = 0; k < spec.copies; k++) {
        const result = await augmenter(
          spec.recipe,
          original.payload as RawImage,
          rng.fork(`${original.id}:${k}`),
        );
        const image = 'kind' in result ? result : result.image;
        const params = 'kind' in result ? undefined : result.params;
        out.push(
          derive(original, {
            id: `${original.id}~aug${k}`,
            op: 'augment-image',
            ...(params === undefined ? {} : { params }),
            payload: image,
          }),
        );
      }
    }
    return out;
  }
  if (data.task !== 'tabular') throw new Error(`variant ${variant.name}: tabular augmentation on images`);
  const result = await plugins.tabularAugmenter!(
    originals as Sample<TabularPayload>[],
    { method: spec.method, ...(spec.options ?? {}) } as JsonObject,
    rng,
  );
  return [
    ...(Array.isArray(result) ? result : (result as { samples: readonly Sample<TabularPayload>[] }).samples),
  ];
}

/** One fresh augmented version of every training original, for one epoch. */
async function augmentEpoch(
  originals: readonly Sample<RawImage | TabularPayload>[],
  recipe: JsonObject,
  plugins: LoadedPlugins,
  rng: Rng,
  epoch: number,
): Promise<Sample<RawImage | TabularPayload>[]> {
  const augmenter = plugins.imageAugmenter!;
  const out: Sample<RawImage | TabularPayload>[] = [];
  for (const original of originals) {
    const result = await augmenter(recipe, original.payload as RawImage, rng.fork(original.id));
    const image = 'kind' in result ? result : result.image;
    out.push(derive(original, { id: `${original.id}~epoch${epoch}`, op: 'augment-image', payload: image }));
  }
  return out;
}

export function toLabeledData(
  data: StudyData,
  items: readonly FitItem[],
  classIndex: ReadonlyMap<string, number>,
  encoder: TabularEncoder | undefined,
): LabeledData {
  const n = items.length;
  const k = data.classes.length;
  const y = new Int32Array(n);
  let yProb: Float32Array | undefined;
  items.forEach(({ sample }, i) => {
    const label = sample.label;
    if (typeof label === 'string') {
      const index = classIndex.get(label);
      if (index === undefined)
        throw new Error(`sample ${sample.id} has label ${JSON.stringify(label)}, unknown to the study`);
      y[i] = index;
      if (yProb) yProb[i * k + index] = 1;
    } else if (label !== undefined) {
      yProb ??= oneHot(y.subarray(0, i), k, n);
      let best = 0;
      let bestWeight = Number.NEGATIVE_INFINITY;
      for (const [name, weight] of Object.entries(label as SoftLabel)) {
        const index = classIndex.get(name);
        if (index === undefined) continue;
        yProb[i * k + index] = weight;
        if (weight > bestWeight) {
          bestWeight = weight;
          best = index;
        }
      }
      y[i] = best;
    } else throw new Error(`sample ${sample.id} has no label`);
  });
  if (data.task === 'image') {
    const { width, height, channels } = data.image!;
    const size = width * height * channels;
    const x = new Float32Array(n * size);
    items.forEach(({ sample }, i) => {
      const image = sample.payload as RawImage;
      if (image.width !== width || image.height !== height || image.channels !== channels) {
        throw new Error(
          `sample ${sample.id} is ${image.width}x${image.height}x${image.channels}, expected ${width}x${height}x${channels}`,
        );
      }
      writeImageFeatures(image, x, i * size);
    });
    return {
      x,
      featureShape: [height, width, channels],
      y,
      classes: data.classes,
      ...(yProb ? { yProb } : {}),
    };
  }
  const columns = data.table!.columns;
  const rows = items.map(({ sample }) => {
    const values = (sample.payload as TabularPayload).values;
    return columns.map((c) => values[c.name] ?? null);
  });
  const x = encoder!.transform(rows);
  return { x, featureShape: [encoder!.width], y, classes: data.classes, ...(yProb ? { yProb } : {}) };
}

function oneHot(y: Int32Array, k: number, n: number): Float32Array {
  const out = new Float32Array(n * k);
  y.forEach((c, i) => {
    out[i * k + c] = 1;
  });
  return out;
}
