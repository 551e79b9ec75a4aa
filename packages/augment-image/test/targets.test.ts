import { type RawImage, Rng } from '@growset/core';
import { describe, expect, it } from 'vitest';
import {
  affine,
  augment,
  type Box,
  bboxSafeRandomCrop,
  coarseDropout,
  compose,
  convertBoxes,
  defaultRegistry,
  elasticTransform,
  horizontalFlip,
  type Keypoint,
  perspective,
  randomResizedCrop,
  rotate,
  type Transform,
  thinPlateSpline,
} from '../src/index.ts';
import { isGeometric } from '../src/internals/ops/types.ts';
import { makeImage } from './helpers/images.ts';

const W = 96;
const H = 80;
const BOX = { x0: 26, y0: 20, x1: 70, y1: 58 };
const DOTS: Keypoint[] = [
  { x: 34.5, y: 28.5, label: 'a' },
  { x: 60.5, y: 30.5, label: 'b' },
  { x: 46.5, y: 50.5, label: 'c' },
];

/** Red: the box as a filled rectangle; green: a 5x5 dot on each keypoint. */
const scene: RawImage = makeImage(W, H, 3, 'uint8', (x, y, c) => {
  if (c === 0) return x >= BOX.x0 && x < BOX.x1 && y >= BOX.y0 && y < BOX.y1 ? 255 : 0;
  if (c === 1)
    return DOTS.some((d) => Math.abs(x + 0.5 - d.x) <= 2 && Math.abs(y + 0.5 - d.y) <= 2) ? 255 : 0;
  return 0;
});

/** Every geometric transform, with options strong enough to move things a lot. */
const GEOMETRIC: { [type: string]: { [option: string]: unknown } } = {
  horizontalFlip: { p: 1 },
  verticalFlip: { p: 1 },
  rotate: { limit: 40 },
  affine: {
    scale: [0.7, 1.3],
    rotate: [-30, 30],
    translateX: [-0.15, 0.15],
    translateY: [-0.15, 0.15],
    shearX: [-15, 15],
    shearY: [-10, 10],
  },
  randomResizedCrop: { width: 64, height: 56, scale: [0.3, 1] },
  randomCrop: { width: 72, height: 64 },
  centerCrop: { width: 70, height: 90 },
  resize: { width: 50, height: 120 },
  pad: { padding: [3, 9, 5, 1], minWidth: 110 },
  perspective: { scale: [0.05, 0.15] },
  elasticTransform: { alpha: 40, sigma: 6 },
  bboxSafeRandomCrop: { width: 64, height: 56 },
  shiftScaleRotate: { shiftLimit: 0.1, scaleLimit: 0.2, rotateLimit: 30, border: 'constant' },
  gridDistortion: { steps: 4, distortLimit: 0.4, border: 'constant' },
  opticalDistortion: { distortLimit: 0.3, shiftLimit: 0.1 },
  thinPlateSpline: { points: 4, scale: 0.4, border: 'constant' },
  // Policies mix warps with colour ops; only draws whose ops are all warps are compared (below).
  randAugment: { numOps: 2, magnitude: 20, interpolation: 'bilinear' },
  trivialAugmentWide: { interpolation: 'bilinear' },
  autoAugment: { interpolation: 'bilinear' },
};

function extent(
  image: RawImage,
  channel: number,
): { x0: number; y0: number; x1: number; y1: number } | undefined {
  let [x0, y0, x1, y1] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, -1, -1];
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++) {
      if (image.data[(y * image.width + x) * image.channels + channel]! < 128) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x + 1);
      y1 = Math.max(y1, y + 1);
    }
  return x1 < 0 ? undefined : { x0, y0, x1, y1 };
}

function brightestNear(image: RawImage, channel: number, x: number, y: number, radius: number): number {
  let best = 0;
  for (let yy = Math.floor(y - radius); yy <= Math.floor(y + radius); yy++)
    for (let xx = Math.floor(x - radius); xx <= Math.floor(x + radius); xx++) {
      if (xx < 0 || yy < 0 || xx >= image.width || yy >= image.height) continue;
      best = Math.max(best, image.data[(yy * image.width + xx) * image.channels + channel]!);
    }
  return best;
}

