import { z } from 'zod';

/** Activations the dense and conv layers support (each has a cheap derivative from its output). */
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const OPTIMIZERS = ['adam', 'sgd', 'momentum', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

const earlyStoppingSchema = z.strictObject({
  patience: z.int().min(1).default(5),
  minDelta: z.number().min(0).default(0),
  restoreBest: z.boolean().default(true),
});

const convergenceSchema = z.strictObject({
  tol: z.number().min(0).default(1e-4),
  patience: z.int().min(1).default(10),
});

const epochsSchema = z.union([z.int().min(1).max(100_000), z.literal('auto')]).default('auto');

/** Options shared by every network model (mlp, cnn, logistic). */
export const trainingShape = {
  epochs: epochsSchema,
  batchSize: z.int().min(1).default(32),
  learningRate: z.number().positive().default(1e-3),
  optimizer: z.enum(OPTIMIZERS).default('adam'),
  earlyStopping: z.union([z.literal(false), earlyStoppingSchema]).default(false),
  convergence: z.union([z.literal(false), convergenceSchema]).default({ tol: 1e-4, patience: 10 }),
  classWeight: z.union([z.literal('balanced'), z.array(z.number().min(0).finite())]).optional(),
  validationSplit: z.number().min(0).max(0.5).default(0),
  schedule: z.enum(['constant', 'cosine']).default('constant'),
};

export const mlpSchema = z.strictObject({
  model: z.literal('mlp'),
  hidden: z.array(z.int().min(1)).default([128, 64]),
  activation: z.enum(ACTIVATIONS).default('relu'),
  dropout: z.number().min(0).max(0.95).default(0),
  l1: z.number().min(0).default(0),
  l2: z.number().min(0).default(0),
  batchNorm: z.boolean().default(false),
  ...trainingShape,
});

const convLayerSchema = z.union([
  z.int().min(1),
  z.strictObject({
    filters: z.int().min(1),
    kernel: z.int().min(1).default(3),
    stride: z.int().min(1).default(1),
    padding: z.enum(['valid', 'same']).default('valid'),
  }),
]);

export const cnnSchema = z.strictObject({
  model: z.literal('cnn'),
  conv: z.array(convLayerSchema).min(1).default([8, 16]),
  activation: z.enum(ACTIVATIONS).default('relu'),
  pool: z.enum(['max', 'avg', 'none']).default('max'),
  poolSize: z.int().min(1).default(2),
  dense: z.array(z.int().min(1)).default([]),
  dropout: z.number().min(0).max(0.95).default(0),
  l1: z.number().min(0).default(0),
  l2: z.number().min(0).default(0),
  ...trainingShape,
});

export const logisticSchema = z.strictObject({
  model: z.literal('logistic'),
  l1: z.number().min(0).default(0),
  l2: z.number().min(0).default(0),
  C: z.union([z.number().positive(), z.literal(false)]).default(1),
  solver: z.enum(['lbfgs', 'gradient']).default('lbfgs'),
  ...trainingShape,
  learningRate: z.number().positive().default(0.01),
});

export type MlpSpec = z.output<typeof mlpSchema>;
export type CnnSpec = z.output<typeof cnnSchema>;
export type LogisticSpec = z.output<typeof logisticSchema>;
export type NetworkSpec = MlpSpec | CnnSpec | LogisticSpec;
export type EarlyStopping = z.output<typeof earlyStoppingSchema>;
export type Convergence = z.output<typeof convergenceSchema>;
export type Epochs = number | 'auto';

/** Training options shared by the network models, as given (all optional). */
export interface TrainingOptions {
  /**
   * Maximum passes over the training data (the budget; `convergence` usually stops sooner), or
   * `auto`: 200 epochs and at least 2,000 gradient steps, so small data gets the same number of
   * steps as large data. For logistic regression's `lbfgs` solver, the maximum iterations
   * (`auto`: 200). @default 'auto'
   */
  epochs?: number | 'auto';
  /** Samples per gradient step. @default 32 */
  batchSize?: number;
  /** Step size. @default 1e-3 (0.01 for logistic regression) */
  learningRate?: number;
  /** `adam`, `sgd`, `momentum` (0.9) or `rmsprop`. @default 'adam' */
  optimizer?: OptimizerName;
  /**
   * Stop when the validation loss (`FitOptions.validation`, or `validationSplit > 0`) has not
   * improved by `minDelta` for `patience` epochs; `restoreBest` puts back the best epoch's
   * weights. Without validation data it does nothing (the training loss is not held-out
   * evidence; `convergence` decides). @default false
   */
  earlyStopping?: false | { patience?: number; minDelta?: number; restoreBest?: boolean };
  /**
   * Stop when the training objective has not improved on its best by `tol` for `patience`
   * epochs in a row (scikit-learn's MLP: `tol` 1e-4, `n_iter_no_change` 10). The objective is the
   * epoch's mean training loss, or, when the data changes every epoch (`FitOptions.epochData`),
   * the loss on the fixed data given to fit. `false`: run the whole budget.
   * @default { tol: 1e-4, patience: 10 }
   */
  convergence?: false | { tol?: number; patience?: number };
  /** Per-class loss weights, or `balanced` (n / (classes * count)). Multiplies sample weights. */
  classWeight?: 'balanced' | number[];
  /** Fraction of the training data held out (stratified) for early stopping when no validation set is given. @default 0 */
  validationSplit?: number;
  /** Learning-rate schedule over the planned steps: `constant`, or `cosine` decay to 0. @default 'constant' */
  schedule?: 'constant' | 'cosine';
}

/** A multilayer perceptron. */
export interface MlpOptions extends TrainingOptions {
  /** Hidden layer widths. @default [128, 64] */
  hidden?: number[];
  /** @default 'relu' */
  activation?: Activation;
  /** Dropout rate after each hidden layer. @default 0 */
  dropout?: number;
  /** L1 penalty on weights (not biases). @default 0 */
  l1?: number;
  /** L2 penalty on weights (not biases), as `l2 * sum(w^2)`. @default 0 */
  l2?: number;
  /** Batch normalization before each hidden activation. @default false */
  batchNorm?: boolean;
}

/** A convolution layer: a filter count (3x3, stride 1, valid) or the full form. */
export type ConvLayerOptions =
  | number
  | { filters: number; kernel?: number; stride?: number; padding?: 'valid' | 'same' };

/** A small convolutional network: conv (+ pool) blocks, flatten, dense layers, softmax. */
export interface CnnOptions extends TrainingOptions {
  /** Convolution layers. @default [8, 16] */
  conv?: ConvLayerOptions[];
  /** @default 'relu' */
  activation?: Activation;
  /** Pooling after each convolution. @default 'max' */
  pool?: 'max' | 'avg' | 'none';
  /** Pooling window and stride. @default 2 */
  poolSize?: number;
  /** Hidden dense widths after flattening. @default [] */
  dense?: number[];
  /** Dropout rate before each dense layer. @default 0 */
  dropout?: number;
  /** @default 0 */
  l1?: number;
  /** @default 0 */
  l2?: number;
}

/** Multinomial logistic regression (softmax over a linear layer). */
export interface LogisticOptions extends TrainingOptions {
  /** L1 penalty (with `l1 > 0` the `gradient` solver is used). @default 0 */
  l1?: number;
  /** L2 penalty `l2 * sum(w^2)` on the mean loss, on top of `C`. @default 0 */
  l2?: number;
  /**
   * Inverse regularization strength, as scikit-learn's `C`: the penalty `sum(w^2) / (2 C n)` on the
   * mean loss (n the weighted row count), i.e. `C * sum(loss) + sum(w^2) / 2`. `false`: none.
   * @default 1
   */
  C?: number | false;
  /**
   * `lbfgs`: full-batch L-BFGS in float64 to convergence (gradient max-norm <= 1e-4), as
   * scikit-learn; `gradient`: the minibatch loop with `optimizer`, `learningRate`, `batchSize`.
   * Per-epoch fresh data and `l1 > 0` use `gradient`. @default 'lbfgs'
   */
  solver?: 'lbfgs' | 'gradient';
}
