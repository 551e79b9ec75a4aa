import { OptionsError } from '@growset/core';
import {
  channelShuffle,
  colorJitter,
  equalize,
  gamma,
  grayscale,
  invert,
  normalize,
  posterize,
} from './colour.ts';
import { compositionFactories } from './compose.ts';
import type { Transform, TransformFactory } from './contract.ts';
import { bboxSafeRandomCrop, centerCrop, pad, randomCrop, randomResizedCrop, resize } from './crops.ts';
import { defocus, downscale, imageCompression, isoNoise, zoomBlur } from './degrade.ts';
import { gridDistortion, opticalDistortion, shiftScaleRotate, thinPlateSpline } from './distort.ts';
import { coarseDropout, gridDropout } from './dropout.ts';
import { gaussianBlur, motionBlur, sharpen } from './filters.ts';
import { affine, horizontalFlip, rotate, verticalFlip } from './geometric.ts';
import { cutmix, mixup } from './mixing.ts';
import { isMixTransform, type MixTransform } from './mixing-contract.ts';
import { gaussianNoise, jpegCompression, randomErasing } from './noise.ts';
import { augMix, autoAugment, randAugment, trivialAugmentWide } from './policies.ts';
import { type AnyTransform, TransformRegistry } from './registry.ts';
import { autocontrast, clahe, histogramMatching, sharpness, solarize, toSepia } from './tone.ts';
import { elasticTransform, perspective } from './warps.ts';
import { fog, rain, shadow, sunFlare } from './weather.ts';

let registry: TransformRegistry | undefined;

export const { compose, oneOf, someOf } = compositionFactories(() => ({ registry: defaultRegistry() }));

/** The registry of every built-in transform (created on first use). */
export function defaultRegistry(): TransformRegistry {
  registry ??= new TransformRegistry([
    horizontalFlip,
    verticalFlip,
    rotate,
    affine,
    randomResizedCrop,
    randomCrop,
    bboxSafeRandomCrop,
    centerCrop,
    resize,
    pad,
    perspective,
    elasticTransform,
    colorJitter,
    gamma,
    grayscale,
    gaussianBlur,
    motionBlur,
    sharpen,
    gaussianNoise,
    jpegCompression,
    randomErasing,
    channelShuffle,
    invert,
    posterize,
    equalize,
    normalize,
    solarize,
    autocontrast,
    sharpness,
    clahe,
    toSepia,
    histogramMatching,
    imageCompression,
    downscale,
    defocus,
    zoomBlur,
    isoNoise,
    fog,
    rain,
    shadow,
    sunFlare,
    shiftScaleRotate,
    gridDistortion,
    opticalDistortion,
    thinPlateSpline,
    coarseDropout,
    gridDropout,
    randAugment,
    trivialAugmentWide,
    autoAugment,
    augMix,
    mixup,
    cutmix,
    compose,
    oneOf,
    someOf,
  ] as TransformFactory<AnyTransform>[]);
  return registry;
}

/** Adds a custom transform to the default registry (so recipes can name it). */
export function registerTransform(factory: TransformFactory<AnyTransform>): void {
  defaultRegistry().register(factory);
}

/** Any transform from JSON (flat `{ type, ...options }` or `{ type, version, options }`). */
export function fromJSON(spec: unknown): AnyTransform {
  return defaultRegistry().fromJSON(spec);
}

/** A per-image recipe from JSON; a mixing transform at the top is an options error. */
export function parseRecipe(spec: unknown): Transform {
  const t = fromJSON(spec);
  if (isMixTransform(t)) {
    throw new OptionsError({
      optionsType: 'Recipe',
      field: 'type',
      expected: 'a per-image transform (mixup and cutmix mix pairs of samples: use the mixImages() stage)',
      received: (t as MixTransform).type,
    });
  }
  return t;
}
