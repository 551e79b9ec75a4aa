import { DataError, GrowsetError, parseOptions, type RawImage, type Rng } from '@growset/core';
import { z } from 'zod';
import { remap } from './engine/js/remap.ts';
import { runJsEngine } from './engine/js/run.ts';
import type { EngineContext, PlanSummary, ResolvedOutput } from './engine/types.ts';
import { runVipsEngine } from './engine/vips/run.ts';
import { warpStages } from './geometry/warp.ts';
import type { EncodeFormat } from './image/codec.ts';
import { fromFloat, toFloatImage } from './image/codec.ts';
import { DEFAULT_MAX_PIXELS, inspectImage, type SourceImage } from './image/source.ts';
import { type EraseOp, type EraseRect, type GeometricOp, isGeometric, type PlanOp } from './ops/types.ts';
import { validateBoxes } from './targets/boxes.ts';
import { moveBoxes, moveKeypoints } from './targets/move.ts';
import type { AugmentTarget, DroppedBox, DroppedKeypoint } from './targets/types.ts';
import type { AppliedParams, Transform } from './transforms/contract.ts';

const applyOptionsSchema = z.strictObject({
  output: z.enum(['same', 'jpeg', 'png', 'webp', 'raw', 'float32']).default('same'),
  quality: z.int().min(1).max(100).default(90),
  engine: z.enum(['auto', 'libvips', 'js']).default('auto'),
  maxPixels: z.int().min(1).default(DEFAULT_MAX_PIXELS),
  minVisibility: z.number().min(0).max(1).default(0),
  maskFill: z.int().min(0).max(255).default(0),
});

/** How to run a recipe on an image and what to produce. */
export interface ApplyOptions {
  /**
   * `same` keeps the input's encoding (JPEG, PNG or WebP; PNG for other formats; raw pixels for
   * raw input); `jpeg`, `png`, `webp` encode; `raw` gives pixels in the input's dtype; `float32`
   * gives pixels in [0, 1] (or normalized values when the recipe ends with `normalize`).
   * @default 'same'
   */
  output?: 'same' | 'jpeg' | 'png' | 'webp' | 'raw' | 'float32';
  /** JPEG and WebP quality. @default 90 */
  quality?: number;
  /**
   * `libvips` fuses the plan into few libvips passes; `js` runs it on typed arrays (fastest for
   * tiny images, no native calls); `auto` picks `js` for raw images up to 128x128 and for
   * grey+alpha or float32 images, else `libvips`. Part of what makes a replay byte-identical.
   * @default 'auto'
   */
  engine?: 'auto' | 'libvips' | 'js';
  /** Images with more pixels are refused as bad input before decoding. @default 50_000_000 */
  maxPixels?: number;
  /** Boxes keeping less than this fraction of their area inside the image are dropped. @default 0 */
  minVisibility?: number;
  /** Mask value where a warp reveals area outside the input. @default 0 */
  maskFill?: number;
}

/** The output of one augmentation, with the params that reproduce it. */
export interface AugmentResult {
  /** The new image (as `output` asked) and its moved mask, boxes and keypoints. */
  target: AugmentTarget;
  params: AppliedParams;
  /** Boxes and keypoints that left the image, by index in the input. */
  dropped: { boxes: DroppedBox[]; keypoints: DroppedKeypoint[] };
  plan: PlanSummary;
}

type ParsedOptions = z.output<typeof applyOptionsSchema>;

/** Applies recorded params (pure: same params and input give the same bytes). */
export function applyTransform(
  transform: Transform,
  target: AugmentTarget,
  params: AppliedParams,
  options: ApplyOptions = {},
): Promise<AugmentResult> {
  return run(transform, target, params, options);
}

/** Draws params for `target` from `rng` and applies them. */
export function augment(
  transform: Transform,
  target: AugmentTarget,
  rng: Rng,
  options: ApplyOptions = {},
): Promise<AugmentResult> {
  return run(transform, target, rng, options);
}

async function run(
  transform: Transform,
  target: AugmentTarget,
  paramsOrRng: AppliedParams | Rng,
  options: ApplyOptions,
): Promise<AugmentResult> {
  const opts = parseOptions(applyOptionsSchema, options, 'ApplyOptions');
  const source = await inspectImage(target.image, opts.maxPixels);
  const params =
    'applied' in paramsOrRng
      ? paramsOrRng
      : transform.sampleParams(paramsOrRng, shapeWithBoxes(source.shape, target));
  const ops = transform.ops(params, source.shape);
  checkNormalizeLast(ops);
  const ctx: EngineContext = { maxPixels: opts.maxPixels, output: resolveOutput(opts, source, ops) };
  const engine = chooseEngine(opts.engine, source);
  const result =
    engine === 'js' ? await runJsEngine(source, ops, ctx) : await runVipsEngine(source, ops, ctx);
  const moved = moveTargets(target, ops, source, opts);
  return {
    target: { ...moved.target, image: result.image },
    params,
    dropped: moved.dropped,
    plan: result.summary,
  };
}

