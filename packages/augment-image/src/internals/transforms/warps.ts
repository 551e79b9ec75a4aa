import { z } from 'zod';
import { homographyFromPoints, type Point } from '../geometry/matrix.ts';
import { leafTransform } from './contract.ts';
import { border, bounds, fill, fillArray, interpolation, probability, range } from './schema.ts';

/**
 * A random perspective (albumentations' Perspective with keep_size): each corner moves inward by
 * |N(0, s)| of the width and height, s drawn from `scale`, and the quadrilateral they bound is
 * stretched back over the whole canvas.
 *
 * Options: `scale` (@default [0.05, 0.1]), `border` (@default 'constant'), `fill` (@default 0),
 * `interpolation` (@default 'bilinear'), `p` (@default 1).
 */
export const perspective = leafTransform({
  type: 'perspective',
  version: 1,
  kind: 'geometric',
  optionsType: 'PerspectiveOptions',
  options: z.strictObject({
    scale: range(0, 0.5).default([0.05, 0.1]),
    border,
    fill,
    interpolation,
    p: probability(1),
  }),
  params: z.strictObject({ corners: z.array(z.number().min(0).max(0.49)).length(8) }),
  sample: (rng, _, o) => {
    const [lo, hi] = bounds(o.scale);
    const s = rng.uniform(lo, hi);
    const corners = Array.from({ length: 8 }, () => Math.min(0.49, Math.abs(rng.normal(0, s))));
    return { corners };
  },
  ops: ({ corners: c }, { width: W, height: H }, o) => {
    const from: Point[] = [
      [c[0]! * W, c[1]! * H],
      [W - c[2]! * W, c[3]! * H],
      [W - c[4]! * W, H - c[5]! * H],
      [c[6]! * W, H - c[7]! * H],
    ];
    const to: Point[] = [
      [0, 0],
      [W, 0],
      [W, H],
      [0, H],
    ];
    return [
      {
        op: 'perspective',
        matrix: homographyFromPoints(from, to),
        width: W,
        height: H,
        border: o.border,
        fill: fillArray(o.fill),
        interpolation: o.interpolation,
      },
    ];
  },
});

/**
 * Elastic deformation as in Simard, Steinkraus and Platt (2003), the classic gain on handwritten
 * digits: uniform random displacements in [-1, 1] per pixel, smoothed by a Gaussian of `sigma` px
 * and scaled by `alpha` px. Simard's MNIST values (alpha 34, sigma 4 on 28x28) are the defaults;
 * scale both with the image size for larger images.
 *
 * Options: `alpha` (@default 34), `sigma` (@default 4), `border` (@default 'constant'), `fill`
 * (@default 0), `interpolation` (@default 'bilinear'), `p` (@default 1).
 */
export const elasticTransform = leafTransform({
  type: 'elasticTransform',
  version: 1,
  kind: 'geometric',
  optionsType: 'ElasticTransformOptions',
  options: z.strictObject({
    alpha: z.number().min(0).max(10000).default(34),
    sigma: z.number().min(0.1).max(1000).default(4),
    border,
    fill,
    interpolation,
    p: probability(1),
  }),
  params: z.strictObject({ seed: z.int().min(0) }),
  sample: (rng) => ({ seed: rng.nextUint32() }),
  ops: ({ seed }, { width, height }, o) => [
    {
      op: 'elastic',
      alpha: o.alpha,
      sigma: o.sigma,
      seed,
      width,
      height,
      border: o.border,
      fill: fillArray(o.fill),
      interpolation: o.interpolation,
    },
  ],
});
