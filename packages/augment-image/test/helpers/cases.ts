/**
 * Test arguments for every registered transform, as albumentations keeps them: documented
 * options that must be accepted, and bad options that must be rejected with the offending
 * field named. The conformance suite fails for a registered transform missing from this table.
 */
export interface TransformCase {
  valid: { [option: string]: unknown }[];
  invalid: { options: { [option: string]: unknown }; field: string }[];
}

export const CASES: { [type: string]: TransformCase } = {
  horizontalFlip: {
    valid: [{}, { p: 1 }],
    invalid: [
      { options: { p: 2 }, field: 'p' },
      { options: { prob: 1 }, field: 'prob' },
    ],
  },
  verticalFlip: {
    valid: [{ p: 1 }],
    invalid: [{ options: { p: -0.1 }, field: 'p' }],
  },
  rotate: {
    valid: [
      { limit: 15 },
      { limit: [-30, 10], border: 'reflect', interpolation: 'bicubic' },
      { limit: 45, fill: [10, 20, 30] },
    ],
    invalid: [
      { options: { limit: 'big' }, field: 'limit' },
      { options: { limit: [10, -10] }, field: 'limit' },
      { options: { border: 'wrap' }, field: 'border' },
      { options: { fill: 300 }, field: 'fill' },
    ],
  },
  affine: {
    valid: [
      {
        scale: [0.8, 1.2],
        rotate: [-20, 20],
        translateX: [-0.1, 0.1],
        translateY: [-0.1, 0.1],
        shearX: [-10, 10],
      },
      { shearY: 8, border: 'replicate' },
    ],
    invalid: [
      { options: { scale: 0 }, field: 'scale' },
      { options: { shearX: [0, 90] }, field: 'shearX[1]' },
      { options: { translateX: 2 }, field: 'translateX' },
    ],
  },
  randomResizedCrop: {
    valid: [
      { width: 40, height: 32 },
      { width: 24, height: 24, scale: [0.6, 1], ratio: [0.5, 2], interpolation: 'nearest' },
    ],
    invalid: [
      { options: { height: 24 }, field: 'width' },
      { options: { width: 24, height: 24, scale: [0, 1] }, field: 'scale[0]' },
      { options: { width: 0, height: 24 }, field: 'width' },
    ],
  },
  randomCrop: {
    valid: [
      { width: 32, height: 24 },
      { width: 80, height: 70, fill: 128 },
    ],
    invalid: [{ options: { width: 32, height: -1 }, field: 'height' }],
  },
  bboxSafeRandomCrop: {
    valid: [{}, { width: 32, height: 24, interpolation: 'nearest' }],
    invalid: [
      { options: { width: 32 }, field: 'width' },
      { options: { height: 0, width: 3 }, field: 'height' },
    ],
  },
  centerCrop: {
    valid: [
      { width: 30, height: 30 },
      { width: 100, height: 20, fill: [255] },
    ],
    invalid: [{ options: { width: 1.5, height: 4 }, field: 'width' }],
  },
  resize: {
    valid: [
      { width: 33, height: 21 },
      { width: 128, height: 96, interpolation: 'bicubic' },
    ],
    invalid: [{ options: { width: 32, height: 32, interpolation: 'lanczos' }, field: 'interpolation' }],
  },
  pad: {
    valid: [
      { padding: 4 },
      { padding: [1, 2, 3, 4], border: 'reflect' },
      { minWidth: 80, minHeight: 70, fill: 255 },
    ],
    invalid: [
      { options: { padding: -1 }, field: 'padding' },
      { options: { minWidth: 0 }, field: 'minWidth' },
    ],
  },
  perspective: {
    valid: [{}, { scale: [0.02, 0.05], border: 'replicate' }],
    invalid: [{ options: { scale: 0.9 }, field: 'scale' }],
  },
  elasticTransform: {
    valid: [{}, { alpha: 20, sigma: 3, border: 'reflect' }],
    invalid: [
      { options: { sigma: 0 }, field: 'sigma' },
      { options: { alpha: -1 }, field: 'alpha' },
    ],
  },
  colorJitter: {
    valid: [
      { brightness: 0.2, saturation: 0.2 },
      { brightness: [0.5, 1.5], contrast: 0.4, saturation: 0.3, hue: 0.1 },
    ],
    invalid: [
      { options: { hue: 0.7 }, field: 'hue' },
      { options: { contrast: -0.2 }, field: 'contrast' },
      { options: { brigtness: 0.2 }, field: 'brigtness' },
    ],
  },
  gamma: {
    valid: [{}, { gamma: [0.5, 2] }],
    invalid: [{ options: { gamma: 0 }, field: 'gamma' }],
  },
  grayscale: {
    valid: [{}],
    invalid: [{ options: { channels: 1 }, field: 'channels' }],
  },
  gaussianBlur: {
    valid: [{ sigma: [0.5, 1.5] }, { sigma: 0.2 }, {}],
    invalid: [{ options: { sigma: [2, 1] }, field: 'sigma' }],
  },
  motionBlur: {
    valid: [{}, { size: [5, 9], angle: 45 }],
    invalid: [{ options: { size: 1 }, field: 'size' }],
  },
  sharpen: {
    valid: [{}, { alpha: 0.5, lightness: 1 }],
    invalid: [{ options: { alpha: 2 }, field: 'alpha' }],
  },
  gaussianNoise: {
    valid: [{}, { std: 0.05, perChannel: false, mean: 0.01 }],
    invalid: [{ options: { perChannel: 'yes' }, field: 'perChannel' }],
  },
  jpegCompression: {
    valid: [{}, { quality: 30 }],
    invalid: [{ options: { quality: [10, 101] }, field: 'quality[1]' }],
  },
  randomErasing: {
    valid: [{ p: 1 }, { p: 1, count: [1, 3], fill: 'random', scale: [0.05, 0.2] }],
    invalid: [
      { options: { fill: 'noise' }, field: 'fill' },
      { options: { count: 0 }, field: 'count' },
    ],
  },
  channelShuffle: {
    valid: [{}],
    invalid: [{ options: { p: '0.5' }, field: 'p' }],
  },
  invert: {
    valid: [{}],
    invalid: [{ options: { p: null }, field: 'p' }],
  },
  posterize: {
    valid: [{}, { bits: [2, 6] }],
    invalid: [{ options: { bits: 9 }, field: 'bits' }],
  },
  equalize: {
    valid: [{}],
    invalid: [{ options: { mode: 'cv' }, field: 'mode' }],
  },
  normalize: {
    valid: [{}, { mean: [0.5], std: [0.5], maxPixelValue: 255 }],
    invalid: [
      { options: { std: [0] }, field: 'std[0]' },
      { options: { mean: [] }, field: 'mean' },
    ],
  },
  solarize: {
    valid: [{}, { threshold: [64, 192] }],
    invalid: [{ options: { threshold: 300 }, field: 'threshold' }],
  },
  autocontrast: {
    valid: [{}],
    invalid: [{ options: { cutoff: 2 }, field: 'cutoff' }],
  },
  sharpness: {
    valid: [{}, { factor: 2 }],
    invalid: [{ options: { factor: -1 }, field: 'factor' }],
  },
  clahe: {
    valid: [{}, { clipLimit: 2, tileGrid: [4, 3] }],
    invalid: [
      { options: { tileGrid: [0, 2] }, field: 'tileGrid[0]' },
      { options: { clipLimit: -1 }, field: 'clipLimit' },
    ],
  },
  toSepia: {
    valid: [{}],
    invalid: [{ options: { strength: 1 }, field: 'strength' }],
  },
  histogramMatching: {
    valid: [
      { references: [[Array.from({ length: 256 }, (_, i) => (i >= 100 && i < 160 ? 1 : 0))]] },
      {
        references: [
          [
            Array.from({ length: 256 }, (_, i) => (i < 128 ? 2 : 1)),
            Array.from({ length: 256 }, () => 1),
            Array.from({ length: 256 }, (_, i) => (i > 200 ? 1 : 0)),
          ],
        ],
        blend: 1,
      },
    ],
    invalid: [
      { options: {}, field: 'references' },
      { options: { references: [[[1, 2, 3]]] }, field: 'references[0][0]' },
    ],
  },
  imageCompression: {
    valid: [{}, { format: 'webp', quality: 30 }],
    invalid: [{ options: { format: 'avif' }, field: 'format' }],
  },
  downscale: {
    valid: [{}, { scale: 0.5 }],
    invalid: [{ options: { scale: 0 }, field: 'scale' }],
  },
  defocus: {
    valid: [{}, { radius: 2, aliasBlur: 0 }],
    invalid: [{ options: { radius: 0 }, field: 'radius' }],
  },
  zoomBlur: {
    valid: [{}, { maxFactor: 1.2, stepFactor: 0.05 }],
    invalid: [{ options: { maxFactor: 3 }, field: 'maxFactor' }],
  },
  isoNoise: {
    valid: [{}, { intensity: 0.5, colorShift: 0.1 }],
    invalid: [{ options: { intensity: 2 }, field: 'intensity' }],
  },
  fog: {
    valid: [{}, { coef: 0.5 }],
    invalid: [{ options: { coef: [0.8, 0.2] }, field: 'coef' }],
  },
  rain: {
    valid: [{}, { count: 10, length: 6, slant: 3, brightness: 0.8, colour: [180, 190, 200] }],
    invalid: [{ options: { length: 0 }, field: 'length' }],
  },
  shadow: {
    valid: [{}, { count: 2, vertices: [3, 6], roi: [0, 0, 1, 1], intensity: [0.3, 0.7] }],
    invalid: [{ options: { roi: [0.5, 0, 0.2, 1] }, field: 'roi' }],
  },
  sunFlare: {
    valid: [{}, { roi: [0.2, 0.2, 0.8, 0.8], radius: 0.3, intensity: 0.6, colour: [255, 240, 200] }],
    invalid: [{ options: { radius: 0 }, field: 'radius' }],
  },
  shiftScaleRotate: {
    valid: [{}, { shiftLimit: 0.1, scaleLimit: [-0.2, 0.1], rotateLimit: 20, border: 'constant' }],
    invalid: [{ options: { scaleLimit: 1 }, field: 'scaleLimit' }],
  },
  gridDistortion: {
    valid: [{}, { steps: 4, distortLimit: 0.2, border: 'constant' }],
    invalid: [{ options: { steps: 1 }, field: 'steps' }],
  },
  thinPlateSpline: {
    valid: [{}, { points: 3, scale: 0.3, border: 'constant' }],
    invalid: [
      { options: { points: 1 }, field: 'points' },
      { options: { scale: [0.4, 0.2] }, field: 'scale' },
    ],
  },
  opticalDistortion: {
    valid: [{}, { distortLimit: 0.3, shiftLimit: 0 }],
    invalid: [{ options: { distortLimit: 5 }, field: 'distortLimit' }],
  },
  coarseDropout: {
    valid: [{}, { holes: [2, 4], size: [0.1, 0.3], fill: 'random', maskFill: 0 }],
    invalid: [
      { options: { holes: 0 }, field: 'holes' },
      { options: { maskFill: 300 }, field: 'maskFill' },
    ],
  },
  gridDropout: {
    valid: [{}, { ratio: 0.3, unit: 0.2, randomOffset: false, fill: 128, maskFill: 255 }],
    invalid: [{ options: { ratio: 0 }, field: 'ratio' }],
  },
  randAugment: {
    valid: [{}, { numOps: 3, magnitude: 15, interpolation: 'bilinear' }],
    invalid: [
      { options: { magnitude: 40 }, field: 'magnitude' },
      { options: { numOps: -1 }, field: 'numOps' },
    ],
  },
  trivialAugmentWide: {
    valid: [{}, { bins: 11, fill: 128 }],
    invalid: [{ options: { bins: 1 }, field: 'bins' }],
  },
  autoAugment: {
    valid: [{}, { policy: 'imagenet', interpolation: 'bilinear' }, { policy: 'cifar10' }, { policy: 'svhn' }],
    invalid: [{ options: { policy: 'cifar100' }, field: 'policy' }],
  },
  augMix: {
    valid: [{}, { severity: 5, width: 2, depth: 2, alpha: 0.5, allOps: false }],
    invalid: [{ options: { severity: 11 }, field: 'severity' }],
  },
  mixup: {
    valid: [{}, { alpha: 1 }],
    invalid: [{ options: { alpha: 0 }, field: 'alpha' }],
  },
  cutmix: {
    valid: [{}, { alpha: 0.5, p: 0.5 }],
    invalid: [{ options: { alpha: 'x' }, field: 'alpha' }],
  },
  compose: {
    valid: [
      {
        transforms: [
          { type: 'horizontalFlip', p: 1 },
          { type: 'rotate', limit: 10 },
          { type: 'gaussianBlur', sigma: 1 },
        ],
      },
      { transforms: [], p: 0.5 },
    ],
    invalid: [
      { options: { transforms: [{ type: 'rotate', limit: 'x' }] }, field: 'transforms[0].limit' },
      { options: { transforms: [{ type: 'rotat' }] }, field: 'transforms[0].type' },
      { options: { transforms: [{ type: 'normalize' }, { type: 'invert' }] }, field: 'transforms[0]' },
      { options: { transforms: [{ type: 'mixup' }] }, field: 'transforms[0]' },
    ],
  },
  oneOf: {
    valid: [{ transforms: [{ type: 'invert' }, { type: 'grayscale' }, { type: 'verticalFlip', p: 1 }] }],
    invalid: [
      { options: { transforms: [] }, field: 'transforms' },
      {
        options: { transforms: [{ type: 'compose', transforms: [{ type: 'gamma', gamma: -1 }] }] },
        field: 'transforms[0].transforms[0].gamma',
      },
    ],
  },
  someOf: {
    valid: [
      {
        transforms: [{ type: 'invert' }, { type: 'grayscale' }, { type: 'resize', width: 20, height: 20 }],
        n: 2,
      },
    ],
    invalid: [
      { options: { transforms: [{ type: 'invert' }], n: 2 }, field: 'n' },
      { options: { transforms: [{ type: 'invert' }], n: -1 }, field: 'n' },
    ],
  },
};
