import type { JsonObject } from './json.ts';
import type { Logger } from './logger.ts';
import type { ProgressListener } from './progress.ts';

/**
 * What every job returns (a job is what a command does: `runStudyJob`, `runTrainJob`,
 * `runCleanCsvJob`, ...). The CLI prints `text`, or `summary` as the last stdout line with
 * `--json`; a library caller reads `summary` and opens `files`.
 */
export interface JobResult<S extends JsonObject = JsonObject, F extends JobFiles = JobFiles> {
  /** One JSON object: counts, accuracies, verdicts, paths. */
  summary: S;
  /** The files the job wrote, by role (`report`, `results`, `manifest`, `quarantine`, ...). */
  files: F;
  /** A human-readable summary for a terminal. */
  text: string;
}

/** Files a job wrote, by role; a role may be absent when its file was not written. */
export type JobFiles = { readonly [role: string]: string | undefined };

/** What every job accepts besides its own options. */
export interface JobContext {
  signal?: AbortSignal;
  logger?: Logger;
  onProgress?: ProgressListener;
}
