import {
  type Estimator,
  errorMessage,
  foldScores,
  type JsonValue,
  Rng,
  stratifiedFolds,
} from '@growset/core';
import type { StudyData } from './dataset.ts';
import { TabularEncoder } from './features.ts';
import { loadPlugins, type StudyPlugins } from './plugins.ts';
import { originalSample, type StudyPlan, toLabeledData } from './trial.ts';
import type { FoldScores, StudyValidationCurve, VariantSpec } from './types.ts';

/** What `StudyOptions.validationCurve` asks for. */
export interface ValidationCurveRequest {
  /** The model option to vary (a field of the variant's model spec, e.g. `l2`, `dropout`, `k`). */
  param: string;
  values: JsonValue[];
  /** Variant whose model is varied. @default the baseline */
  variant?: string;
  /** Training originals the curve is measured on (a study size). @default the largest size */
  trainSize?: number;
  /** Seed whose nested subset is used. @default the first seed */
  seed?: number;
  /** Stratified folds. @default 3 */
  folds?: number;
}

/**
 * A validation curve inside a study, as scikit-learn's `validation_curve`: the variant's model,
 * one option set to each value, fitted on the same stratified folds of one training subset
 * (originals only, no augmentation, features scaled as the trials scale them) and scored on each
 * fold's training rows and held-out fold. The test set is never used.
 */
export async function studyValidationCurve(
  data: StudyData,
  plan: StudyPlan,
  pluginSpecs: StudyPlugins,
  variant: VariantSpec,
  request: Required<Omit<ValidationCurveRequest, 'variant'>>,
): Promise<StudyValidationCurve> {
  const plugins = await loadPlugins(pluginSpecs, [{ ...variant, augment: undefined } as VariantSpec]);
  const order = plan.splits[0]?.orders[String(request.seed)] ?? [];
  const subset = order.slice(0, request.trainSize);
  const rng = Rng.create(plan.studySeed).fork(`validation-curve:${request.trainSize}:${request.seed}`);
  const classIndex = new Map(data.classes.map((c, k) => [c, k]));
  // The same stratified folds as train's cross-validation (core's `stratifiedFolds`).
  const folds = stratifiedFolds(
    Int32Array.from(subset, (i) => classIndex.get(data.labels[i]!)!),
    data.classes.length,
    request.folds,
    rng,
  );
  const fold = new Map(subset.map((i, k) => [i, folds[k]!]));
  const points: StudyValidationCurve['points'] = [];
  for (const value of request.values) {
    const train: number[] = [];
    const test: number[] = [];
    try {
      for (let f = 0; f < request.folds; f++) {
        const fitRows = subset.filter((i) => fold.get(i) !== f);
        const heldOut = subset.filter((i) => fold.get(i) === f);
        if (heldOut.length === 0) continue;
        const encoder =
          data.task === 'tabular'
            ? TabularEncoder.fit(
                data.table!.columns,
                fitRows.map((i) => data.table!.rows[i]!),
                plan.scaling,
              )
            : undefined;
        const encode = (rows: number[]) =>
          toLabeledData(
            data,
            rows.map((i) => ({ sample: originalSample(data, i) })),
            classIndex,
            encoder,
          );
        let estimator: Estimator | undefined;
        try {
          estimator = plugins.estimator({ ...variant.model, [request.param]: value });
          const fitData = encode(fitRows);
          await estimator.fit(fitData, { rng: rng.fork(`fold-${f}`) });
          train.push((await estimator.score(fitData)).accuracy);
          test.push((await estimator.score(encode(heldOut))).accuracy);
        } finally {
          estimator?.dispose();
        }
      }
      points.push({ value, train: foldScores(train), test: foldScores(test) });
    } catch (error) {
      const nan: FoldScores = { mean: Number.NaN, std: Number.NaN, folds: [] };
      points.push({ value, train: nan, test: nan, error: errorMessage(error) });
    }
  }
  return {
    variant: variant.name,
    param: request.param,
    trainSize: request.trainSize,
    seed: request.seed,
    folds: request.folds,
    metric: 'accuracy',
    points,
  };
}
