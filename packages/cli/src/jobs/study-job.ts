import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonObject } from '@growset/core';
import { screenshotReport, writeReport, writeResults } from '@growset/report';
import {
  formatStudySummary,
  runStudy,
  type StudyData,
  type StudyOptions,
  type StudyResults,
  type StudyRunContext,
  writeAugmentationGallery,
} from '@growset/study';

export interface StudyJobOptions extends Omit<StudyOptions, 'out' | 'context'> {
  /** Output folder: results.json/csv, summary.csv, report.html, trials.jsonl, gallery/. */
  out: string;
  /** Context for the report (cleaning, quarantine, scrape...). The gallery is added here. */
  context?: JsonObject;
  /** Also save a PNG screenshot of the report (needs a Chromium). @default false */
  screenshot?: boolean;
}

export interface StudyJobResult {
  results: StudyResults;
  files: { results: string; csv: string; summary: string; report: string; screenshot?: string };
  /** The summary table and verdicts, for a terminal. */
  text: string;
}

/**
 * A study from data to files a person can open: runs it (resuming from `out/trials.jsonl`),
 * writes an augmentation gallery for image variants, results JSON/CSV and the HTML report.
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
  return {
    results,
    files: {
      results: written.json,
      csv: written.csv,
      summary: written.summaryCsv,
      report: reportPath,
      ...(screenshotPath ? { screenshot: screenshotPath } : {}),
    },
    text: `${formatStudySummary(results)}\n\nReport: ${reportPath}\nResults: ${written.json}`,
  };
}

/** The `--json` summary of a study job: where the files are, what ran, the accuracies and verdicts. */
export function studyJobSummary(job: StudyJobResult, extra: JsonObject = {}): JsonObject {
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
