import * as tf from '@tensorflow/tfjs';
import type { NetworkSpec } from './spec.ts';

/**
 * The same architecture as a tfjs-layers model (softmax output, not compiled), for comparison
 * with `model.fit` (the benchmark's baseline) or for export. Weight initialization follows
 * tfjs-layers' own defaults (Glorot uniform), not growset's Rng.
 */
export function toLayersModel(
  spec: NetworkSpec,
  featureShape: readonly number[],
  classes: number,
): tf.Sequential {
  const model = tf.sequential();
  const regularizer =
    spec.l1 > 0 || spec.l2 > 0 ? tf.regularizers.l1l2({ l1: spec.l1, l2: spec.l2 }) : undefined;
  const reg = regularizer ? { kernelRegularizer: regularizer } : {};
  let first = true;
  const input = () => {
    if (!first) return {};
    first = false;
    return { inputShape: [...featureShape] };
  };
  if (spec.model === 'cnn') {
    for (const entry of spec.conv) {
      const conv =
        typeof entry === 'number'
          ? { filters: entry, kernel: 3, stride: 1, padding: 'valid' as const }
          : entry;
      model.add(
        tf.layers.conv2d({
          ...input(),
          filters: conv.filters,
          kernelSize: conv.kernel,
          strides: conv.stride,
          padding: conv.padding,
          activation: spec.activation,
          ...reg,
        }),
      );
      if (spec.pool === 'max') model.add(tf.layers.maxPooling2d({ poolSize: spec.poolSize }));
      if (spec.pool === 'avg') model.add(tf.layers.averagePooling2d({ poolSize: spec.poolSize }));
    }
    model.add(tf.layers.flatten());
    for (const units of spec.dense) {
      if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout }));
      model.add(tf.layers.dense({ units, activation: spec.activation, ...reg }));
    }
    if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout }));
  } else {
    if (featureShape.length > 1) model.add(tf.layers.flatten({ inputShape: [...featureShape] }));
    if (featureShape.length > 1) first = false;
    if (spec.model === 'mlp') {
      for (const units of spec.hidden) {
        if (spec.batchNorm) {
          model.add(tf.layers.dense({ ...input(), units, useBias: false, ...reg }));
          model.add(tf.layers.batchNormalization());
          model.add(tf.layers.activation({ activation: spec.activation }));
        } else {
          model.add(tf.layers.dense({ ...input(), units, activation: spec.activation, ...reg }));
        }
        if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout }));
      }
    }
  }
  model.add(tf.layers.dense({ ...input(), units: classes, activation: 'softmax', ...reg }));
  return model;
}
