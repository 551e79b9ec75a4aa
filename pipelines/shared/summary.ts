import type { StudyJobResult } from '@growset/cli';
import type { JsonObject } from '@growset/core';

/** The `--json` summary of a pipeline that ends in a study. */
export function studySummary(job: StudyJobResult, extra: JsonObject = {}): JsonObject {
  const { results, files } = job;
  return {
    report: files.report,
    results: files.results,
    backend: results.backend,
    originals: results.config.originals,
    testSize: results.config.testSize,
    trainSizes: results.config.trainSizes,
    seeds: results.config.seeds,
    trials: results.trials.length,
    failedTrials: results.trials.filter((t) => !t.ok).length,
    studyWallTimeMs: results.wallTimeMs,
    variants: results.summaries.map((s) => ({
      variant: s.variant,
      testAccuracy: s.sizes.map((z) => ({
        trainSize: z.trainSize,
        mean: z.testAccuracy.mean,
        std: z.testAccuracy.std,
      })),
      projectedSizeForTarget: s.projectedSizeForTarget,
    })),
    verdicts: results.verdicts,
    ...extra,
  };
}
