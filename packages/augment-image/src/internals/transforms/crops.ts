import { z } from 'zod';
import { chain, scaling, translation } from '../geometry/matrix.ts';
import { leafTransform } from './contract.ts';
import { affineOp, type WarpStyle } from './geometric.ts';
import { border, bounds, fill, interpolation, probability, range, size } from './schema.ts';

const PLAIN: Pick<WarpStyle, 'border' | 'fill'> = { border: 'constant', fill: 0 };

/**
 * torchvision's RandomResizedCrop: a crop of random area (`scale`, a fraction of the image) and
 * aspect ratio (`ratio`, drawn log-uniformly), resized to `width` x `height`. After 10 failed
 * draws it falls back to a centred crop of the clamped ratio.
 *
 * Options: `width`, `height` (required), `scale` (@default [0.08, 1]), `ratio`
 * (@default [3/4, 4/3]), `interpolation` (@default 'bilinear'), `p` (@default 1).
 */
export const randomResizedCrop = leafTransform({
  type: 'randomResizedCrop',
  version: 1,
  kind: 'geometric',
  optionsType: 'RandomResizedCropOptions',
  options: z.strictObject({
    width: size,
    height: size,
    scale: range(0.0001, 1).default([0.08, 1]),
    ratio: range(0.01, 100).default([3 / 4, 4 / 3]),
    interpolation,
    p: probability(1),
  }),
  params: z.strictObject({ x: z.int(), y: z.int(), width: z.int().positive(), height: z.int().positive() }),
  sample: (rng, shape, o) => {
    const { width: W, height: H } = shape;
    const [s0, s1] = bounds(o.scale);
    const [r0, r1] = bounds(o.ratio);
    for (let attempt = 0; attempt < 10; attempt++) {
      const area = W * H * rng.uniform(s0, s1);
      const aspect = Math.exp(rng.uniform(Math.log(r0), Math.log(r1)));
      const w = Math.round(Math.sqrt(area * aspect));
      const h = Math.round(Math.sqrt(area / aspect));
      if (w > 0 && h > 0 && w <= W && h <= H)
        return { x: rng.int(0, W - w), y: rng.int(0, H - h), width: w, height: h };
    }
    const inRatio = W / H;
    let w = W;
    let h = H;
    if (inRatio < r0) h = Math.max(1, Math.round(W / r0));
    else if (inRatio > r1) w = Math.max(1, Math.round(H * r1));
    return { x: Math.floor((W - w) / 2), y: Math.floor((H - h) / 2), width: w, height: h };
  },
  ops: (p, _, o) => [
    affineOp(
      chain(translation(-p.x, -p.y), scaling(o.width / p.width, o.height / p.height)),
      o.width,
      o.height,
      { ...PLAIN, interpolation: o.interpolation },
    ),
  ],
});

/**
 * A `width` x `height` crop at a random whole-pixel position. When the crop is larger than the
 * image, the image lands at a random position inside it and the rest is filled.
 *
 * Options: `width`, `height` (required), `fill` (@default 0), `border` (@default 'constant'),
 * `p` (@default 1).
 */
export const randomCrop = leafTransform({
  type: 'randomCrop',
  version: 1,
  kind: 'geometric',
  optionsType: 'RandomCropOptions',
  options: z.strictObject({ width: size, height: size, border, fill, p: probability(1) }),
  params: z.strictObject({ x: z.int(), y: z.int() }),
  sample: (rng, { width, height }, o) => {
    const dx = width - o.width;
    const dy = height - o.height;
    return { x: rng.int(Math.min(0, dx), Math.max(0, dx)), y: rng.int(Math.min(0, dy), Math.max(0, dy)) };
  },
  ops: (p, _, o) => [
    affineOp(translation(-p.x, -p.y), o.width, o.height, { ...o, interpolation: 'nearest' }),
  ],
});

/**
 * A centred `width` x `height` crop (offsets rounded down); pads with `fill` when larger.
 *
 * Options: `width`, `height` (required), `fill` (@default 0), `p` (@default 1).
 */
export const centerCrop = leafTransform({
  type: 'centerCrop',
  version: 1,
  kind: 'geometric',
  optionsType: 'CenterCropOptions',
  options: z.strictObject({ width: size, height: size, fill, p: probability(1) }),
  params: z.strictObject({}),
  sample: () => ({}),
  ops: (_, shape, o) => {
    const x = Math.floor((shape.width - o.width) / 2);
    const y = Math.floor((shape.height - o.height) / 2);
    return [
      affineOp(translation(-x, -y), o.width, o.height, {
        border: 'constant',
        fill: o.fill,
        interpolation: 'nearest',
      }),
    ];
  },
});

/**
 * Resizes to exactly `width` x `height` (antialiased when shrinking on libvips).
 *
 * Options: `width`, `height` (required), `interpolation` (@default 'bilinear'), `p` (@default 1).
 */
