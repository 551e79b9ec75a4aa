import type { ImagePayload, JsonValue } from '@growset/core';
import type { PlanSummary } from '../engine/types.ts';
import type { ApplyOptions } from '../execute.ts';
import type { AugmentTarget, DroppedBox, DroppedKeypoint } from '../targets/types.ts';
import type { SerializedTransform } from '../transforms/contract.ts';

/** What every augmentation thread receives once: the recipe as JSON (rebuilt from the default registry). */
export interface ThreadSetup {
  recipe: SerializedTransform;
}

/** One augmentation: the target, the key of the generator it draws from, how to run it. */
export interface ThreadTask {
  target: AugmentTarget;
  rngKey: string;
  options: ApplyOptions;
}

/** An augmentation's result as it crosses threads: params as JSON, errors as data. */
export type ThreadOutcome =
  | {
      ok: true;
      target: AugmentTarget;
      params: JsonValue;
      dropped: { boxes: DroppedBox[]; keypoints: DroppedKeypoint[] };
      plan: PlanSummary;
    }
  | { ok: false; error: { name: string; message: string; reason?: string; code?: string } };

export type ThreadRequest = { type: 'task'; id: number; task: ThreadTask };
export type ThreadResponse =
  | { type: 'ready' }
  | { type: 'result'; id: number; outcome: ThreadOutcome }
  | { type: 'fatal'; error: string };

/** The payload type the pool hands back to stages. */
export type ThreadImage = ImagePayload;