describe('targets move with every geometric transform (property tests over many seeds)', () => {
  it('covers every geometric transform in the registry', () => {
    const geometric = defaultRegistry()
      .factories.filter((f) => f.kind === 'geometric')
      .map((f) => f.type);
    expect(geometric.sort()).toEqual(Object.keys(GEOMETRIC).sort());
  });

  for (const [type, options] of Object.entries(GEOMETRIC)) {
    it(`${type}: the drawn box stays within 2 px of the moved box and each kept keypoint stays on its dot (both engines)`, async () => {
      const t = defaultRegistry().fromJSON({ type, ...options }) as Transform;
      let checkedBoxes = 0;
      let checkedDots = 0;
      // 24 draws, or more (up to 400) until enough of them only warp (policies draw colour ops too).
      for (let seed = 0; seed < 400 && (seed < 24 || checkedBoxes <= 12 || checkedDots <= 24); seed++) {
        const engine = seed % 2 === 0 ? 'js' : 'libvips';
        const result = await augment(
          t,
          {
            image: scene,
            boxes: [{ coords: [BOX.x0, BOX.y0, BOX.x1, BOX.y1], label: 'box' }],
            keypoints: DOTS,
          },
          Rng.create(`targets:${type}:${seed}`),
          { output: 'raw', engine },
        );
        expect((result.target.keypoints?.length ?? 0) + result.dropped.keypoints.length).toBe(DOTS.length);
        const shape = { width: W, height: H, channels: 3 as const, dtype: 'uint8' as const };
        if (!t.ops(result.params, shape).every(isGeometric)) continue;
        const out = result.target.image as RawImage;
        const drawn = extent(out, 0);
        const moved = result.target.boxes?.[0];
        if (moved && drawn) {
          const [x0, y0, x1, y1] = moved.coords;
          const where = `${type} seed ${seed} (${engine}): drawn ${JSON.stringify(drawn)} vs box ${moved.coords.map((v) => v.toFixed(1))}`;
          expect(Math.abs(drawn.x0 - x0), where).toBeLessThanOrEqual(2);
          expect(Math.abs(drawn.y0 - y0), where).toBeLessThanOrEqual(2);
          expect(Math.abs(drawn.x1 - x1), where).toBeLessThanOrEqual(2);
          expect(Math.abs(drawn.y1 - y1), where).toBeLessThanOrEqual(2);
          checkedBoxes++;
        } else {
          expect(drawn, `${type} seed ${seed}: box dropped but still drawn`).toBeUndefined();
        }
        for (const kp of result.target.keypoints ?? []) {
          expect(
            brightestNear(out, 1, kp.x, kp.y, 1.5),
            `${type} seed ${seed}: keypoint ${kp.label} off its dot`,
          ).toBeGreaterThan(100);
          checkedDots++;
        }
      }
      expect(checkedBoxes).toBeGreaterThan(12);
      expect(checkedDots).toBeGreaterThan(24);
    });
  }

  it('a chain of geometric transforms keeps the box and dots aligned too', async () => {
    const chain = compose([
      horizontalFlip({ p: 0.5 }),
      rotate({ limit: 20 }),
      randomResizedCrop({ width: 72, height: 64, scale: [0.5, 1] }),
      perspective({ scale: 0.05 }),
    ]);
    for (let seed = 0; seed < 12; seed++) {
      const result = await augment(
        chain,
        { image: scene, boxes: [{ coords: [BOX.x0, BOX.y0, BOX.x1, BOX.y1] }], keypoints: DOTS },
        Rng.create(`chain:${seed}`),
        { output: 'raw' },
      );
      const out = result.target.image as RawImage;
      const drawn = extent(out, 0);
      const moved = result.target.boxes?.[0];
      if (!moved || !drawn) continue;
      expect(Math.abs(drawn.x0 - moved.coords[0])).toBeLessThanOrEqual(2);
      expect(Math.abs(drawn.y1 - moved.coords[3])).toBeLessThanOrEqual(2);
      for (const kp of result.target.keypoints ?? [])
        expect(brightestNear(out, 1, kp.x, kp.y, 1.5)).toBeGreaterThan(100);
    }
  });
});

