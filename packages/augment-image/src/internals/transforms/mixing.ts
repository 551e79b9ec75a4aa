import {
  GrowsetError,
  type JsonObject,
  optionsErrorFromZod,
  parseOptions,
  type RawImage,
  type Rng,
} from '@growset/core';
import { z } from 'zod';
import type { ImageShape } from '../image/shape.ts';
import { allocate } from '../image/shape.ts';
import { betaSample } from '../ops/beta.ts';
import {
  type AppliedParams,
  checkParams,
  type SerializedTransform,
  type TransformFactory,
} from './contract.ts';
import type { MixResult, MixTransform } from './mixing-contract.ts';
import { probability } from './schema.ts';

interface MixSpec<P extends z.ZodType> {
  type: string;
  version: number;
  optionsType: string;
  defaultAlpha: number;
  params: P;
  sample(rng: Rng, shape: ImageShape, alpha: number): z.output<P>;
  mix(a: RawImage, b: RawImage, params: z.output<P>): MixResult;
}

const mixOptions = (defaultAlpha: number) =>
  z.strictObject({ alpha: z.number().positive().max(100).default(defaultAlpha), p: probability(1) });

class Mixer<P extends z.ZodType> implements MixTransform {
  readonly kind = 'mixing';
  readonly targets = ['image'] as const;
  readonly #spec: MixSpec<P>;
  readonly #options: { alpha: number; p: number };

  constructor(spec: MixSpec<P>, options: { alpha: number; p: number }) {
    this.#spec = spec;
    this.#options = options;
  }
  get type(): string {
    return this.#spec.type;
  }
  get version(): number {
    return this.#spec.version;
  }
  get p(): number {
    return this.#options.p;
  }
  get options(): JsonObject {
    return { ...this.#options };
  }

  sampleParams(rng: Rng, shape: ImageShape, force = false): AppliedParams {
    if (!force && this.p < 1 && !rng.bool(this.p)) return { type: this.type, applied: false };
    return {
      type: this.type,
      applied: true,
      params: this.#spec.sample(rng, shape, this.#options.alpha) as JsonObject,
    };
  }

  mix(a: RawImage, b: RawImage, params: AppliedParams): MixResult {
    checkParams(this, params);
    if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels || a.dtype !== b.dtype) {
      throw new GrowsetError(
        `${this.type} needs two images of the same size, channels and dtype; got ${a.width}x${a.height}x${a.channels} ${a.dtype} and ${b.width}x${b.height}x${b.channels} ${b.dtype}`,
        { code: 'ERR_MIX_SHAPE' },
      );
    }
    if (!params.applied) return { image: a, weight: 1 };
    const parsed = this.#spec.params.safeParse(params.params ?? {});
    if (!parsed.success) throw optionsErrorFromZod(parsed.error, params.params, `${this.type} params`);
    return this.#spec.mix(a, b, parsed.data);
  }

  toJSON(): SerializedTransform {
    return { type: this.type, version: this.version, options: this.options };
  }
}

function mixTransform<P extends z.ZodType>(
  spec: MixSpec<P>,
): TransformFactory<MixTransform> & ((options?: { alpha?: number; p?: number }) => MixTransform) {
  const schema = mixOptions(spec.defaultAlpha);
  const factory = (options: unknown = {}) => new Mixer(spec, parseOptions(schema, options, spec.optionsType));
  return Object.assign(factory, {
    type: spec.type,
    version: spec.version,
    kind: 'mixing' as const,
    optionsType: spec.optionsType,
  });
}

/**
 * mixup (Zhang et al. 2018): lambda * a + (1 - lambda) * b with lambda ~ Beta(alpha, alpha); the
 * soft label weighs a's class by lambda.
 *
 * Options: `alpha` (@default 0.4), `p` (@default 1).
 */
export const mixup = mixTransform({
  type: 'mixup',
  version: 1,
  optionsType: 'MixupOptions',
  defaultAlpha: 0.4,
  params: z.strictObject({ lambda: z.number().min(0).max(1) }),
  sample: (rng, _, alpha) => ({ lambda: betaSample(rng, alpha, alpha) }),
  mix: (a, b, { lambda }) => {
    const out = allocate(a.dtype, a.data.length);
    const round = a.dtype !== 'float32';
    for (let i = 0; i < out.length; i++) {
      const v = lambda * a.data[i]! + (1 - lambda) * b.data[i]!;
      out[i] = round ? Math.round(v) : v;
    }
    return { image: { ...a, data: out }, weight: lambda };
  },
});

/**
 * CutMix (Yun et al. 2019): a box of b, covering about 1 - lambda of the image with
 * lambda ~ Beta(alpha, alpha), pasted into a; the label weight is the area actually kept from a.
 *
 * Options: `alpha` (@default 1), `p` (@default 1).
 */
export const cutmix = mixTransform({
  type: 'cutmix',
  version: 1,
  optionsType: 'CutmixOptions',
  defaultAlpha: 1,
  params: z.strictObject({
    x: z.int().min(0),
    y: z.int().min(0),
    width: z.int().min(0),
    height: z.int().min(0),
  }),
  sample: (rng, { width: W, height: H }, alpha) => {
    const lambda = betaSample(rng, alpha, alpha);
    const cut = Math.sqrt(1 - lambda);
    const cw = Math.round(W * cut);
    const ch = Math.round(H * cut);
    const cx = rng.int(0, W - 1);
    const cy = rng.int(0, H - 1);
    const x0 = Math.max(0, cx - Math.floor(cw / 2));
    const y0 = Math.max(0, cy - Math.floor(ch / 2));
    const x1 = Math.min(W, cx + Math.ceil(cw / 2));
    const y1 = Math.min(H, cy + Math.ceil(ch / 2));
    return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
  },
  mix: (a, b, box) => {
    const { width: W, height: H, channels } = a;
    const out = allocate(a.dtype, a.data.length);
    out.set(a.data);
    const x1 = Math.min(W, box.x + box.width);
    const y1 = Math.min(H, box.y + box.height);
    for (let y = box.y; y < y1; y++) {
      const start = (y * W + box.x) * channels;
      const end = (y * W + x1) * channels;
      out.set(b.data.subarray(start, end), start);
    }
    const pasted = Math.max(0, x1 - box.x) * Math.max(0, y1 - box.y);
    return { image: { ...a, data: out }, weight: 1 - pasted / (W * H) };
  },
});
