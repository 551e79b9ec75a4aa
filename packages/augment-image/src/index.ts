export type { PlanSummary } from './internals/engine/types.ts';
export {
  type ApplyOptions,
  type AugmentResult,
  applyTransform as replay,
  augment,
} from './internals/execute.ts';
export type { Affine, Homography } from './internals/geometry/matrix.ts';
export type { ImageShape } from './internals/image/shape.ts';
export { DEFAULT_MAX_PIXELS } from './internals/image/source.ts';
export {
  type AugmentJobOptions,
  type AugmentJobSummary,
  runAugmentJob,
} from './internals/jobs/augment-job.ts';
export {
  type AugmentPreviewJobOptions,
  type AugmentPreviewJobSummary,
  runAugmentPreviewJob,
} from './internals/jobs/augment-preview-job.ts';
export { type MixImagesOptions, mixImages, mixLabels } from './internals/mix-stage.ts';
export type { PlanOp } from './internals/ops/types.ts';
export { type PreviewOptions, previewGrid } from './internals/preview.ts';
export { type AugmentRawOptions, type AugmentRawResult, augmentRaw, replayRaw } from './internals/raw.ts';
export { type AugmentImagesOptions, augmentImages, copyId } from './internals/stage.ts';
export { convertBoxes } from './internals/targets/boxes.ts';
export {
  type AugmentTarget,
  BOX_FORMATS,
  type Box,
  type BoxFormat,
  type DroppedBox,
  type DroppedKeypoint,
  type Keypoint,
} from './internals/targets/types.ts';
export {
  compose,
  defaultRegistry,
  fromJSON,
  oneOf,
  parseRecipe,
  registerTransform,
  someOf,
} from './internals/transforms/builtins.ts';
export {
  channelShuffle,
  colorJitter,
  equalize,
  gamma,
  grayscale,
  invert,
  normalize,
  posterize,
} from './internals/transforms/colour.ts';
export type { ChildSpec, CompositionOptions } from './internals/transforms/compose.ts';
export {
  type AppliedParams,
  type FactoryContext,
  type LeafSpec,
  leafTransform,
  paramsFromJson,
  paramsToJson,
  type SerializedTransform,
  type TargetKind,
  type Transform,
  type TransformFactory,
  type TransformKind,
} from './internals/transforms/contract.ts';
export {
  bboxSafeRandomCrop,
  centerCrop,
  pad,
  randomCrop,
  randomResizedCrop,
  resize,
} from './internals/transforms/crops.ts';
export { defocus, downscale, imageCompression, isoNoise, zoomBlur } from './internals/transforms/degrade.ts';
export {
  gridDistortion,
  opticalDistortion,
  shiftScaleRotate,
  thinPlateSpline,
} from './internals/transforms/distort.ts';
export { coarseDropout, gridDropout } from './internals/transforms/dropout.ts';
export { gaussianBlur, motionBlur, sharpen } from './internals/transforms/filters.ts';
export { affine, horizontalFlip, rotate, verticalFlip } from './internals/transforms/geometric.ts';
export { cutmix, mixup } from './internals/transforms/mixing.ts';
export { isMixTransform, type MixResult, type MixTransform } from './internals/transforms/mixing-contract.ts';
export { gaussianNoise, jpegCompression, randomErasing } from './internals/transforms/noise.ts';
export {
  AUTOAUGMENT_POLICIES,
  augMix,
  autoAugment,
  CIFAR10_POLICY,
  IMAGENET_POLICY,
  POLICY_OPS,
  type PolicyOpName,
  type PolicyStep,
  type PolicyTable,
  randAugment,
  SVHN_POLICY,
  trivialAugmentWide,
} from './internals/transforms/policies.ts';
export { type AnyTransform, type RecipeSpec, TransformRegistry } from './internals/transforms/registry.ts';
export {
  autocontrast,
  clahe,
  histogramMatching,
  referenceHistograms,
  SEPIA,
  sharpness,
  solarize,
  toSepia,
} from './internals/transforms/tone.ts';
export { elasticTransform, perspective } from './internals/transforms/warps.ts';
export { fog, rain, shadow, sunFlare } from './internals/transforms/weather.ts';
