import {
  GrowsetError,
  type JsonObject,
  type JsonValue,
  optionsErrorFromZod,
  parseOptions,
  type Rng,
} from '@growset/core';
import type { z } from 'zod';
import { type ApplyOptions, type AugmentResult, applyTransform } from '../execute.ts';
import type { ImageShape } from '../image/shape.ts';
import { shapeAfter } from '../ops/shape.ts';
import type { PlanOp } from '../ops/types.ts';
import type { AugmentTarget } from '../targets/types.ts';

export type TransformKind = 'geometric' | 'pixel' | 'composition' | 'mixing';
export type TargetKind = 'image' | 'mask' | 'boxes' | 'keypoints';

/**
 * The parameters one call drew: enough to replay it exactly. Leaves carry `params`;
 * compositions carry `children` (and `chosen`, the indices of the children that ran).
 */
export interface AppliedParams {
  readonly type: string;
  readonly applied: boolean;
  readonly params?: JsonObject;
  readonly chosen?: readonly number[];
  readonly children?: readonly AppliedParams[];
}

/** How a transform is written to JSON and read back through the registry. */
export interface SerializedTransform {
  type: string;
  version: number;
  options: JsonObject;
}

/**
 * A per-image transform (albumentations' contract): `sampleParams` draws everything random from
 * the generator it is given and returns it; `ops` and `apply` are pure functions of those params.
 * Params are returned, never stored, so one instance is safe to share across concurrent calls.
 */
export interface Transform {
  readonly type: string;
  /** Version of the options and params format. */
  readonly version: number;
  readonly kind: Exclude<TransformKind, 'mixing'>;
  /** What the transform changes; pixel transforms leave masks, boxes and keypoints as they are. */
  readonly targets: readonly TargetKind[];
  /** Probability that the transform applies. */
  readonly p: number;
  /** The validated options with defaults filled in. */
  readonly options: JsonObject;
  /** Draws the params for an image of `shape`; `force` skips the `p` draw (used by oneOf/someOf). */
  sampleParams(rng: Rng, shape: ImageShape, force?: boolean): AppliedParams;
  /** The low-level ops these params amount to on an image of `shape`. */
  ops(params: AppliedParams, shape: ImageShape): PlanOp[];
  outputShape(params: AppliedParams, shape: ImageShape): ImageShape;
  /** Applies recorded params: the same params on the same input give the same bytes. */
  apply(target: AugmentTarget, params: AppliedParams, options?: ApplyOptions): Promise<AugmentResult>;
  toJSON(): SerializedTransform;
}

/** Passed by the registry to factories that build children (compositions). */
export interface FactoryContext {
  readonly registry: { fromJSON(spec: unknown, path?: string): unknown };
}

/** A factory in the registry: builds a transform from (untrusted) options. */
export interface TransformFactory<T = Transform> {
  (options?: unknown, context?: FactoryContext): T;
  readonly type: string;
  readonly version: number;
  readonly kind: TransformKind;
  /** Name used in option errors, e.g. `RotateOptions`. */
  readonly optionsType: string;
}

/** The JSON form of applied params (for lineage and manifests). */
export function paramsToJson(params: AppliedParams): JsonObject {
  return {
    type: params.type,
    applied: params.applied,
    ...(params.params === undefined ? {} : { params: params.params }),
    ...(params.chosen === undefined ? {} : { chosen: [...params.chosen] }),
    ...(params.children === undefined ? {} : { children: params.children.map(paramsToJson) }),
  };
}

/** Reads applied params back from JSON (a lineage step), checking their shape. */
export function paramsFromJson(value: JsonValue): AppliedParams {
  const bad = (why: string) => new GrowsetError(`Invalid applied params: ${why}`, { code: 'ERR_PARAMS' });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad('expected an object');
  const { type, applied, params, chosen, children } = value;
  if (typeof type !== 'string') throw bad('`type` must be a string');
  if (typeof applied !== 'boolean') throw bad(`\`applied\` of ${type} must be a boolean`);
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params)))
    throw bad(`\`params\` of ${type} must be an object`);
  if (chosen !== undefined && !(Array.isArray(chosen) && chosen.every((i) => Number.isInteger(i))))
    throw bad(`\`chosen\` of ${type} must be a list of integers`);
  if (children !== undefined && !Array.isArray(children)) throw bad(`\`children\` of ${type} must be a list`);
  return {
    type,
    applied,
    ...(params === undefined ? {} : { params: params as JsonObject }),
    ...(chosen === undefined ? {} : { chosen: chosen as number[] }),
    ...(children === undefined ? {} : { children: children.map(paramsFromJson) }),
  };
}

