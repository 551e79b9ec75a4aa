import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobResult, JsonObject } from '@growset/core';
import {
  formatStudySummary,
  runStudy,
  type StudyData,
  type StudyOptions,
  type StudyResults,
  type StudyRunContext,
  writeAugmentationGallery,
} from '@growset/study';
import { screenshotReport } from '../browser/screenshot.ts';
import { writeReport } from '../report/build.ts';
import { writeResults } from '../results/write.ts';

export interface StudyJobOptions extends Omit<StudyOptions, 'out' | 'context'> {
  /** Output folder: results.json/csv, summary.csv, report.html, trials.jsonl, gallery/. */
  out: string;
  /** Context for the report (cleaning, quarantine, scrape...). The gallery is added here. */
  context?: JsonObject;
  /** Also save a PNG screenshot of the report (needs a Chromium). @default false */
  screenshot?: boolean;
}

/** The files a study job wrote, by role. */
export interface StudyJobFiles {
  [role: string]: string | undefined;
  results: string;
  csv: string;
  summary: string;
  report: string;
  screenshot?: string;
}

/** A study job's {@link JobResult} (`text`: the summary table and verdicts), with the results. */
export interface StudyJobResult extends JobResult<JsonObject, StudyJobFiles> {
  results: StudyResults;
}

/**
 * The study job (`growset study`, and the pipelines' studies): from data to files a person can
 * open. Runs the study (resuming from `out/trials.jsonl`), writes an augmentation gallery for
 * image variants, results JSON/CSV and the HTML report. It lives here rather than in
 * `@growset/study` because it writes the report, and the report already depends on the study.
 * `run` is core's `JobContext`, plus where trials run (`runner`, e.g. @growset/queue's).
 */
export async function runStudyJob(
  data: StudyData,
  options: StudyJobOptions,
  run: StudyRunContext = {},
): Promise<StudyJobResult> {
  const { out, context, screenshot, ...studyOptions } = options;
  await mkdir(out, { recursive: true });
  const imageVariant = studyOptions.variants.find((v) => v.augment?.kind === 'image');
  const gallery =
    imageVariant?.augment?.kind === 'image'
      ? await writeAugmentationGallery(data, {
          recipe: imageVariant.augment.recipe,
          dir: out,
          seed: studyOptions.studySeed ?? 0,
          ...(studyOptions.plugins?.imageAugmenter ? { augmenter: studyOptions.plugins.imageAugmenter } : {}),
        })
      : [];
  const results = await runStudy(
    data,
    {
      ...studyOptions,
      out,
      context: { ...(context ?? {}), ...(gallery.length > 0 ? { gallery } : {}) },
    },
    run,
  );
  const written = await writeResults(results, out);
  const reportPath = join(out, 'report.html');
  const report = await writeReport(results, reportPath, {
    resultsDir: out,
    ...(run.onProgress ? { onProgress: run.onProgress } : {}),
  });
  for (const warning of report.warnings) run.logger?.warn(`report: ${warning}`);
  let screenshotPath: string | undefined;
  if (screenshot) {
    screenshotPath = join(out, 'report.png');
    await screenshotReport(reportPath, screenshotPath, { width: 1100 });
  }
  const files: StudyJobFiles = {
    results: written.json,
    csv: written.csv,
    summary: written.summaryCsv,
    report: reportPath,
    ...(screenshotPath ? { screenshot: screenshotPath } : {}),
  };
  return {
    results,
    files,
    summary: studyJobSummary({ results, files }),
    text: `${formatStudySummary(results)}\n\nReport: ${reportPath}\nResults: ${written.json}`,
  };
}

/**
 * The `--json` summary of a study job (its `summary`): where the files are, what ran, the
 * accuracies and verdicts, then `extra` (a pipeline's own fields).
 */
export function studyJobSummary(
  job: Pick<StudyJobResult, 'results' | 'files'>,
  extra: JsonObject = {},
): JsonObject {
  const { results, files } = job;
  return {
    report: files.report,
    results: files.results,
    backend: results.backend,
    originals: results.config.originals,
    testSize: results.config.testSize,
    testSplits: results.config.testSplits ?? 1,
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
    comparisons: (results.comparisons ?? [])
      .filter((c) => c.metric === 'accuracy')
      .map((c) => ({
        variant: c.variant,
        trainSize: c.trainSize,
        difference: c.difference,
        ci: c.ci,
        verdict: c.verdict,
      })),
    minimumDetectableDifference: results.power?.minimumDetectable ?? null,
    verdicts: results.verdicts,
    ...extra,
  };
}