/** The shape transforms draw from, with the target's boxes as pixel corners (validated). */
function shapeWithBoxes(shape: SourceImage['shape'], target: AugmentTarget): SourceImage['shape'] {
  if (!target.boxes || target.boxes.length === 0) return shape;
  const rects = validateBoxes(target.boxes, target.boxFormat ?? 'pascal_voc', shape.width, shape.height);
  return { ...shape, boxes: rects.map(({ x0, y0, x1, y1 }) => ({ x0, y0, x1, y1 })) };
}

export function checkNormalizeLast(ops: readonly PlanOp[]): void {
  const at = ops.findIndex((op) => op.op === 'normalize');
  if (at >= 0 && at !== ops.length - 1) {
    throw new GrowsetError(
      '`normalize` must be the last transform of a recipe: it turns pixels into float32',
      {
        code: 'ERR_RECIPE',
      },
    );
  }
}

function resolveOutput(opts: ParsedOptions, source: SourceImage, ops: readonly PlanOp[]): ResolvedOutput {
  const normalized = ops[ops.length - 1]?.op === 'normalize';
  let output = opts.output;
  if (output === 'same') {
    if (source.kind === 'raw' || normalized) output = normalized ? 'float32' : 'raw';
    else
      output = (['jpeg', 'png', 'webp'] as const).includes(source.format as EncodeFormat)
        ? (source.format as EncodeFormat)
        : 'png';
  }
  if (normalized && output !== 'raw' && output !== 'float32') {
    throw new GrowsetError(
      `\`normalize\` makes float32 pixels, which cannot be encoded as ${output}: use output 'float32'`,
      {
        code: 'ERR_RECIPE',
      },
    );
  }
  if (output === 'raw') return { kind: 'raw' };
  if (output === 'float32') return { kind: 'float32' };
  return { kind: 'encoded', format: output, quality: opts.quality };
}

/** Raw images at most this many pixels run on typed arrays under `engine: 'auto'`. */
const SMALL_RAW_PIXELS = 128 * 128;

function chooseEngine(engine: ParsedOptions['engine'], source: SourceImage): 'js' | 'libvips' {
  const { channels, dtype, width, height } = source.shape;
  const libvipsCan = channels !== 2 && dtype !== 'float32';
  if (engine === 'libvips' && !libvipsCan) {
    throw new GrowsetError(
      `engine 'libvips' cannot process ${channels === 2 ? 'grey+alpha' : 'float32'} images: use 'auto' or 'js'`,
      {
        code: 'ERR_OPTIONS',
      },
    );
  }
  if (engine !== 'auto') return engine;
  if (!libvipsCan) return 'js';
  return source.kind === 'raw' && width * height <= SMALL_RAW_PIXELS ? 'js' : 'libvips';
}

function moveTargets(
  target: AugmentTarget,
  ops: readonly PlanOp[],
  source: SourceImage,
  opts: ParsedOptions,
): { target: AugmentTarget; dropped: AugmentResult['dropped'] } {
  const input = { width: source.shape.width, height: source.shape.height };
  if (!ops.some((op) => op.op === 'erase' && op.targets))
    return moveThrough(target, ops.filter(isGeometric), input, opts);
  // Dropout holes act on the targets where they happen: move through the warps before them,
  // cut, go on. Dropped indices are kept relative to the input lists.
  let current = target;
  let size = input;
  let boxIndex = (target.boxes ?? []).map((_, i) => i);
  let pointIndex = (target.keypoints ?? []).map((_, i) => i);
  const dropped: AugmentResult['dropped'] = { boxes: [], keypoints: [] };
  let run: GeometricOp[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const moved = moveThrough(current, run, size, opts);
    const goneBoxes = new Set(moved.dropped.boxes.map((d) => d.index));
    const gonePoints = new Set(moved.dropped.keypoints.map((d) => d.index));
    dropped.boxes.push(...moved.dropped.boxes.map((d) => ({ ...d, index: boxIndex[d.index]! })));
    dropped.keypoints.push(...moved.dropped.keypoints.map((d) => ({ ...d, index: pointIndex[d.index]! })));
    boxIndex = boxIndex.filter((_, i) => !goneBoxes.has(i));
    pointIndex = pointIndex.filter((_, i) => !gonePoints.has(i));
    current = moved.target;
    const last = run[run.length - 1]!;
    size = { width: last.width, height: last.height };
    run = [];
  };
  for (const op of ops) {
    if (isGeometric(op)) run.push(op);
    else if (op.op === 'erase' && op.targets) {
      flush();
      const cut = dropOutTargets(current, op, size, opts.minVisibility);
      dropped.boxes.push(...cut.dropped.map((d) => ({ ...d, index: boxIndex[d.index]! })));
      const gone = new Set(cut.dropped.map((d) => d.index));
      boxIndex = boxIndex.filter((_, i) => !gone.has(i));
      current = cut.target;
    }
  }
  flush();
  return { target: current, dropped };
}

