import type { ImagePayload } from '@growset/core';
import type { EncodeFormat } from '../image/codec.ts';

/** What an engine must produce. */
export type ResolvedOutput =
  | { readonly kind: 'encoded'; readonly format: EncodeFormat; readonly quality: number }
  | { readonly kind: 'raw' }
  | { readonly kind: 'float32' };

export interface EngineContext {
  readonly maxPixels: number;
  readonly output: ResolvedOutput;
}

/** How a plan ran: which engine, how many libvips pipelines, and the steps in order. */
export interface PlanSummary {
  engine: 'libvips' | 'js' | 'none';
  /** libvips pipelines run (decodes and encodes included; header reads excluded). */
  passes: number;
  steps: string[];
}

export interface EngineResult {
  image: ImagePayload;
  summary: PlanSummary;
}
