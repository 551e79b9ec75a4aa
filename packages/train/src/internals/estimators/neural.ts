import {
  type Features,
  type FitOptions,
  type JsonObject,
  type LabeledData,
  OptionsError,
  parseOptions,
} from '@growset/core';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend/init.ts';
import { stratifiedSplit } from '../data/subset.ts';
import { alignLabels } from '../data/validate.ts';
import { type TrainResult, trainNetwork } from '../loop/fit.ts';
import { solveLogistic } from '../loop/lbfgs.ts';
import { lossWeights, targetMatrix } from '../loop/weights.ts';
import { buildLayers, Network } from '../models/network.ts';
import {
  type CnnOptions,
  cnnSchema,
  type LogisticOptions,
  logisticSchema,
  type MlpOptions,
  mlpSchema,
  type NetworkSpec,
} from '../models/spec.ts';
import { BaseEstimator, fitRng } from './base.ts';
import type { EstimatorDefinition } from './registry.ts';

const PREDICT_BATCH = 1024;

const schemas = { mlp: mlpSchema, cnn: cnnSchema, logistic: logisticSchema } as const;
const optionNames = { mlp: 'MlpOptions', cnn: 'CnnOptions', logistic: 'LogisticOptions' } as const;

/**
 * A neural network trained by growset's loop (see `trainNetwork`): `mlp`, `cnn` or `logistic`.
 * Parameters are the validated spec (defaults filled in), so `getParams()` is plain JSON that
 * rebuilds the same estimator in another thread.
 */
export class NeuralEstimator extends BaseEstimator<NetworkSpec & JsonObject> {
  readonly name: string;
  readonly supportsSampleWeight = true;
  readonly spec: NetworkSpec;
  #net: Network | undefined;
  /** The last fit's result (history, backend, error). */
  lastFit: TrainResult | undefined;

  constructor(spec: { model: 'mlp' | 'cnn' | 'logistic' } & JsonObject) {
    const model = spec.model;
    const schema = schemas[model];
    if (!schema) throw new RangeError(`Unknown network model \`${String(model)}\``);
    const parsed = parseOptions(schema, spec, optionNames[model]) as NetworkSpec;
    super(parsed as NetworkSpec & JsonObject);
    this.spec = parsed;
    this.name = parsed.model;
  }

  protected async fitChecked(data: LabeledData, options: FitOptions): Promise<TrainResult> {
    await initBackend();
    const rng = fitRng(options, this.name);
    let train = data;
    let validation = options.validation
      ? {
          ...options.validation,
          y: alignLabels(options.validation, data.classes, 'validation data'),
          classes: data.classes,
        }
      : undefined;
    if (!validation && this.spec.validationSplit > 0 && options.epochData) {
      // Rows carved out of `data` here would not line up with the fresh rows of each epoch.
      throw new OptionsError({
        optionsType: 'FitOptions',
        field: 'epochData',
        expected: 'no epochData with validationSplit > 0 (pass FitOptions.validation instead)',
        received: 'a function',
      });
    }
    if (!validation && this.spec.validationSplit > 0) {
      const split = stratifiedSplit(data, this.spec.validationSplit, rng.fork('validation-split'));
      if (split.test.y.length > 0) {
        train = split.train;
        validation = split.test;
      }
    }
    this.#net?.dispose();
    this.#net = undefined;
    const layers = buildLayers(this.spec, data.featureShape, data.classes.length);
    const net = new Network(layers, rng.fork('init'));
    this.#net = net;
    const spec = this.spec;
    // scikit-learn's C: sum(w^2) / (2 C n) on the mean loss, folded into the L2 strength.
    const l2 =
      spec.model === 'logistic' && spec.C !== false ? spec.l2 + 1 / (2 * spec.C * train.y.length) : spec.l2;
    if (spec.model === 'logistic' && spec.solver === 'lbfgs' && spec.l1 === 0 && !options.epochData) {
      const result = this.#solve(net, train, l2, options.signal);
      this.lastFit = result;
      return result;
    }
    const result = await trainNetwork(
      net,
      train,
      {
        epochs: spec.epochs,
        batchSize: spec.batchSize,
        learningRate: spec.learningRate,
        optimizer: spec.optimizer,
        earlyStopping: spec.earlyStopping,
        convergence: spec.convergence,
        schedule: spec.schedule,
        classWeight: spec.classWeight,
        l1: spec.l1,
        l2,
      },
      {
        rng: rng.fork('loop'),
        validation,
        signal: options.signal,
        onEpochEnd: options.onEpochEnd,
        epochData: options.epochData,
      },
    );
    this.lastFit = result;
    return result;
  }

