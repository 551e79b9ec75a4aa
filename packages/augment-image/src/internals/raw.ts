import { GrowsetError, type RawImage, type Rng } from '@growset/core';
import { pixelContext, runOpsOnFloat } from './engine/js/run.ts';
import { checkNormalizeLast } from './execute.ts';
import { fromFloat, toFloatImage } from './image/codec.ts';
import { maxValue, shapeOf } from './image/shape.ts';
import type { AppliedParams, Transform } from './transforms/contract.ts';

export interface AugmentRawOptions {
  /**
   * `raw` keeps the input dtype (uint8 stays uint8); `float32` gives values in [0, 1] (or the
   * normalized values when the recipe ends with `normalize`), ready for a tensor.
   * @default 'raw'
   */
  output?: 'raw' | 'float32';
}

export interface AugmentRawResult {
  image: RawImage;
  /** What was drawn; store it in the lineage, replay it with {@link replayRaw}. */
  params: AppliedParams;
}

/**
 * The fast in-process path for training loops: augments raw pixels (e.g. a 28x28 grey MNIST
 * digit) on typed arrays, synchronously, with no encoding and no native calls. Geometry is one
 * resampling of the source however many warps the recipe has. Deterministic for a given
 * generator key: fork the trial's generator per sample and epoch. Recipes with
 * `jpegCompression` need libvips: use `augment()` for those.
 *
 * @example
 * const recipe = compose([affine({ rotate: [-10, 10], scale: [0.9, 1.1] }), elasticTransform()]);
 * const { image, params } = augmentRaw(recipe, digit, rng.fork(`${sample.id}:${epoch}`), { output: 'float32' });
 */
export function augmentRaw(
  recipe: Transform,
  image: RawImage,
  rng: Rng,
  options: AugmentRawOptions = {},
): AugmentRawResult {
  const params = recipe.sampleParams(rng, shapeOf(image));
  return { image: replayRaw(recipe, image, params, options), params };
}

/** Applies recorded params to raw pixels (pure: the same params give the same values). */
export function replayRaw(
  recipe: Transform,
  image: RawImage,
  params: AppliedParams,
  options: AugmentRawOptions = {},
): RawImage {
  const ops = recipe.ops(params, shapeOf(image));
  checkNormalizeLast(ops);
  if (ops.some((op) => op.op === 'jpeg')) {
    throw new GrowsetError(
      'augmentRaw cannot run `jpegCompression` or `imageCompression` (they need libvips): use augment() instead',
      {
        code: 'ERR_RECIPE',
      },
    );
  }
  if (image.data.length !== image.width * image.height * image.channels) {
    throw new GrowsetError(
      `Raw image has ${image.data.length} values but ${image.width}x${image.height}x${image.channels} needs ${image.width * image.height * image.channels}`,
      {
        code: 'ERR_BAD_IMAGE',
      },
    );
  }
  const pctx = pixelContext(image);
  const out = runOpsOnFloat(toFloatImage(image), ops, pctx, []);
  const normalized = ops[ops.length - 1]?.op === 'normalize';
  if (normalized) return fromFloat(out, 'float32', 1);
  if (options.output === 'float32') return fromFloat(out, 'float32', maxValue(image.dtype));
  if (image.dtype === 'float32') return fromFloat(out, 'float32', 1);
  return fromFloat(out, image.dtype, 1);
}
