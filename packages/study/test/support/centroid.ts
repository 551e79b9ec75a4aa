// A small, real classifier for study tests: nearest class centroid with a softmax over negative
// squared distances. It implements core's Estimator contract so studies can run before (and
// independently of) @growset/train.
import type {
  Estimator,
  Features,
  FitOptions,
  FitResult,
  JsonObject,
  LabeledData,
  Metrics,
} from '@growset/core';

export interface CentroidSpec extends JsonObject {
  /** Softmax temperature over squared distances. */
  temperature: number;
  /** Shrink centroids towards the global mean (a regularizer): 0 = none. */
  shrink: number;
  /** Fail in fit, to test error handling. */
  fail: boolean;
  /** Look at every `stride`-th feature only (1 = all): a coarser view of the data. */
  stride: number;
}

export function createCentroid(spec: JsonObject = {}): Estimator<CentroidSpec> {
  return new NearestCentroid({
    temperature: typeof spec.temperature === 'number' ? spec.temperature : 10,
    shrink: typeof spec.shrink === 'number' ? spec.shrink : 0,
    fail: spec.fail === true,
    stride: typeof spec.stride === 'number' ? spec.stride : 1,
  });
}

class NearestCentroid implements Estimator<CentroidSpec> {
  readonly name = 'centroid';
  readonly supportsSampleWeight = true;
  readonly #spec: CentroidSpec;
  #centroids: Float32Array | undefined;
  #classes = 0;
  #width = 0;

  constructor(spec: CentroidSpec) {
    this.#spec = spec;
  }

  async fit(data: LabeledData, _options: FitOptions = {}): Promise<FitResult> {
    const started = performance.now();
    if (this.#spec.fail) throw new Error('centroid told to fail');
    const k = data.classes.length;
    const width = data.featureShape.reduce((a, b) => a * b, 1);
    const n = data.x.length / width;
    const sums = new Float64Array(k * width);
    const weights = new Float64Array(k);
    const global = new Float64Array(width);
    for (let i = 0; i < n; i++) {
      const w = data.sampleWeight?.[i] ?? 1;
      const c = data.y[i]!;
      weights[c]! += w;
      for (let j = 0; j < width; j++) {
        const v = data.x[i * width + j]!;
        sums[c * width + j]! += w * v;
        global[j]! += v / n;
      }
    }
    const centroids = new Float32Array(k * width);
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < width; j++) {
        const mean = weights[c]! > 0 ? sums[c * width + j]! / weights[c]! : global[j]!;
        centroids[c * width + j] = (1 - this.#spec.shrink) * mean + this.#spec.shrink * global[j]!;
      }
    }
    this.#centroids = centroids;
    this.#classes = k;
    this.#width = width;
    const wallTimeMs = performance.now() - started;
    return { epochs: 1, history: [{ epoch: 1, loss: 0 }], stoppedEarly: false, wallTimeMs, backend: 'js' };
  }

  async predictProba(features: Features): Promise<Float32Array> {
    const centroids = this.#centroids;
    if (!centroids) throw new Error('predict before fit');
    const width = this.#width;
    const k = this.#classes;
    const n = features.x.length / width;
    const out = new Float32Array(n * k);
    const d = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      let min = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        let s = 0;
        const stride = this.#spec.stride;
        for (let j = 0; j < width; j += stride)
          s += (features.x[i * width + j]! - centroids[c * width + j]!) ** 2;
        d[c] = (s * stride) / width;
        min = Math.min(min, d[c]!);
      }
      let z = 0;
      for (let c = 0; c < k; c++) z += Math.exp(-(d[c]! - min) * this.#spec.temperature * width);
      for (let c = 0; c < k; c++)
        out[i * k + c] = Math.exp(-(d[c]! - min) * this.#spec.temperature * width) / z;
    }
    return out;
  }

  async predict(features: Features): Promise<Int32Array> {
    const proba = await this.predictProba(features);
    const k = this.#classes;
    const n = proba.length / k;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (proba[i * k + c]! > proba[i * k + best]!) best = c;
      out[i] = best;
    }
    return out;
  }

  async score(data: LabeledData): Promise<Metrics> {
    const proba = await this.predictProba(data);
    const k = data.classes.length;
    const n = data.y.length;
    const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    let logLoss = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (proba[i * k + c]! > proba[i * k + best]!) best = c;
      confusion[data.y[i]!]![best]! += 1;
      logLoss -= Math.log(Math.max(1e-7, proba[i * k + data.y[i]!]!));
    }
    let correct = 0;
    const recalls: number[] = [];
    const f1s: number[] = [];
    for (let c = 0; c < k; c++) {
      const tp = confusion[c]![c]!;
      correct += tp;
      const actual = confusion[c]!.reduce((a, b) => a + b, 0);
      const predicted = confusion.reduce((a, row) => a + row[c]!, 0);
      if (actual > 0) recalls.push(tp / actual);
      const precision = predicted > 0 ? tp / predicted : 0;
      const recall = actual > 0 ? tp / actual : 0;
      if (actual > 0 || predicted > 0)
        f1s.push(precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0);
    }
    return {
      accuracy: correct / n,
      balancedAccuracy: recalls.reduce((a, b) => a + b, 0) / recalls.length,
      macroF1: f1s.reduce((a, b) => a + b, 0) / f1s.length,
      logLoss: logLoss / n,
      confusion,
    };
  }

  getParams(): CentroidSpec {
    return { ...this.#spec };
  }

  clone(): Estimator<CentroidSpec> {
    return new NearestCentroid({ ...this.#spec });
  }

  dispose(): void {
    this.#centroids = undefined;
  }
}
