// A real (if simple) image augmenter for study tests: a random horizontal shift of up to two
// pixels with zero fill, drawn from the trial's generator. Same contract as augmentRaw.
import type { JsonObject, RawImage, Rng } from '@growset/core';

export function shiftAugment(
  _recipe: JsonObject,
  image: RawImage,
  rng: Rng,
): { image: RawImage; params: JsonObject } {
  const dx = rng.int(-2, 2);
  const { width, height, channels } = image;
  const out = new Uint8Array(width * height * channels);
  const src = image.data as Uint8Array;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = x - dx;
      if (sx < 0 || sx >= width) continue;
      for (let c = 0; c < channels; c++)
        out[(y * width + x) * channels + c] = src[(y * width + sx) * channels + c]!;
    }
  }
  return { image: { ...image, data: out }, params: { dx } };
}
