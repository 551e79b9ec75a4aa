import type { LabeledData } from '@growset/core';

/**
 * Per-sample loss weights: sample weights times class weights (`balanced`: `n / (classes *
 * count)`), rescaled to mean 1 so the loss and the learning rate keep their scale whatever the
 * weights' scale (boosting passes weights summing to 1).
 */
export function lossWeights(data: LabeledData, classWeight: 'balanced' | number[] | undefined): Float32Array {
  const n = data.y.length;
  const k = data.classes.length;
  let perClass: number[] | undefined;
  if (classWeight === 'balanced') {
    const counts = new Array<number>(k).fill(0);
    for (let i = 0; i < n; i++) counts[data.y[i]!]!++;
    perClass = counts.map((c) => (c === 0 ? 0 : n / (k * c)));
  } else if (classWeight) {
    if (classWeight.length !== k) {
      throw new RangeError(`classWeight has ${classWeight.length} entries but the data has ${k} classes`);
    }
    perClass = classWeight;
  }
  const weights = new Float32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = (data.sampleWeight ? data.sampleWeight[i]! : 1) * (perClass ? perClass[data.y[i]!]! : 1);
    weights[i] = w;
    total += w;
  }
  if (total <= 0) throw new RangeError('All loss weights are 0 (sample weights times class weights)');
  const scale = n / total;
  for (let i = 0; i < n; i++) weights[i] = weights[i]! * scale;
  return weights;
}

/** Training targets: soft labels when given, else one-hot rows. */
export function targetMatrix(data: LabeledData): Float32Array {
  if (data.yProb) return data.yProb;
  const k = data.classes.length;
  const out = new Float32Array(data.y.length * k);
  for (let i = 0; i < data.y.length; i++) out[i * k + data.y[i]!] = 1;
  return out;
}