describe('boxes', () => {
  it('moves pascal_voc, coco and yolo boxes identically', async () => {
    const pascal: Box[] = [{ coords: [BOX.x0, BOX.y0, BOX.x1, BOX.y1], label: 'box' }];
    const t = affine({ rotate: 12, scale: 0.9, translateX: 0.05 });
    const results: Box[][] = [];
    for (const format of ['pascal_voc', 'coco', 'yolo'] as const) {
      const boxes = convertBoxes(pascal, 'pascal_voc', format, { width: W, height: H });
      const r = await augment(t, { image: scene, boxes, boxFormat: format }, Rng.create(3), {
        output: 'raw',
      });
      expect(r.target.boxFormat).toBe(format);
      results.push(convertBoxes(r.target.boxes ?? [], format, 'pascal_voc', { width: W, height: H }));
    }
    for (const r of results.slice(1)) {
      r[0]!.coords.forEach((v, i) => {
        expect(v).toBeCloseTo(results[0]![0]!.coords[i]!, 6);
      });
      expect(r[0]!.label).toBe('box');
    }
  });

  it('clips boxes to the image and drops those below the minimum visible fraction, recording the drop', async () => {
    // Shift right by 40% of the width: the box (x 26..70 of 96) keeps 26..96 of its 44 px width.
    const t = affine({ translateX: 0.4 });
    const boxes: Box[] = [
      { coords: [BOX.x0, BOX.y0, BOX.x1, BOX.y1], label: 'half' },
      { coords: [60, 10, 90, 20], label: 'gone' },
    ];
    const r = await augment(t, { image: scene, boxes }, Rng.create(1), { output: 'raw', minVisibility: 0.3 });
    expect(r.target.boxes).toHaveLength(1);
    const [x0, , x1] = r.target.boxes![0]!.coords;
    expect(x0).toBeCloseTo(BOX.x0 + 38.4, 6);
    expect(x1).toBe(W);
    expect(r.dropped.boxes).toEqual([{ index: 1, label: 'gone', visibility: 0 }]);
    const strict = await augment(t, { image: scene, boxes }, Rng.create(1), {
      output: 'raw',
      minVisibility: 0.9,
    });
    expect(strict.target.boxes).toEqual([]);
    expect(strict.dropped.boxes.map((d) => d.label)).toEqual(['half', 'gone']);
    expect(strict.dropped.boxes[0]!.visibility).toBeCloseTo((W - BOX.x0 - 38.4) / 44, 6);
  });

  it('reports an invalid keypoint as bad input naming it', async () => {
    await expect(
      augment(
        rotate(),
        {
          image: scene,
          keypoints: [
            { x: 1, y: 2 },
            { x: Number.NaN, y: 2 },
          ],
        },
        Rng.create(1),
        { output: 'raw' },
      ),
    ).rejects.toThrow(/invalid keypoint: keypoints\[1\]/);
  });

  it('reports an invalid box as bad input naming it', async () => {
    await expect(
      augment(rotate(), { image: scene, boxes: [{ coords: [10, 10, 5, 20] }] }, Rng.create(1), {
        output: 'raw',
      }),
    ).rejects.toThrow(/invalid box: boxes\[0\] \[10,10,5,20\]/);
  });
});

