import type { JsonObject } from '@growset/core';

/**
 * Elastic distortions and small affine warps, the classic gain on handwritten digits (Simard et
 * al. 2003), as a JSON recipe for `@growset/augment-image` (applied in trials by
 * `@growset/augment-image/study`).
 */
export const DIGITS_RECIPE: JsonObject = {
  type: 'compose',
  transforms: [
    {
      type: 'affine',
      rotate: [-12, 12],
      scale: [0.9, 1.1],
      translateX: [-0.08, 0.08],
      translateY: [-0.08, 0.08],
      shearX: [-10, 10],
    },
    { type: 'elasticTransform', alpha: 34, sigma: 4, p: 0.5 },
  ],
};
