import { AbortError, type EpochLog, type FitResult, type LabeledData, type Rng } from '@growset/core';
import * as tf from '@tensorflow/tfjs';
import type { Network } from '../models/network.ts';
import { disposeSnapshot } from '../models/network.ts';
import type { Convergence, EarlyStopping, Epochs, OptimizerName } from '../models/spec.ts';
import { Optimizer } from './optimizer.ts';
import { lossWeights, targetMatrix } from './weights.ts';

/** What the loop needs from a spec. */
export interface LoopSettings {
  /** A number of epochs, or `auto`: see {@link epochBudget}. */
  epochs: Epochs;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerName;
  earlyStopping: false | EarlyStopping;
  convergence: false | Convergence;
  schedule: 'constant' | 'cosine';
  classWeight?: 'balanced' | number[] | undefined;
  l1: number;
  l2: number;
}

export interface LoopOptions {
  rng: Rng;
  validation?: LabeledData | undefined;
  signal?: AbortSignal | undefined;
  onEpochEnd?: ((log: EpochLog) => void) | undefined;
  /** Fresh data per epoch (same rows, classes and shape as `data`), see core's FitOptions. */
  epochData?: ((epoch: number) => LabeledData | Promise<LabeledData>) | undefined;
}

/**
 * Why a fit stopped: `converged` (the training objective stopped improving by `tol` for `patience`
 * epochs, or the solver's gradient tolerance was met), `budget` (the epoch budget ran out first),
 * `validation` (early stopping on the validation loss), `error` (the loss became NaN or infinite).
 */
export type StopReason = 'converged' | 'budget' | 'validation' | 'error';

/** Epochs when `epochs` is `auto`: at least this many... */
export const AUTO_EPOCHS = 200;
/** ...and at least this many gradient steps, so the budget does not shrink with the data. */
export const AUTO_MIN_STEPS = 2000;

/**
 * The epoch budget: a number of epochs as given, or for `auto` 200 epochs (scikit-learn's
 * `max_iter` for its MLP) raised to at least 2,000 gradient steps when the data is small (20 rows
 * at batch 32 is one step per epoch: 200 epochs would be 200 steps).
 */
export function epochBudget(epochs: Epochs, stepsPerEpoch: number): number {
  if (epochs !== 'auto') return epochs;
  return Math.max(AUTO_EPOCHS, Math.ceil(AUTO_MIN_STEPS / Math.max(1, stepsPerEpoch)));
}

/** A fit's outcome; `error` is set when training stopped on a non-finite loss. */
export interface TrainResult extends FitResult {
  /** Why training stopped. */
  stopReason: StopReason;
  /** Why training stopped early on a failure (a NaN or infinite loss), with the epoch. */
  error?: string;
  /** Epoch whose weights the model holds (restore-best or last finite epoch). */
  bestEpoch?: number;
}

const EVAL_BATCH = 1024;

/**
 * The training loop. Data is uploaded once; each step gathers its batch by index on the device,
 * runs the network's hand-written forward and backward pass and one fused optimizer step per
 * parameter, and adds the batch loss to a device scalar: nothing is read back until the epoch
 * ends (one read per epoch, plus validation). Every tensor it creates is disposed.
 */
