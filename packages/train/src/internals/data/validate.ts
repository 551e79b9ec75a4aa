import { DataError, type Features, type LabeledData } from '@growset/core';

/** Per-sample width of a feature block, checking the shape. */
export function featureWidth(shape: readonly number[], what = 'features'): number {
  if (shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new DataError(
      'bad feature shape',
      `${what}.featureShape must be positive integers ([d] or [height, width, channels]), got [${shape.join(', ')}]`,
    );
  }
  return shape.reduce((a, b) => a * b, 1);
}

/** Checks a feature block (shape, length, finite values) and returns its sample count. */
export function checkFeatures(
  features: Features,
  what = 'features',
  expectedShape?: readonly number[],
): number {
  const width = featureWidth(features.featureShape, what);
  if (
    expectedShape &&
    (expectedShape.length !== features.featureShape.length ||
      expectedShape.some((d, i) => d !== features.featureShape[i]))
  ) {
    throw new DataError(
      'wrong feature shape',
      `${what} have featureShape [${features.featureShape.join(', ')}] but the model was fitted on [${expectedShape.join(', ')}]`,
    );
  }
  if (features.x.length % width !== 0) {
    throw new DataError(
      'wrong feature length',
      `${what}.x has ${features.x.length} values, not a multiple of the sample width ${width} (featureShape [${features.featureShape.join(', ')}])`,
    );
  }
  const x = features.x;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v)) {
      const sample = Math.floor(i / width);
      throw new DataError(
        Number.isNaN(v) ? 'NaN feature' : 'infinite feature',
        `${what}: sample ${sample}, feature ${i - sample * width} is ${v}; impute or drop it before training`,
      );
    }
  }
  return x.length / width;
}

/**
 * Checks labeled training data: features, labels in range, weights, and enough samples.
 * Returns the sample count.
 */
export function checkLabeled(data: LabeledData, what = 'training data'): number {
  const n = checkFeatures(data, what);
  const k = data.classes.length;
  if (n === 0) throw new DataError('empty training set', `${what} has no samples`);
  if (k < 2)
    throw new DataError(
      'too few classes',
      `${what} needs at least 2 classes, got ${k} (${JSON.stringify(data.classes)})`,
    );
  if (new Set(data.classes).size !== k)
    throw new DataError(
      'duplicate classes',
      `${what}.classes has duplicates: ${JSON.stringify(data.classes)}`,
    );
  if (n < k)
    throw new DataError('too few samples', `${what} has ${n} sample(s), fewer than its ${k} classes`);
  if (data.y.length !== n)
    throw new DataError('wrong label count', `${what} has ${n} samples but ${data.y.length} labels`);
  for (let i = 0; i < n; i++) {
    const label = data.y[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= k) {
      throw new DataError(
        'unknown label',
        `${what}: sample ${i} has label index ${label}, not one of the ${k} classes`,
      );
    }
  }
  if (data.yProb) {
    if (data.yProb.length !== n * k)
      throw new DataError(
        'wrong soft label length',
        `${what}.yProb has ${data.yProb.length} values, expected ${n} x ${k}`,
      );
    for (let i = 0; i < data.yProb.length; i++) {
      const p = data.yProb[i]!;
      if (!(p >= 0) || !Number.isFinite(p)) {
        throw new DataError(
          'bad soft label',
          `${what}: sample ${Math.floor(i / k)} has soft label ${p} for class ${i % k}`,
        );
      }
    }
  }
  if (data.sampleWeight) {
    if (data.sampleWeight.length !== n)
      throw new DataError(
        'wrong weight count',
        `${what} has ${n} samples but ${data.sampleWeight.length} sample weights`,
      );
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = data.sampleWeight[i]!;
      if (!(w >= 0) || !Number.isFinite(w))
        throw new DataError('bad sample weight', `${what}: sample ${i} has weight ${w}`);
      total += w;
    }
    if (total <= 0) throw new DataError('bad sample weight', `${what}: all sample weights are 0`);
  }
  return n;
}

/**
 * Labels of `data` as indices into `fitted` classes. Identical class lists pass through; otherwise
 * classes are matched by name and a used class the model never saw is an error.
 */
export function alignLabels(data: LabeledData, fitted: readonly string[], what = 'data'): Int32Array {
  const same = data.classes.length === fitted.length && data.classes.every((c, i) => c === fitted[i]);
  if (same) return data.y;
  const map = data.classes.map((c) => fitted.indexOf(c));
  const out = new Int32Array(data.y.length);
  for (let i = 0; i < data.y.length; i++) {
    const label = data.y[i]!;
    const mapped = map[label];
    if (mapped === undefined || mapped < 0) {
      throw new DataError(
        'unseen label',
        `${what}: sample ${i} has label ${JSON.stringify(data.classes[label] ?? label)}, which the model was not trained on (classes: ${JSON.stringify(fitted)})`,
      );
    }
    out[i] = mapped;
  }
  return out;
}
