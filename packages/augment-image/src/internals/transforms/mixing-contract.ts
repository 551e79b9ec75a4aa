import type { JsonObject, RawImage, Rng } from '@growset/core';
import type { ImageShape } from '../image/shape.ts';
import type { AppliedParams, SerializedTransform, TargetKind } from './contract.ts';

/** The result of mixing two images: the pixels and the weight of the first image's label. */
export interface MixResult {
  image: RawImage;
  /** Weight of the first image's label in the soft label (the second gets 1 - weight). */
  weight: number;
}

/**
 * A batch-level transform that mixes two images of the same size (mixup, cutmix) and produces a
 * soft label. Same contract as per-image transforms: params drawn, returned, replayable.
 */
export interface MixTransform {
  readonly type: string;
  readonly version: number;
  readonly kind: 'mixing';
  readonly targets: readonly TargetKind[];
  readonly p: number;
  readonly options: JsonObject;
  /** Draws the params for mixing an image of `shape` with a partner of the same size. */
  sampleParams(rng: Rng, shape: ImageShape, force?: boolean): AppliedParams;
  /** Mixes `a` with `b` (same size, channels and dtype) using recorded params. */
  mix(a: RawImage, b: RawImage, params: AppliedParams): MixResult;
  toJSON(): SerializedTransform;
}

export function isMixTransform(value: unknown): value is MixTransform {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'mixing';
}
