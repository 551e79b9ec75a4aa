import { hardLabel, type LabeledData, type Rng, sampleCount, type TabularSample } from '@growset/core';
import type { ResampleOptions } from '../options.ts';
import { resample } from '../resample.ts';

/** The rows `rows` of `data` (with their weights, when it has some). */
export function subsetRows(data: LabeledData, rows: ArrayLike<number>, weights?: Float32Array): LabeledData {
  const width = data.featureShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(rows.length * width);
  const y = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    x.set(data.x.subarray(i * width, (i + 1) * width), r * width);
    y[r] = data.y[i]!;
  }
  return {
    x,
    y,
    featureShape: data.featureShape,
    classes: data.classes,
    ...(weights ? { sampleWeight: weights } : {}),
  };
}

/**
 * Random under-sampling on row indices: every class present down to the smallest present class,
 * drawn without replacement; returns the kept rows in ascending order.
 */
export function underSampleRows(data: LabeledData, rng: Rng, rows?: readonly number[]): number[] {
  const pool = rows ?? Array.from({ length: data.y.length }, (_, i) => i);
  const byClass = data.classes.map(() => [] as number[]);
  for (const i of pool) byClass[data.y[i]!]!.push(i);
  const present = byClass.filter((r) => r.length > 0);
  const smallest = Math.min(...present.map((r) => r.length));
  const kept: number[] = [];
  byClass.forEach((members, c) => {
    if (members.length === 0) return;
    kept.push(...rng.fork(`class:${c}`).sample(members, smallest));
  });
  return kept.sort((a, b) => a - b);
}

/**
 * Applies any resampling method to labelled features: rows become tabular samples with columns
 * `f0, f1, ...`, are resampled, and come back as features (synthetic rows included).
 */
export function resampleData(data: LabeledData, options: ResampleOptions, rng: Rng): LabeledData {
  const n = sampleCount(data);
  const width = data.featureShape.reduce((a, b) => a * b, 1);
  const names = Array.from({ length: width }, (_, j) => `f${j}`);
  const samples: TabularSample[] = [];
  for (let i = 0; i < n; i++) {
    const values: { [column: string]: number } = {};
    for (let j = 0; j < width; j++) values[names[j]!] = data.x[i * width + j]!;
    samples.push({
      id: `r${i}`,
      label: data.classes[data.y[i]!]!,
      payload: { kind: 'tabular', values },
      lineage: [],
    });
  }
  const { samples: out } = resample(samples, { numeric: names, ...options } as ResampleOptions, rng);
  const x = new Float32Array(out.length * width);
  const y = new Int32Array(out.length);
  const classIndex = new Map(data.classes.map((c, i) => [c, i]));
  out.forEach((sample, r) => {
    for (let j = 0; j < width; j++) x[r * width + j] = sample.payload.values[names[j]!] as number;
    y[r] = classIndex.get(hardLabel(sample.label) ?? '')!;
  });
  return { x, y, featureShape: data.featureShape, classes: data.classes };
}