  /** Logistic regression by full-batch L-BFGS in float64; the solution becomes the network's weights. */
  #solve(net: Network, train: LabeledData, l2: number, signal: AbortSignal | undefined): TrainResult {
    const started = performance.now();
    const spec = this.spec;
    const solution = solveLogistic(
      train,
      targetMatrix(train),
      lossWeights(train, spec.classWeight),
      { l2, maxIterations: spec.epochs === 'auto' ? 200 : spec.epochs },
      signal,
    );
    const [w, b] = net.params as [tf.Tensor, tf.Tensor];
    net.params = [
      tf.keep(tf.tensor(Float32Array.from(solution.weights), w.shape, 'float32')),
      tf.keep(tf.tensor(Float32Array.from(solution.biases), b.shape, 'float32')),
    ];
    w.dispose();
    b.dispose();
    const wallTimeMs = performance.now() - started;
    return {
      epochs: solution.iterations,
      history: solution.history,
      stoppedEarly: solution.stopReason === 'converged',
      stopReason: solution.stopReason,
      wallTimeMs,
      samplesPerSecond: wallTimeMs > 0 ? (train.y.length * solution.iterations * 1000) / wallTimeMs : 0,
      backend: 'js',
      bestEpoch: solution.iterations,
    };
  }

  protected async probaChecked(features: Features, n: number): Promise<Float32Array> {
    const net = this.#net;
    if (!net) throw new Error('The network is not built');
    const k = this.fitted?.classes.length ?? 0;
    const out = new Float32Array(n * k);
    const width = features.featureShape.reduce((a, b) => a * b, 1);
    for (let start = 0; start < n; start += PREDICT_BATCH) {
      const size = Math.min(PREDICT_BATCH, n - start);
      const values = tf.tidy(() => {
        const x = tf.tensor(
          features.x.subarray(start * width, (start + size) * width),
          [size, ...features.featureShape],
          'float32',
        );
        return tf.softmax(net.logits(x)).dataSync();
      });
      out.set(values, start * k);
    }
    return out;
  }

  /** Total trainable parameters (after fit). */
  get parameterCount(): number {
    return this.#net?.parameterCount ?? 0;
  }

  override dispose(): void {
    this.#net?.dispose();
    this.#net = undefined;
    super.dispose();
  }
}

/** A multilayer perceptron estimator. */
export function mlp(options: MlpOptions = {}): NeuralEstimator {
  return new NeuralEstimator({ ...(options as JsonObject), model: 'mlp' });
}

/** A small convolutional network estimator (image features `[h, w, c]`). */
export function cnn(options: CnnOptions = {}): NeuralEstimator {
  return new NeuralEstimator({ ...(options as JsonObject), model: 'cnn' });
}

/** Multinomial logistic regression, trained by the same loop. */
export function logisticRegression(options: LogisticOptions = {}): NeuralEstimator {
  return new NeuralEstimator({ ...(options as JsonObject), model: 'logistic' });
}

const fast = { epochs: 15, batchSize: 16, learningRate: 0.02 };

/** `mlp`, `cnn` and `logistic` in the estimator registry. */
export const neuralDefinitions: readonly EstimatorDefinition[] = [
  {
    name: 'mlp',
    summary: 'multilayer perceptron: dense layers, dropout, batch norm, L1/L2, early stopping',
    optionsType: 'MlpOptions',
    create: (spec) => new NeuralEstimator(spec as { model: 'mlp' } & JsonObject),
    examples: [
      { spec: { model: 'mlp', hidden: [16], ...fast } },
      { spec: { model: 'mlp', hidden: [16, 8], dropout: 0.2, batchNorm: true, l2: 1e-4, ...fast } },
    ],
  },
  {
    name: 'cnn',
    summary: 'small convolutional network for image features [height, width, channels]',
    optionsType: 'CnnOptions',
    create: (spec) => new NeuralEstimator(spec as { model: 'cnn' } & JsonObject),
    examples: [{ spec: { model: 'cnn', conv: [4], dense: [8], dropout: 0.1, ...fast }, data: 'images' }],
  },
  {
    name: 'logistic',
    summary: 'multinomial logistic regression (L-BFGS, or the training loop with L1)',
    optionsType: 'LogisticOptions',
    create: (spec) => new NeuralEstimator(spec as { model: 'logistic' } & JsonObject),
    examples: [{ spec: { model: 'logistic', epochs: 20, learningRate: 0.05 } }],
  },
];
