import type { FloatImage } from '../engine/js/filters.ts';
import type { PixelContext } from '../engine/js/pixel.ts';
import type { Affine, Homography } from '../geometry/matrix.ts';

/**
 * The low-level operations a transform amounts to once its parameters are drawn. The planner
 * fuses them (geometry into one warp, colour into one matrix) and runs them on libvips or on
 * typed arrays; targets (masks, boxes, keypoints) follow the geometric ones.
 *
 * Pixel values in options and ops are in 8-bit units (0..255) and scaled for 16-bit images.
 */
export type PlanOp = GeometricOp | PixelOp;

export type Border = 'constant' | 'reflect' | 'replicate';
export type Interpolation = 'nearest' | 'bilinear' | 'bicubic';

interface WarpBase {
  /** Output canvas. */
  readonly width: number;
  readonly height: number;
  readonly border: Border;
  /** Fill per channel (or one for all) for `constant` borders, 8-bit units. */
  readonly fill: readonly number[];
  readonly interpolation: Interpolation;
}

/** Maps input edge coordinates to output edge coordinates. */
export interface AffineOp extends WarpBase {
  readonly op: 'affine';
  readonly matrix: Affine;
}

/** A projective warp, input to output. */
export interface PerspectiveOp extends WarpBase {
  readonly op: 'perspective';
  readonly matrix: Homography;
}

/**
 * Elastic deformation (Simard et al. 2003): every output pixel p samples the input at p + d(p),
 * where d is uniform noise in [-1, 1] smoothed by a Gaussian of `sigma` px and scaled by `alpha`.
 * The noise comes from `seed`, so the op is pure.
 */
export interface ElasticOp extends WarpBase {
  readonly op: 'elastic';
  readonly alpha: number;
  readonly sigma: number;
  readonly seed: number;
}

/**
 * Any other warp, given by where each output point samples the input (edge coordinates): grid
 * and optical distortion. Runs on typed arrays; boxes and keypoints move through it by solving
 * `inverse(q) = p` (fixed-point iteration), so `inverse` must be smooth and close to a shift.
 */
export interface MapOp extends WarpBase {
  readonly op: 'map';
  /** Names the warp in plan summaries. */
  readonly name: string;
  inverse(x: number, y: number, out: Float64Array): void;
}

export type GeometricOp = AffineOp | PerspectiveOp | ElasticOp | MapOp;

/** One affine colour step on RGB values in 8-bit units: v' = matrix * v + offset. */
export interface LinearColourStep {
  readonly kind: 'linear';
  /** Row-major 3x3. */
  readonly matrix: readonly number[];
  readonly offset: readonly number[];
}

/** Contrast as torchvision defines it: blend with the mean grey level of the image. */
export interface ContrastStep {
  readonly kind: 'contrast';
  readonly factor: number;
}

export type ColourStep = LinearColourStep | ContrastStep;

/** A chain of colour steps; linear, so consecutive ones fold into one matrix and offset. */
export interface ColourOp {
  readonly op: 'colour';
  readonly steps: readonly ColourStep[];
}

export interface GammaOp {
  readonly op: 'gamma';
  readonly gamma: number;
}

export interface BlurOp {
  readonly op: 'blur';
  readonly sigma: number;
}

/** A row-major kernel; its sum scales the mean brightness (1 keeps it). */
export interface ConvolveOp {
  readonly op: 'convolve';
  readonly width: number;
  readonly height: number;
  readonly kernel: readonly number[];
}

export interface NoiseOp {
  readonly op: 'noise';
  /** Standard deviation as a fraction of the largest pixel value. */
  readonly std: number;
  readonly mean: number;
  readonly perChannel: boolean;
  readonly seed: number;
}

export interface PosterizeOp {
  readonly op: 'posterize';
  readonly bits: number;
}

export interface EqualizeOp {
  readonly op: 'equalize';
}

export interface EraseRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface EraseOp {
  readonly op: 'erase';
  readonly rects: readonly EraseRect[];
  /** A fill per channel in 8-bit units, or `random` for uniform noise drawn from `seed`. */
  readonly fill: readonly number[] | 'random';
  readonly seed: number;
  /**
   * When present, the holes act on the targets too (dropout): the mask gets `maskFill` in them
   * (when given), and boxes whose visible area falls below the run's `minVisibility`, or to
   * nothing, are dropped.
   */
  readonly targets?: { readonly maskFill?: number };
}

/** Encodes and decodes again (compression artefacts). */
export interface JpegOp {
  readonly op: 'jpeg';
  readonly quality: number;
  /** @default 'jpeg' */
  readonly format?: 'jpeg' | 'webp';
}

/**
 * A pixel op written as a pure function of the float image (image units, see PixelContext),
 * for transforms libvips has no form for (CLAHE, solarize, weather, policies...). Runs on typed
 * arrays in both engines, as a step of its own; colour values are clamped afterwards.
 */
export interface PixelFnOp {
  readonly op: 'pixels';
  /** Names the step in plan summaries. */
  readonly name: string;
  run(image: FloatImage, ctx: PixelContext): FloatImage;
}

/** (v / maxPixelValue - mean) / std per channel; turns the image into float32. Must come last. */
export interface NormalizeOp {
  readonly op: 'normalize';
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly maxPixelValue: number;
}

export type PixelOp =
  | ColourOp
  | GammaOp
  | BlurOp
  | ConvolveOp
  | NoiseOp
  | PosterizeOp
  | EqualizeOp
  | EraseOp
  | JpegOp
  | PixelFnOp
  | NormalizeOp;

export function isGeometric(op: PlanOp): op is GeometricOp {
  return op.op === 'affine' || op.op === 'perspective' || op.op === 'elastic' || op.op === 'map';
}