/** Fills the holes of a dropout in the mask and drops the boxes they cover (below `minVisibility`). */
function dropOutTargets(
  target: AugmentTarget,
  op: EraseOp,
  size: { width: number; height: number },
  minVisibility: number,
): { target: AugmentTarget; dropped: DroppedBox[] } {
  let mask = target.mask;
  const maskFill = op.targets?.maskFill;
  if (mask && maskFill !== undefined) {
    moveMask(mask, [], size, 0); // validates the mask
    const data = new Uint8Array(mask.data as Uint8Array);
    for (const r of op.rects)
      for (let y = Math.max(0, r.y); y < Math.min(size.height, r.y + r.height); y++)
        data.fill(
          maskFill,
          y * size.width + Math.max(0, r.x),
          y * size.width + Math.min(size.width, r.x + r.width),
        );
    mask = { ...mask, data };
  }
  const dropped: DroppedBox[] = [];
  const format = target.boxFormat ?? 'pascal_voc';
  const rects = validateBoxes(target.boxes ?? [], format, size.width, size.height);
  const kept = (target.boxes ?? []).filter((box, index) => {
    const rect = rects[index]!;
    const visibility = 1 - coveredShare(rect, op.rects);
    if (visibility > 0 && visibility >= minVisibility) return true;
    dropped.push({ index, ...(box.label === undefined ? {} : { label: box.label }), visibility });
    return false;
  });
  return {
    target: { ...target, ...(mask ? { mask } : {}), ...(target.boxes ? { boxes: kept } : {}) },
    dropped,
  };
}

/** The share of a box's area covered by the union of rectangles (exact, by compressed coordinates). */
function coveredShare(
  box: { x0: number; y0: number; x1: number; y1: number },
  rects: readonly EraseRect[],
): number {
  const area = (box.x1 - box.x0) * (box.y1 - box.y0);
  if (!(area > 0)) return 1;
  const inside = rects.filter(
    (r) => r.x < box.x1 && r.x + r.width > box.x0 && r.y < box.y1 && r.y + r.height > box.y0,
  );
  if (inside.length === 0) return 0;
  const cuts = (lo: number, hi: number, edges: number[]) =>
    [...new Set([lo, hi, ...edges.filter((v) => v > lo && v < hi)])].sort((a, b) => a - b);
  const xs = cuts(
    box.x0,
    box.x1,
    inside.flatMap((r) => [r.x, r.x + r.width]),
  );
  const ys = cuts(
    box.y0,
    box.y1,
    inside.flatMap((r) => [r.y, r.y + r.height]),
  );
  let covered = 0;
  for (let j = 0; j + 1 < ys.length; j++)
    for (let i = 0; i + 1 < xs.length; i++) {
      const cx = (xs[i]! + xs[i + 1]!) / 2;
      const cy = (ys[j]! + ys[j + 1]!) / 2;
      if (inside.some((r) => cx >= r.x && cx < r.x + r.width && cy >= r.y && cy < r.y + r.height))
        covered += (xs[i + 1]! - xs[i]!) * (ys[j + 1]! - ys[j]!);
    }
  return covered / area;
}

function moveThrough(
  target: AugmentTarget,
  geometric: readonly GeometricOp[],
  input: { width: number; height: number },
  opts: ParsedOptions,
): { target: AugmentTarget; dropped: AugmentResult['dropped'] } {
  const last = geometric[geometric.length - 1];
  const output = last ? { width: last.width, height: last.height } : input;
  const stages = warpStages(geometric, input.width, input.height);
  const format = target.boxFormat ?? 'pascal_voc';
  const boxes = target.boxes
    ? moveBoxes(target.boxes, format, stages, input, output, opts.minVisibility)
    : undefined;
  const keypoints = target.keypoints ? moveKeypoints(target.keypoints, stages, input) : undefined;
  const mask = target.mask ? moveMask(target.mask, geometric, input, opts.maskFill) : undefined;
  return {
    target: {
      image: target.image,
      ...(mask ? { mask } : {}),
      ...(boxes ? { boxes: boxes.boxes, boxFormat: format } : {}),
      ...(keypoints ? { keypoints: keypoints.keypoints } : {}),
    },
    dropped: { boxes: boxes?.dropped ?? [], keypoints: keypoints?.dropped ?? [] },
  };
}

/** Moves a label mask with the same warps, nearest-neighbour (labels are never blended). */
export function moveMask(
  mask: RawImage,
  geometric: readonly GeometricOp[],
  input: { width: number; height: number },
  fill: number,
): RawImage {
  if (
    mask.dtype !== 'uint8' ||
    mask.channels !== 1 ||
    mask.width !== input.width ||
    mask.height !== input.height
  ) {
    throw new DataError(
      'invalid mask',
      `a mask must be uint8, 1 channel, ${input.width}x${input.height}; got ${mask.dtype}, ${mask.channels} channel(s), ${mask.width}x${mask.height}`,
    );
  }
  if (geometric.length === 0) return mask;
  const stages = warpStages(geometric, input.width, input.height);
  const moved = remap(toFloatImage(mask), stages, {
    interpolation: 'nearest',
    fills: stages.map(() => [fill]),
  });
  return fromFloat(moved, 'uint8', 1);
}
