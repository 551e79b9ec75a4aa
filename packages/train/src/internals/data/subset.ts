import { type LabeledData, type Rng, stratifiedSplitIndices } from '@growset/core';

/** The rows `indices` of a labeled data set (copies; weights and soft labels follow). */
export function subset(
  data: LabeledData,
  indices: ArrayLike<number>,
  sampleWeight?: Float32Array,
): LabeledData {
  const width = data.featureShape.reduce((a, b) => a * b, 1);
  const k = data.classes.length;
  const n = indices.length;
  const x = new Float32Array(n * width);
  const y = new Int32Array(n);
  const yProb = data.yProb ? new Float32Array(n * k) : undefined;
  const weights = data.sampleWeight && !sampleWeight ? new Float32Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const row = indices[i]!;
    x.set(data.x.subarray(row * width, (row + 1) * width), i * width);
    y[i] = data.y[row]!;
    if (yProb && data.yProb) yProb.set(data.yProb.subarray(row * k, (row + 1) * k), i * k);
    if (weights && data.sampleWeight) weights[i] = data.sampleWeight[row]!;
  }
  return {
    x,
    featureShape: data.featureShape,
    y,
    classes: data.classes,
    ...(yProb ? { yProb } : {}),
    ...(sampleWeight ? { sampleWeight } : weights ? { sampleWeight: weights } : {}),
  };
}

/** The same data with other sample weights. */
export function withWeights(data: LabeledData, sampleWeight: Float32Array | undefined): LabeledData {
  const { sampleWeight: _old, ...rest } = data;
  return sampleWeight ? { ...rest, sampleWeight } : rest;
}

/**
 * A stratified split of labelled data (core's {@link stratifiedSplitIndices}): about `fraction`
 * of each class is held out as `test` (at least one of a class with two or more), the rest is
 * `train`; each part keeps the original order.
 */
export function stratifiedSplit(
  data: LabeledData,
  fraction: number,
  rng: Rng,
): { train: LabeledData; test: LabeledData } {
  const { train, test } = stratifiedSplitIndices(data.y, data.classes.length, fraction, rng);
  return { train: subset(data, train), test: subset(data, test) };
}
