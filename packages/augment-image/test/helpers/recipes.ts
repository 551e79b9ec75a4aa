/**
 * Issue 8's and 17's recipe (flip, rotate 15, random resized crop to `size`, colour jitter,
 * Gaussian blur) as recipe JSON: the tests, the CLI tests and the benchmarks share it.
 */
export function issueRecipe(size = 224) {
  return {
    type: 'compose',
    transforms: [
      { type: 'horizontalFlip', p: 0.5 },
      { type: 'rotate', limit: 15 },
      { type: 'randomResizedCrop', width: size, height: size, scale: [0.6, 1.0] },
      { type: 'colorJitter', brightness: 0.2, saturation: 0.2 },
      { type: 'gaussianBlur', sigma: [0.5, 1.5] },
    ],
  };
}
