/**
 * `@growset/augment-tabular/study`: what `@growset/study` loads to resample a trial's training
 * rows (a variant's `augment: { kind: 'tabular', method, options }`). Typed against the study's
 * `TabularAugmenter` where the study imports it.
 */
import type { JsonObject, Rng, TabularSample } from '@growset/core';
import type { ResampleOptions } from './internals/options.ts';
import { type ResampleResult, resample } from './internals/resample.ts';

/** Decision-threshold tuning for a study's `threshold` variant (typed as the study's `ThresholdTuner`). */
export { tuneThreshold } from './internals/ensemble/threshold.ts';

/**
 * {@link resample} with options as they arrive from a study's JSON variant spec
 * (`{ method: 'smote', k: 5 }`); `resample` validates them (an `OptionsError` names the field).
 */
export function resampleJson(
  samples: readonly TabularSample[],
  options: JsonObject,
  rng: Rng,
): ResampleResult {
  return resample(samples, options as unknown as ResampleOptions, rng);
}