export async function trainNetwork(
  net: Network,
  data: LabeledData,
  settings: LoopSettings,
  options: LoopOptions,
): Promise<TrainResult> {
  const started = performance.now();
  const n = data.y.length;
  const k = data.classes.length;
  const batchSize = Math.min(settings.batchSize, n);
  let x = tf.tensor(data.x, [n, ...data.featureShape], 'float32');
  let targets = tf.tensor2d(targetMatrix(data), [n, k]);
  let weights = tf.tensor1d(lossWeights(data, settings.classWeight));
  /** Replaces the device copy of the training data with an epoch's fresh data. */
  const upload = (fresh: LabeledData, epoch: number) => {
    const width = data.featureShape.reduce((a, b) => a * b, 1);
    if (fresh.y.length !== n || fresh.x.length !== n * width || fresh.classes.length !== k) {
      throw new Error(
        `epochData(${epoch}) returned ${fresh.y.length} rows of ${fresh.x.length / Math.max(1, fresh.y.length)} features and ${fresh.classes.length} classes; expected ${n} rows of ${width} features and ${k} classes, like the data given to fit`,
      );
    }
    x.dispose();
    targets.dispose();
    weights.dispose();
    x = tf.tensor(fresh.x, [n, ...data.featureShape], 'float32');
    targets = tf.tensor2d(targetMatrix(fresh), [n, k]);
    weights = tf.tensor1d(lossWeights(fresh, settings.classWeight));
  };
  const val = options.validation ? uploadValidation(options.validation) : undefined;
  const optimizer = new Optimizer(
    { name: settings.optimizer, learningRate: settings.learningRate, l1: settings.l1, l2: settings.l2 },
    net.params,
    net.regularized,
  );
  const stepsPerEpoch = Math.ceil(n / batchSize);
  const maxEpochs = epochBudget(settings.epochs, stepsPerEpoch);
  const totalSteps = stepsPerEpoch * maxEpochs;
  // Fresh data every epoch makes the epoch's training loss noisy: convergence then watches the
  // loss on the fixed training data given to fit (in eval mode), never the augmented rows.
  const fixed = options.epochData ? uploadValidation(data) : undefined;
  const learningRateAt = (step: number) =>
    settings.schedule === 'cosine'
      ? settings.learningRate * 0.5 * (1 + Math.cos((Math.PI * step) / totalSteps))
      : settings.learningRate;
  const history: EpochLog[] = [];
  const stopping = settings.earlyStopping;
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let bestSnapshot: tf.Tensor[][] | undefined;
  let lastGood: tf.Tensor[][] | undefined;
  let waited = 0;
  let bestObjective = Number.POSITIVE_INFINITY;
  let stalled = 0;
  let stopReason: StopReason = 'budget';
  let stoppedEarly = false;
  let error: string | undefined;
  let trainMs = 0;
  let epochsRun = 0;
  try {
    for (let epoch = 1; epoch <= maxEpochs; epoch++) {
      if (options.signal?.aborted)
        throw new AbortError('Training was aborted', { cause: options.signal.reason });
      if (options.epochData) upload(await options.epochData(epoch), epoch);
      const epochStart = performance.now();
      const epochRng = options.rng.fork(`epoch-${epoch}`);
      const order = new Int32Array(epochRng.permutation(n).buffer);
      let lossSum: tf.Tensor = tf.scalar(0);
      for (let start = 0, step = 0; start < n; start += batchSize, step++) {
        const end = Math.min(n, start + batchSize);
        const grads = tf.tidy(() => {
          const index = tf.tensor1d(order.subarray(start, end), 'int32');
          const result = net.step(
            tf.gather(x, index),
            tf.gather(targets, index),
            tf.gather(weights, index),
            epochRng.fork(`step-${step}`),
          );
          const total = tf.keep(tf.add(lossSum, result.lossSum));
          lossSum.dispose();
          lossSum = total;
          return result.grads;
        });
        net.params = optimizer.apply(net.params, grads, learningRateAt(step + (epoch - 1) * stepsPerEpoch));
      }
      const loss = (await lossSum.data())[0]! / n;
      lossSum.dispose();
      trainMs += performance.now() - epochStart;
      epochsRun = epoch;
      const log: EpochLog = { epoch, loss };
      if (val) Object.assign(log, evaluate(net, val));
      if (fixed) log.fixedLoss = evaluate(net, fixed).valLoss;
      history.push(log);
      options.onEpochEnd?.(log);
      const monitored = stopping ? (log.valLoss ?? loss) : loss;
      if (!Number.isFinite(loss) || !Number.isFinite(monitored)) {
        const which = Number.isFinite(loss) ? 'validation loss' : 'loss';
        stopReason = 'error';
        error = `Training stopped at epoch ${epoch}: the ${which} became ${Number.isNaN(Number.isFinite(loss) ? monitored : loss) ? 'NaN' : 'infinite'} (try a lower learning rate or standardized features)`;
        const restore = bestSnapshot ?? lastGood;
        if (restore) {
          net.restore(restore);
          error += `; weights restored to epoch ${bestSnapshot ? bestEpoch : epoch - 1}`;
          if (!bestSnapshot) bestEpoch = epoch - 1;
        }
        break;
      }
      // Convergence as scikit-learn's MLP: the objective failed to improve on its best by `tol`
      // for `patience` epochs in a row.
      let converged = false;
      if (settings.convergence) {
        const objective = log.fixedLoss ?? loss;
        if (objective > bestObjective - settings.convergence.tol) stalled++;
        else stalled = 0;
        bestObjective = Math.min(bestObjective, objective);
        converged = stalled >= settings.convergence.patience;
      }
      // Early stopping watches held-out originals only: never the training loss.
      if (!stopping || !val) {
        if (lastGood) disposeSnapshot(lastGood);
        lastGood = net.snapshot();
        bestEpoch = epoch;
      } else if (monitored < best - stopping.minDelta) {
        best = monitored;
        bestEpoch = epoch;
        waited = 0;
        if (bestSnapshot) disposeSnapshot(bestSnapshot);
        bestSnapshot = net.snapshot();
      } else if (++waited >= stopping.patience) {
        stoppedEarly = epoch < maxEpochs;
        stopReason = 'validation';
        break;
      }
      if (converged) {
        stoppedEarly = epoch < maxEpochs;
        stopReason = 'converged';
        break;
      }
    }
    const restoreBest = stopping !== false && stopping.restoreBest;
    if (restoreBest && bestSnapshot && !error && bestEpoch !== epochsRun) net.restore(bestSnapshot);
  } finally {
    x.dispose();
    targets.dispose();
    weights.dispose();
    for (const device of [val, fixed]) {
      device?.x.dispose();
      device?.targets.dispose();
    }
    optimizer.dispose();
    if (bestSnapshot) disposeSnapshot(bestSnapshot);
    if (lastGood) disposeSnapshot(lastGood);
  }
  const wallTimeMs = performance.now() - started;
  return {
    epochs: epochsRun,
    history,
    stoppedEarly,
    wallTimeMs,
    samplesPerSecond: trainMs > 0 ? (n * epochsRun * 1000) / trainMs : 0,
    backend: tf.getBackend(),
    stopReason,
    ...(bestEpoch > 0 ? { bestEpoch } : {}),
    ...(error ? { error } : {}),
  };
}

interface DeviceValidation {
  x: tf.Tensor;
  targets: tf.Tensor;
  n: number;
}

function uploadValidation(data: LabeledData): DeviceValidation {
  const n = data.y.length;
  return {
    x: tf.tensor(data.x, [n, ...data.featureShape], 'float32'),
    targets: tf.tensor2d(targetMatrix(data), [n, data.classes.length]),
    n,
  };
}

/** Validation loss (mean cross-entropy) and accuracy, in eval mode. */
function evaluate(net: Network, val: DeviceValidation): { valLoss: number; valAccuracy: number } {
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < val.n; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, val.n - start);
    const [loss, hits] = tf.tidy(() => {
      const xb = tf.slice(val.x, start, size);
      const tb = tf.slice(val.targets, start, size);
      const logP = tf.logSoftmax(net.logits(xb));
      const l = tf.neg(tf.sum(tf.mul(tb, logP)));
      const h = tf.sum(tf.cast(tf.equal(tf.argMax(logP, 1), tf.argMax(tb, 1)), 'float32'));
      return [l.dataSync()[0]!, h.dataSync()[0]!];
    });
    lossSum += loss;
    correct += hits;
  }
  return { valLoss: lossSum / val.n, valAccuracy: correct / val.n };
}
