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
import { stratifiedSplit } from '../data/split.ts';
import { alignLabels } from '../data/validate.ts';
import { type TrainResult, trainNetwork } from '../loop/fit.ts';
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

  clone(): NeuralEstimator {
    return new NeuralEstimator(this.getParams());
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
    const result = await trainNetwork(
      net,
      train,
      {
        epochs: spec.epochs,
        batchSize: spec.batchSize,
        learningRate: spec.learningRate,
        optimizer: spec.optimizer,
        earlyStopping: spec.earlyStopping,
        schedule: spec.schedule,
        classWeight: spec.classWeight,
        l1: spec.l1,
        l2: spec.l2,
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