describe('masks', () => {
  const mask: RawImage = makeImage(W, H, 1, 'uint8', (x, y) =>
    x >= BOX.x0 && x < BOX.x1 && y >= BOX.y0 && y < BOX.y1 ? (x < 48 ? 1 : 2) : 0,
  );

  it('moves with nearest neighbour: only the original labels appear, aligned with the image', async () => {
    for (const t of [
      rotate({ limit: 30 }),
      elasticTransform({ alpha: 30, sigma: 5 }),
      perspective(),
      randomResizedCrop({ width: 60, height: 50 }),
      thinPlateSpline({ scale: 0.4, border: 'constant' }),
    ]) {
      for (let seed = 0; seed < 4; seed++) {
        const r = await augment(t, { image: scene, mask }, Rng.create(seed), { output: 'raw' });
        const out = r.target.image as RawImage;
        const moved = r.target.mask!;
        expect([moved.width, moved.height]).toEqual([out.width, out.height]);
        expect([...new Set(moved.data)].every((v) => v === 0 || v === 1 || v === 2)).toBe(true);
        const labelled = extent({ ...moved, data: moved.data.map((v) => (v > 0 ? 255 : 0)) }, 0);
        const drawn = extent(out, 0);
        if (!labelled || !drawn) continue;
        expect(Math.abs(labelled.x0 - drawn.x0)).toBeLessThanOrEqual(1);
        expect(Math.abs(labelled.y1 - drawn.y1)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('refuses a mask of the wrong size as bad input', async () => {
    const small = makeImage(10, 10, 1, 'uint8', () => 0);
    await expect(augment(rotate(), { image: scene, mask: small }, Rng.create(1))).rejects.toThrow(
      /invalid mask/,
    );
  });
});

describe('dropout holes act on masks and boxes where they happen in the chain', () => {
  it('a hole cut before a flip lands flipped in the mask, and the box it covers is dropped with its input index', async () => {
    const chain = compose([coarseDropout({ fill: 0, maskFill: 5 }), horizontalFlip({ p: 1 })]);
    const mask: RawImage = {
      kind: 'raw',
      data: new Uint8Array(W * H).fill(1),
      width: W,
      height: H,
      channels: 1,
      dtype: 'uint8',
    };
    const hole = { x: 10, y: 10, width: 20, height: 15 };
    const result = await chain.apply(
      {
        image: scene,
        mask,
        boxes: [
          { coords: [BOX.x0, BOX.y0, BOX.x1, BOX.y1], label: 'kept' },
          { coords: [12, 12, 28, 24], label: 'covered' },
        ],
        keypoints: DOTS,
      },
      {
        type: 'compose',
        applied: true,
        children: [
          { type: 'coarseDropout', applied: true, params: { rects: [hole], seed: 0 } },
          { type: 'horizontalFlip', applied: true, params: {} },
        ],
      },
      { output: 'raw', minVisibility: 0.2 },
    );
    const m = result.target.mask!;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const src = W - 1 - x;
        const inHole = src >= hole.x && src < hole.x + hole.width && y >= hole.y && y < hole.y + hole.height;
        expect(m.data[y * W + x], `mask (${x}, ${y})`).toBe(inHole ? 5 : 1);
      }
    expect(result.target.boxes?.map((b) => b.label)).toEqual(['kept']);
    expect(result.target.boxes?.[0]?.coords).toEqual([W - BOX.x1, BOX.y0, W - BOX.x0, BOX.y1]);
    expect(result.dropped.boxes).toEqual([{ index: 1, label: 'covered', visibility: 0 }]);
    expect(result.target.keypoints?.map((k) => k.x)).toEqual(DOTS.map((d) => W - d.x));
  });
});

describe('transforms that draw around boxes see them where earlier warps moved them', () => {
  it('bboxSafeRandomCrop after a flip keeps the flipped box whole', async () => {
    const chain = compose([horizontalFlip({ p: 1 }), bboxSafeRandomCrop()]);
    const box = { x0: 4, y0: 30, x1: 20, y1: 50 };
    for (let seed = 0; seed < 10; seed++) {
      const result = await augment(
        chain,
        { image: scene, boxes: [{ coords: [box.x0, box.y0, box.x1, box.y1] }] },
        Rng.create(`safe:${seed}`),
        { output: 'raw' },
      );
      const crop = result.params.children?.[1]?.params as {
        x: number;
        y: number;
        width: number;
        height: number;
      };
      expect(crop.x).toBeLessThanOrEqual(W - box.x1);
      expect(crop.x + crop.width).toBeGreaterThanOrEqual(W - box.x0);
      expect(result.target.boxes?.[0]?.coords).toEqual([
        W - box.x1 - crop.x,
        box.y0 - crop.y,
        W - box.x0 - crop.x,
        box.y1 - crop.y,
      ]);
    }
  });
});
