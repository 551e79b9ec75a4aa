import { GrowsetError, type JsonObject, OptionsError, parseOptions, type Rng } from '@growset/core';
import { z } from 'zod';
import { type ApplyOptions, type AugmentResult, applyTransform } from '../execute.ts';
import type { ImageShape } from '../image/shape.ts';
import { shapeAfter } from '../ops/shape.ts';
import type { PlanOp } from '../ops/types.ts';
import type { AugmentTarget } from '../targets/types.ts';
import {
  type AppliedParams,
  checkParams,
  type FactoryContext,
  type SerializedTransform,
  type TargetKind,
  type Transform,
  type TransformFactory,
} from './contract.ts';
import { isMixTransform } from './mixing-contract.ts';
import type { RecipeSpec } from './registry.ts';
import { probability } from './schema.ts';

type Mode = 'all' | 'one' | 'some';

/** A child given as a transform or as recipe JSON. */
export type ChildSpec = Transform | RecipeSpec;

export function isTransform(value: unknown): value is Transform {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Transform).sampleParams === 'function' &&
    typeof (value as Transform).toJSON === 'function'
  );
}

class Composition implements Transform {
  readonly kind = 'composition';
  readonly type: string;
  readonly version = 1;
  readonly #children: readonly Transform[];
  readonly #mode: Mode;
  readonly #p: number;
  readonly #n: number | undefined;

  constructor(type: string, mode: Mode, children: readonly Transform[], p: number, n?: number) {
    this.type = type;
    this.#mode = mode;
    this.#children = children;
    this.#p = p;
    this.#n = n;
  }

  get p(): number {
    return this.#p;
  }
  get children(): readonly Transform[] {
    return this.#children;
  }
  get targets(): readonly TargetKind[] {
    const all = new Set<TargetKind>(['image']);
    for (const child of this.#children) for (const t of child.targets) all.add(t);
    return [...all];
  }
  get options(): JsonObject {
    return {
      transforms: this.#children.map((c) => c.toJSON() as unknown as JsonObject),
      ...(this.#n === undefined ? {} : { n: this.#n }),
      p: this.#p,
    };
  }

  sampleParams(rng: Rng, shape: ImageShape, force = false): AppliedParams {
    if (!force && this.#p < 1 && !rng.bool(this.#p)) return { type: this.type, applied: false };
    const chosen = this.#choose(rng);
    const children: AppliedParams[] = [];
    let current = shape;
    for (const index of chosen) {
      const child = this.#children[index]!;
      const params = child.sampleParams(rng.fork(index), current, this.#mode !== 'all');
      children.push(params);
      current = child.outputShape(params, current);
    }
    return this.#mode === 'all'
      ? { type: this.type, applied: true, children }
      : { type: this.type, applied: true, chosen, children };
  }

  #choose(rng: Rng): number[] {
    const all = this.#children.map((_, i) => i);
    if (this.#mode === 'all') return all;
    if (this.#mode === 'one') {
      const weights = this.#children.map((c) => c.p);
      return weights.some((w) => w > 0) ? [rng.weightedIndex(weights)] : [];
    }
    return rng.sample(all, Math.min(this.#n ?? 1, all.length)).sort((a, b) => a - b);
  }

  ops(params: AppliedParams, shape: ImageShape): PlanOp[] {
    checkParams(this, params);
    if (!params.applied) return [];
    const chosen = params.chosen ?? this.#children.map((_, i) => i);
    const children = params.children ?? [];
    if (children.length !== chosen.length || chosen.some((i) => !this.#children[i])) {
      throw new GrowsetError(
        `Params of \`${this.type}\` do not match its ${this.#children.length} transforms`,
        {
          code: 'ERR_PARAMS',
        },
      );
    }
    const ops: PlanOp[] = [];
    let current = shape;
    chosen.forEach((index, k) => {
      const childOps = this.#children[index]!.ops(children[k]!, current);
      ops.push(...childOps);
      current = shapeAfter(childOps, current);
    });
    return ops;
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

function children(
  items: readonly unknown[],
  optionsType: string,
  context: FactoryContext | undefined,
): Transform[] {
  return items.map((item, i) => {
    let child: unknown = item;
    if (!isTransform(item)) {
      if (!context) {
        throw new OptionsError({
          optionsType,
          field: `transforms[${i}]`,
          expected: 'a transform (build recipe JSON with parseRecipe())',
          received: item,
        });
      }
      child = context.registry.fromJSON(item, `transforms[${i}]`);
    }
    if (isMixTransform(child) || !isTransform(child)) {
      throw new OptionsError({
        optionsType,
        field: `transforms[${i}]`,
        expected: 'a per-image transform (mixup and cutmix mix pairs of samples: use the mixImages() stage)',
        received: item,
      });
    }
    if (child.type === 'normalize' && i !== items.length - 1) {
      throw new OptionsError({
        optionsType,
        field: `transforms[${i}]`,
        expected: '`normalize` only as the last transform (it turns pixels into float32)',
        received: item,
      });
    }
    return child;
  });
}

export interface CompositionOptions {
  /** The child transforms, as transforms or recipe JSON. */
  transforms: ChildSpec[];
  /** Probability that the composition applies at all. @default 1 */
  p?: number;
}

function composition(
  type: string,
  mode: Mode,
  optionsType: string,
  schema: z.ZodType<{ transforms: unknown[]; p: number; n?: number }>,
  defaultContext: () => FactoryContext,
) {
  const factory = (options: unknown = {}, context?: FactoryContext): Transform => {
    const input = Array.isArray(options) ? { transforms: options } : options;
    const parsed = parseOptions(schema, input, optionsType);
    const list = children(parsed.transforms, optionsType, context ?? defaultContext());
    if (mode === 'some' && (parsed.n ?? 1) > list.length) {
      throw new OptionsError({
        optionsType,
        field: 'n',
        expected: `an integer <= ${list.length} (the number of transforms)`,
        received: parsed.n,
      });
    }
    return new Composition(type, mode, list, parsed.p, mode === 'some' ? (parsed.n ?? 1) : undefined);
  };
  return Object.assign(factory, { type, version: 1, kind: 'composition' as const, optionsType });
}

const listSchema = z.array(z.unknown());

/** Builds the composition factories; `defaultContext` resolves recipe JSON among the children. */
export function compositionFactories(defaultContext: () => FactoryContext) {
  /**
   * Applies every transform in order, each with its own `p`; seeds are carried down (child i
   * draws from the parent's generator forked by i).
   */
  const compose = composition(
    'compose',
    'all',
    'ComposeOptions',
    z.strictObject({ transforms: listSchema, p: probability(1) }),
    defaultContext,
  ) as TransformFactory & ((options: CompositionOptions | ChildSpec[]) => Transform);
  /** Applies exactly one transform, chosen with probability proportional to the children's `p`. */
  const oneOf = composition(
    'oneOf',
    'one',
    'OneOfOptions',
    z.strictObject({ transforms: listSchema.min(1), p: probability(1) }),
    defaultContext,
  ) as TransformFactory & ((options: CompositionOptions | ChildSpec[]) => Transform);
  /** Applies `n` distinct transforms chosen uniformly, in recipe order. `n` @default 1. */
  const someOf = composition(
    'someOf',
    'some',
    'SomeOfOptions',
    z.strictObject({ transforms: listSchema.min(1), n: z.int().min(0).default(1), p: probability(1) }),
    defaultContext,
  ) as TransformFactory & ((options: CompositionOptions & { n?: number }) => Transform);
  return { compose, oneOf, someOf };
}
