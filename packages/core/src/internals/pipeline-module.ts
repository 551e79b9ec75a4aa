import type { JsonObject } from './json.ts';
import type { Logger } from './logger.ts';
import type { RunSummary } from './pipeline.ts';
import type { ProgressListener } from './progress.ts';

const PIPELINE_BRAND = Symbol.for('growset.pipeline-definition');

/** What `growset run` (or a test) hands a pipeline module. */
export interface PipelineRunContext {
  /** Output folder; created by the runner. */
  out: string;
  seed: number;
  /** Small data sizes: finishes in under a minute, for tests and demos. */
  quick: boolean;
  signal: AbortSignal;
  logger: Logger;
  onProgress: ProgressListener;
}

/** What a pipeline module returns. */
export interface PipelineResult {
  /** One JSON object summarizing the run; printed as the last stdout line with `--json`. */
  summary: JsonObject;
  /** A human-readable summary (table) printed at the end without `--json`. */
  text: string;
  /** Runs of the underlying pipelines, with their per-stage counts. */
  runs?: RunSummary[];
}

export interface PipelineDefinition {
  readonly [PIPELINE_BRAND]: true;
  readonly name: string;
  readonly description: string;
  run(ctx: PipelineRunContext): Promise<PipelineResult>;
}

/** Declares a ready-to-run pipeline module (`export default definePipeline({...})`). */
export function definePipeline(definition: {
  name: string;
  description: string;
  run(ctx: PipelineRunContext): Promise<PipelineResult>;
}): PipelineDefinition {
  return { [PIPELINE_BRAND]: true, ...definition };
}

export function isPipelineDefinition(value: unknown): value is PipelineDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [PIPELINE_BRAND]?: unknown })[PIPELINE_BRAND] === true
  );
}
