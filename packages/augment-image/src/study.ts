/**
 * `@growset/augment-image/study`: what `@growset/study` loads to augment a trial's training images
 * (a variant's `augment: { kind: 'image', recipe }`, copies or fresh every epoch). Typed against
 * the study's `ImageAugmenter` where the study imports it.
 */
import type { JsonObject, JsonValue, RawImage, Rng } from '@growset/core';
import { augmentRaw } from './internals/raw.ts';
import { parseRecipe } from './internals/transforms/builtins.ts';
import { paramsToJson, type Transform } from './internals/transforms/contract.ts';

/** Parsed recipes by their JSON text: a trial applies the same recipe to every image. */
const recipes = new Map<string, Transform>();

/**
 * Applies a JSON recipe (parsed once per recipe) to raw pixels with the trial's generator, like
 * {@link augmentRaw}, and returns the image with its sampled parameters as JSON for the lineage.
 */
export function augmentImageJson(
  recipe: JsonObject,
  image: RawImage,
  rng: Rng,
): { image: RawImage; params: JsonValue } {
  const key = JSON.stringify(recipe);
  let parsed = recipes.get(key);
  if (parsed === undefined) {
    parsed = parseRecipe(recipe);
    recipes.set(key, parsed);
  }
  const result = augmentRaw(parsed, image, rng);
  return { image: result.image, params: paramsToJson(result.params) };
}
