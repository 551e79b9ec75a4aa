import {
  classificationMetrics,
  type Estimator,
  type Features,
  type FitResult,
  type JsonObject,
  type LabeledData,
  type Metrics,
} from '@growset/core';

/**
 * Small real estimators for the ensemble tests (no @growset/train needed): they implement core's
 * Estimator contract in a few lines each.
 */
abstract class Simple implements Estimator {
  abstract readonly name: string;
  abstract readonly supportsSampleWeight: boolean;
  protected classes = 0;
  protected width = 0;
  /** Class counts of every fit of this learner and its clones, in order (what an ensemble fed them). */
  constructor(readonly fits: number[][] = []) {}
  abstract fitRows(data: LabeledData): void;
  abstract probaRow(x: Float32Array, at: number, out: Float32Array, o: number): void;
  abstract getParams(): JsonObject;
  abstract clone(): Estimator;

  async fit(data: LabeledData): Promise<FitResult> {
    this.classes = data.classes.length;
    this.width = data.featureShape.reduce((a, b) => a * b, 1);
    const counts = new Array<number>(this.classes).fill(0);
    for (const c of data.y) counts[c]! += 1;
    this.fits.push(counts);
    this.fitRows(data);
    return { epochs: 1, history: [], stoppedEarly: false, wallTimeMs: 0 };
  }

  async predictProba(features: Features): Promise<Float32Array> {
    const n = features.x.length / this.width;
    const out = new Float32Array(n * this.classes);
    for (let i = 0; i < n; i++) this.probaRow(features.x, i * this.width, out, i * this.classes);
    return out;
  }

  async predict(features: Features): Promise<Int32Array> {
    const proba = await this.predictProba(features);
    const n = proba.length / this.classes;
    return Int32Array.from({ length: n }, (_, i) => {
      let best = 0;
      for (let c = 1; c < this.classes; c++)
        if (proba[i * this.classes + c]! > proba[i * this.classes + best]!) best = c;
      return best;
    });
  }

  async score(data: LabeledData): Promise<Metrics> {
    return classificationMetrics(data.y, await this.predictProba(data), data.classes.length);
  }

  dispose(): void {}
}

/** Nearest (weighted) class centroid; probabilities are a softmax of negative squared distances. */
export class NearestCentroid extends Simple {
  readonly name = 'nearestCentroid';
  readonly supportsSampleWeight = true;
  #centroids = new Float64Array(0);

  fitRows(data: LabeledData): void {
    const { classes, width } = this;
    const sums = new Float64Array(classes * width);
    const totals = new Float64Array(classes);
    data.y.forEach((c, i) => {
      const w = data.sampleWeight ? data.sampleWeight[i]! : 1;
      totals[c]! += w;
      for (let j = 0; j < width; j++) sums[c * width + j]! += w * data.x[i * width + j]!;
    });
    for (let c = 0; c < classes; c++) for (let j = 0; j < width; j++) sums[c * width + j]! /= totals[c]! || 1;
    this.#centroids = sums;
  }

  probaRow(x: Float32Array, at: number, out: Float32Array, o: number): void {
    const d = Array.from({ length: this.classes }, (_, c) => {
      let s = 0;
      for (let j = 0; j < this.width; j++) s += (x[at + j]! - this.#centroids[c * this.width + j]!) ** 2;
      return -s;
    });
    const max = Math.max(...d);
    const e = d.map((v) => Math.exp(v - max));
    const z = e.reduce((a, b) => a + b, 0);
    e.forEach((v, c) => {
      out[o + c] = v / z;
    });
  }

  getParams(): JsonObject {
    return {};
  }

  clone(): NearestCentroid {
    return new NearestCentroid(this.fits);
  }
}

/** k nearest neighbours by vote (no sample weights): biased to the majority on imbalanced data. */
export class KNearest extends Simple {
  readonly name = 'kNearest';
  readonly supportsSampleWeight = false;
  #x: Float32Array = new Float32Array(0);
  #y: Int32Array = new Int32Array(0);

  constructor(
    readonly k = 7,
    fits: number[][] = [],
  ) {
    super(fits);
  }

  fitRows(data: LabeledData): void {
    this.#x = data.x;
    this.#y = data.y;
  }

  probaRow(x: Float32Array, at: number, out: Float32Array, o: number): void {
    const n = this.#y.length;
    const d = Array.from({ length: n }, (_, i) => {
      let s = 0;
      for (let j = 0; j < this.width; j++) s += (x[at + j]! - this.#x[i * this.width + j]!) ** 2;
      return [s, i] as const;
    }).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const k = Math.min(this.k, n);
    for (let r = 0; r < k; r++) out[o + this.#y[d[r]![1]]!]! += 1 / k;
  }

  getParams(): JsonObject {
    return { k: this.k };
  }

  clone(): KNearest {
    return new KNearest(this.k, this.fits);
  }
}
