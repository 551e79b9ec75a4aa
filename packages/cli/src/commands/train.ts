import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JsonObject } from '@growset/core';
import {
  BACKENDS,
  type BackendName,
  estimatorNames,
  MODELS,
  runTrainJob,
  SCALINGS,
  type Scaling,
} from '@growset/train';
import { defineCommand, intOption, listOption, numberOption, stringOption, UsageError } from '../command.ts';

// The built-in models flags can describe (ensembles need nested specs), plus every estimator a
// user registered with `registerEstimator` before the command ran (e.g. `node --import`).
const BUILT_IN_CLI_MODELS = ['mlp', 'cnn', 'logistic', 'knn', 'majority'];
const cliModels = () => [...BUILT_IN_CLI_MODELS, ...estimatorNames().filter((m) => !MODELS.includes(m))];

export const trainCommand = defineCommand({
  name: 'train',
  summary: 'train and evaluate a model on an ImageFolder or a CSV file (TensorFlow.js)',
  usage:
    '<imagefolder | file.csv> --model mlp|cnn|logistic|knn|majority [--label COL] [--hidden 128,64] [--conv 8,16] [--epochs N] [--batch N] [--test-fraction F] --seed S [--json]',
  details: `
Splits the data (stratified) into train and test, trains on the train part and prints the
backend, samples per second, and train and test metrics (accuracy, balanced accuracy, macro-F1,
log loss, confusion matrix). CSV: numeric feature columns plus the --label column; features
are scaled with the training split's statistics (--scale). ImageFolder: <dir>/<class>/<image>,
read as grey pixels in [0, 1] (--image-size resizes). The backend is @tensorflow/tfjs-node when
installed, else WebAssembly, else cpu (--backend or GROWSET_BACKEND forces one).`,
  positionals: { min: 1, max: 1 },
  options: {
    model: {
      type: 'string',
      value: 'NAME',
      description: `model: ${BUILT_IN_CLI_MODELS.join(', ')}, or one you registered`,
      default: 'mlp',
    },
    label: { type: 'string', value: 'COL', description: 'CSV column holding the class', default: 'label' },
    hidden: { type: 'string', value: 'N,N', description: 'hidden layer widths (mlp)', default: '128,64' },
    conv: {
      type: 'string',
      value: 'N,N',
      description: 'filters of each 3x3 conv layer (cnn)',
      default: '8,16',
    },
    epochs: {
      type: 'string',
      value: 'N',
      description: 'maximum epochs (auto: 200 and at least 2,000 steps, stopped at convergence)',
      default: 'auto',
    },
    scale: {
      type: 'string',
      value: 'HOW',
      description: `CSV feature scaling: auto (min-max for pixel-like intensities, else standardize), ${SCALINGS.join(', ')}`,
      default: 'auto',
    },
    batch: { type: 'string', value: 'N', description: 'batch size', default: '32' },
    'learning-rate': {
      type: 'string',
      value: 'F',
      description: 'learning rate',
      default: '1e-3 (logistic 0.01)',
    },
    dropout: { type: 'string', value: 'F', description: 'dropout rate (mlp, cnn)', default: '0' },
    l2: { type: 'string', value: 'F', description: 'L2 penalty on weights', default: '0 (logistic: C=1)' },
    k: { type: 'string', value: 'N', description: 'neighbours (knn)', default: '5' },
    'test-fraction': { type: 'string', value: 'F', description: 'held-out test fraction', default: '0.2' },
    'image-size': {
      type: 'string',
      value: 'N',
      description: 'resize images to N x N',
      default: 'first image',
    },
    backend: { type: 'string', value: 'NAME', description: `auto, ${BACKENDS.join(', ')}`, default: 'auto' },
    seed: {
      type: 'string',
      value: 'S',
      description: 'seed of the split, initialization and shuffling',
      default: '0',
    },
  },
  async run(args, io) {
    const input = resolve(io.cwd, args.positionals[0]!);
    if (!existsSync(input))
      throw new UsageError(`Input not found: \`${args.positionals[0]}\` (an ImageFolder or a .csv file)`);
    const model = stringOption(args, 'model') ?? 'mlp';
    const models = cliModels();
    if (!models.includes(model)) {
      throw new UsageError(
        `Unknown --model \`${model}\`: expected one of ${models.join(', ')} (the library also has ${MODELS.filter((m) => !models.includes(m)).join(', ')})`,
      );
    }
    const backend = stringOption(args, 'backend') ?? 'auto';
    if (backend !== 'auto' && !(BACKENDS as readonly string[]).includes(backend)) {
      throw new UsageError(`Unknown --backend \`${backend}\`: expected auto, ${BACKENDS.join(', ')}`);
    }
    const spec: JsonObject = { model };
    const neural = model === 'mlp' || model === 'cnn' || model === 'logistic';
    const applies: [string, boolean, string][] = [
      ['epochs', neural, 'mlp, cnn, logistic'],
      ['batch', neural, 'mlp, cnn, logistic'],
      ['learning-rate', neural, 'mlp, cnn, logistic'],
      ['l2', neural, 'mlp, cnn, logistic'],
      ['dropout', model === 'mlp' || model === 'cnn', 'mlp, cnn'],
    ];
    for (const [flag, ok, models] of applies) {
      if (!ok && stringOption(args, flag) !== undefined)
        throw new UsageError(`--${flag} applies to --model ${models}, not ${model}`);
    }
    if (neural) {
      const epochs = args.values.epochs === 'auto' ? undefined : intOption(args, 'epochs', { min: 1 });
      const batch = intOption(args, 'batch', { min: 1 });
      const lr = numberOption(args, 'learning-rate', { min: 0, exclusiveMin: true });
      const l2 = numberOption(args, 'l2', { min: 0 });
      if (epochs !== undefined) spec.epochs = epochs;
      if (batch !== undefined) spec.batchSize = batch;
      if (lr !== undefined) spec.learningRate = lr;
      if (l2 !== undefined) spec.l2 = l2;
    }
    if (model === 'mlp' || model === 'cnn') {
      const dropout = numberOption(args, 'dropout', { min: 0, max: 0.95 });
      if (dropout !== undefined) spec.dropout = dropout;
    }
    const hidden = listOption(args, 'hidden');
    if (hidden !== undefined) {
      if (model !== 'mlp') throw new UsageError(`--hidden applies to --model mlp, not ${model}`);
      const widths = hidden.map(Number);
      if (widths.length === 0 || !widths.every((w) => Number.isInteger(w) && w > 0)) {
        throw new UsageError(
          `Expected \`--hidden\` to be positive integers separated by commas, got \`${stringOption(args, 'hidden')}\``,
        );
      }
      spec.hidden = widths;
    }
    const conv = listOption(args, 'conv');
    if (conv !== undefined) {
      if (model !== 'cnn') throw new UsageError(`--conv applies to --model cnn, not ${model}`);
      const filters = conv.map(Number);
      if (filters.length === 0 || !filters.every((f) => Number.isInteger(f) && f > 0)) {
        throw new UsageError(
          `Expected \`--conv\` to be positive integers separated by commas, got \`${stringOption(args, 'conv')}\``,
        );
      }
      spec.conv = filters;
    }
    const k = intOption(args, 'k', { min: 1 });
    if (k !== undefined) {
      if (model !== 'knn') throw new UsageError(`--k applies to --model knn, not ${model}`);
      spec.k = k;
    }
    const imageSize = intOption(args, 'image-size', { min: 1, max: 1024 });
    const scaling = stringOption(args, 'scale') ?? 'auto';
    if (scaling !== 'auto' && !(SCALINGS as readonly string[]).includes(scaling))
      throw new UsageError(
        `Expected \`--scale\` to be one of auto, ${SCALINGS.join(', ')}, got \`${scaling}\``,
      );
    const job = await runTrainJob(
      {
        input,
        spec,
        label: stringOption(args, 'label') ?? 'label',
        testFraction: numberOption(args, 'test-fraction', { min: 0, max: 0.9 }) ?? 0.2,
        seed: intOption(args, 'seed', { min: 0, max: 2 ** 31 - 1 }) ?? 0,
        backend: backend as BackendName | 'auto',
        scaling: scaling as Scaling | 'auto',
        ...(imageSize !== undefined ? { imageSize } : {}),
      },
      { signal: io.signal, logger: io.logger, onProgress: io.onProgress },
    );
    return { summary: job.summary, text: job.text };
  },
});