export const resize = leafTransform({
  type: 'resize',
  version: 1,
  kind: 'geometric',
  optionsType: 'ResizeOptions',
  options: z.strictObject({ width: size, height: size, interpolation, p: probability(1) }),
  params: z.strictObject({}),
  sample: () => ({}),
  ops: (_, shape, o) => [
    affineOp(scaling(o.width / shape.width, o.height / shape.height), o.width, o.height, {
      ...PLAIN,
      interpolation: o.interpolation,
    }),
  ],
});

const sides = z.union(
  [z.int().min(0).max(65535), z.tuple([z.int().min(0), z.int().min(0), z.int().min(0), z.int().min(0)])],
  {
    error: 'an integer >= 0 or [top, right, bottom, left]',
  },
);

/**
 * Adds `padding` px around the image (one number, or [top, right, bottom, left]), then pads
 * evenly up to `minWidth` x `minHeight` when given (albumentations' PadIfNeeded).
 *
 * Options: `padding` (@default 0), `minWidth`, `minHeight` (@default none), `border`
 * (@default 'constant'), `fill` (@default 0), `p` (@default 1).
 */
export const pad = leafTransform({
  type: 'pad',
  version: 1,
  kind: 'geometric',
  optionsType: 'PadOptions',
  options: z.strictObject({
    padding: sides.default(0),
    minWidth: size.optional(),
    minHeight: size.optional(),
    border,
    fill,
    p: probability(1),
  }),
  params: z.strictObject({}),
  sample: () => ({}),
  ops: (_, shape, o) => {
    let [top, right, bottom, left] =
      typeof o.padding === 'number' ? [o.padding, o.padding, o.padding, o.padding] : o.padding;
    const extraW = Math.max(0, (o.minWidth ?? 0) - (shape.width + left + right));
    const extraH = Math.max(0, (o.minHeight ?? 0) - (shape.height + top + bottom));
    left += Math.floor(extraW / 2);
    right += extraW - Math.floor(extraW / 2);
    top += Math.floor(extraH / 2);
    bottom += extraH - Math.floor(extraH / 2);
    return [
      affineOp(translation(left, top), shape.width + left + right, shape.height + top + bottom, {
        border: o.border,
        fill: o.fill,
        interpolation: 'nearest',
      }),
    ];
  },
});

/**
 * albumentations' BBoxSafeRandomCrop / RandomSizedBBoxSafeCrop: a random crop that contains
 * every box of the target (the crop's left edge is drawn uniformly between 0 and the boxes'
 * leftmost edge, its right edge between their rightmost edge and the image's, likewise
 * vertically), resized to `width` x `height` when given. Without boxes it keeps the whole image.
 * Inside a composition it sees the boxes as the warps before it moved them.
 *
 * Options: `width`, `height` (@default none: the crop keeps its size), `interpolation`
 * (@default 'bilinear'), `p` (@default 1).
 */
export const bboxSafeRandomCrop = leafTransform({
  type: 'bboxSafeRandomCrop',
  version: 1,
  kind: 'geometric',
  optionsType: 'BboxSafeRandomCropOptions',
  options: z
    .strictObject({ width: size.optional(), height: size.optional(), interpolation, p: probability(1) })
    .refine((o) => (o.width === undefined) === (o.height === undefined), {
      message: 'both `width` and `height`, or neither',
      path: ['width'],
    }),
  params: z.strictObject({ x: z.int(), y: z.int(), width: z.int().positive(), height: z.int().positive() }),
  sample: (rng, { width: W, height: H, boxes }, _o) => {
    const inside = (boxes ?? []).filter((b) => b.x1 > 0 && b.y1 > 0 && b.x0 < W && b.y0 < H);
    if (inside.length === 0) return { x: 0, y: 0, width: W, height: H };
    const ux0 = Math.max(0, Math.min(...inside.map((b) => b.x0)));
    const uy0 = Math.max(0, Math.min(...inside.map((b) => b.y0)));
    const ux1 = Math.min(W, Math.max(...inside.map((b) => b.x1)));
    const uy1 = Math.min(H, Math.max(...inside.map((b) => b.y1)));
    const x = Math.floor(rng.uniform(0, ux0));
    const y = Math.floor(rng.uniform(0, uy0));
    const x1 = Math.min(W, Math.ceil(ux1 + (W - ux1) * rng.float()));
    const y1 = Math.min(H, Math.ceil(uy1 + (H - uy1) * rng.float()));
    return { x, y, width: Math.max(1, x1 - x), height: Math.max(1, y1 - y) };
  },
  ops: (p, _, o) => {
    const w = o.width ?? p.width;
    const h = o.height ?? p.height;
    return [
      affineOp(chain(translation(-p.x, -p.y), scaling(w / p.width, h / p.height)), w, h, {
        ...PLAIN,
        interpolation: w === p.width && h === p.height ? 'nearest' : o.interpolation,
      }),
    ];
  },
});