export function checkParams(transform: { type: string }, params: AppliedParams): void {
  if (params.type !== transform.type) {
    throw new GrowsetError(
      `Params for \`${params.type}\` cannot be applied by \`${transform.type}\`: replay with the recipe that drew them`,
      { code: 'ERR_PARAMS' },
    );
  }
}

type ObjectSchema = z.ZodType<{ p: number }>;

/** What a leaf transform is: a schema, a way to draw params, and the ops the params amount to. */
export interface LeafSpec<S extends ObjectSchema, P extends z.ZodType> {
  type: string;
  version: number;
  kind: 'geometric' | 'pixel';
  /** What the transform changes; @default all four for geometric transforms, the image for pixel ones. */
  targets?: readonly TargetKind[];
  optionsType: string;
  options: S;
  params: P;
  sample(rng: Rng, shape: ImageShape, options: z.output<S>): z.output<P>;
  ops(params: z.output<P>, shape: ImageShape, options: z.output<S>): PlanOp[];
}

const GEOMETRIC_TARGETS: readonly TargetKind[] = ['image', 'mask', 'boxes', 'keypoints'];
const PIXEL_TARGETS: readonly TargetKind[] = ['image'];

class LeafTransform<S extends ObjectSchema, P extends z.ZodType> implements Transform {
  readonly #spec: LeafSpec<S, P>;
  readonly #options: z.output<S>;

  constructor(spec: LeafSpec<S, P>, options: z.output<S>) {
    this.#spec = spec;
    this.#options = options;
  }

  get type(): string {
    return this.#spec.type;
  }
  get version(): number {
    return this.#spec.version;
  }
  get kind(): 'geometric' | 'pixel' {
    return this.#spec.kind;
  }
  get targets(): readonly TargetKind[] {
    return this.#spec.targets ?? (this.#spec.kind === 'geometric' ? GEOMETRIC_TARGETS : PIXEL_TARGETS);
  }
  get p(): number {
    return this.#options.p;
  }
  get options(): JsonObject {
    return this.#options as unknown as JsonObject;
  }

  sampleParams(rng: Rng, shape: ImageShape, force = false): AppliedParams {
    if (!force && this.p < 1 && !rng.bool(this.p)) return { type: this.type, applied: false };
    return {
      type: this.type,
      applied: true,
      params: this.#spec.sample(rng, shape, this.#options) as unknown as JsonObject,
    };
  }

  ops(params: AppliedParams, shape: ImageShape): PlanOp[] {
    checkParams(this, params);
    if (!params.applied) return [];
    const parsed = this.#spec.params.safeParse(params.params ?? {});
    if (!parsed.success) throw optionsErrorFromZod(parsed.error, params.params, `${this.type} params`);
    return this.#spec.ops(parsed.data, shape, this.#options);
  }

  outputShape(params: AppliedParams, shape: ImageShape): ImageShape {
    return shapeAfter(this.ops(params, shape), shape);
  }

  apply(target: AugmentTarget, params: AppliedParams, options?: ApplyOptions): Promise<AugmentResult> {
    return applyTransform(this, target, params, options);
  }

  toJSON(): SerializedTransform {
    return { type: this.type, version: this.version, options: this.options };
  }
}

/** Builds the factory of a leaf transform. */
export function leafTransform<S extends ObjectSchema, P extends z.ZodType>(
  spec: LeafSpec<S, P>,
): TransformFactory & ((options?: z.input<S>) => Transform) {
  const factory = (options: unknown = {}) =>
    new LeafTransform(spec, parseOptions(spec.options, options, spec.optionsType) as z.output<S>);
  return Object.assign(factory, {
    type: spec.type,
    version: spec.version,
    kind: spec.kind,
    optionsType: spec.optionsType,
  });
}
