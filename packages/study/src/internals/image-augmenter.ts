import type { JsonObject, JsonValue, RawImage, Rng } from '@growset/core';

interface AugmentImageModule {
  parseRecipe(spec: unknown): unknown;
  augmentRaw(recipe: unknown, image: RawImage, rng: Rng): { image: RawImage; params: unknown };
  paramsToJson?(params: unknown): JsonValue;
}

let module: Promise<AugmentImageModule> | undefined;
const recipes = new Map<string, unknown>();

/**
 * The study's default image augmenter: parses a JSON recipe of `@growset/augment-image` (once per
 * recipe) and applies it to raw pixels with the trial's generator. Loaded by name, so the study
 * package does not depend on augment-image unless images are augmented.
 */
export async function augmentImageJson(
  recipe: JsonObject,
  image: RawImage,
  rng: Rng,
): Promise<{ image: RawImage; params?: JsonValue }> {
  module ??= import('@growset/augment-image' as string) as Promise<AugmentImageModule>;
  const mod = await module;
  const key = JSON.stringify(recipe);
  let parsed = recipes.get(key);
  if (parsed === undefined) {
    parsed = mod.parseRecipe(recipe);
    recipes.set(key, parsed);
  }
  const result = mod.augmentRaw(parsed, image, rng);
  const params = mod.paramsToJson ? mod.paramsToJson(result.params) : undefined;
  return { image: result.image, ...(params === undefined ? {} : { params }) };
}

/**
 * Elastic distortions and small affine warps, the classic gain on handwritten digits (Simard et
 * al. 2003), as a JSON recipe for `@growset/augment-image`.
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
