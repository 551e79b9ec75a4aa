import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type Estimator,
  errorMessage,
  GrowsetError,
  type JsonObject,
  type JsonValue,
  type RawImage,
  type Rng,
  type Sample,
  type TabularPayload,
} from '@growset/core';
import type { VariantSpec } from './types.ts';

/** Builds a fresh estimator from a variant's JSON model spec, in each trial. */
export type EstimatorFactory = (spec: JsonObject) => Estimator;
/** Augments one training image with a variant's JSON recipe and the trial's generator. */
export type ImageAugmenter = (
  recipe: JsonObject,
  image: RawImage,
  rng: Rng,
) =>
  | RawImage
  | { image: RawImage; params?: JsonValue }
  | Promise<RawImage | { image: RawImage; params?: JsonValue }>;
/** Resamples a trial's training rows with `{ method, ...options }` from a variant's spec. */
export type TabularAugmenter = (
  samples: Sample<TabularPayload>[],
  options: JsonObject,
  rng: Rng,
) =>
  | readonly Sample<TabularPayload>[]
  | { samples: readonly Sample<TabularPayload>[] }
  | Promise<readonly Sample<TabularPayload>[] | { samples: readonly Sample<TabularPayload>[] }>;

/**
 * Chooses a binary classifier's decision threshold on held-out rows: `proba` is `n x 2`, `y` their
 * classes, `positive` the index of the class whose probability is thresholded.
 */
export type ThresholdTuner = (
  proba: Float32Array,
  y: Int32Array,
  options: { metric?: 'balancedAccuracy' | 'f1' | 'macroF1' | 'accuracy'; positive?: number },
) => { threshold: number; score: number; scoreAtHalf: number; metric: string };

/**
 * Where a study finds what it does not own. By default, the typed `study` entry points of
 * growset's packages, optional peers of this one: `@growset/train/study` (estimators),
 * `@growset/augment-image/study` (image recipes) and `@growset/augment-tabular/study`
 * (resampling, decision thresholds), each loaded only when a variant needs it. To use your own instead, name a module
 * every worker thread can import, as `module#export` (a relative path resolves against the
 * current folder): worker threads cannot receive functions.
 */
export interface StudyPlugins {
  /** {@link EstimatorFactory} reference. @default createEstimator of `@growset/train/study` */
  estimator?: string;
  /** {@link ImageAugmenter} reference. @default augmentImageJson of `@growset/augment-image/study` */
  imageAugmenter?: string;
  /** {@link TabularAugmenter} reference. @default resampleJson of `@growset/augment-tabular/study` */
  tabularAugmenter?: string;
  /** {@link ThresholdTuner} reference. @default tuneThreshold of `@growset/augment-tabular/study` */
  thresholdTuner?: string;
}

/**
 * Loads a growset package a study needs but does not depend on (its optional peers), with a
 * message saying what to install when it is missing.
 */
async function peer<T>(name: string, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const missing =
      (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && errorMessage(error).includes(name);
    throw new GrowsetError(
      missing
        ? `A study needs ${name} to ${purpose}: install it beside @growset/study (npm install ${name})`
        : `Cannot load ${name} to ${purpose}: ${errorMessage(error)}`,
      { code: 'ERR_PLUGIN', cause: error },
    );
  }
}

const augmentTabular = (purpose: string) =>
  peer('@growset/augment-tabular', purpose, () => import('@growset/augment-tabular/study'));

/** The default plugins: typed imports of the packages' `study` entry points. */
export const defaultPlugins: {
  estimator(): Promise<EstimatorFactory>;
  imageAugmenter(): Promise<ImageAugmenter>;
  tabularAugmenter(): Promise<TabularAugmenter>;
  thresholdTuner(): Promise<ThresholdTuner>;
} = {
  estimator: async () =>
    (await peer('@growset/train', 'train models', () => import('@growset/train/study'))).createEstimator,
  imageAugmenter: async () =>
    (await peer('@growset/augment-image', 'augment images', () => import('@growset/augment-image/study')))
      .augmentImageJson,
  tabularAugmenter: async () => (await augmentTabular('resample tables')).resampleJson,
  thresholdTuner: async () => (await augmentTabular('tune decision thresholds')).tuneThreshold,
};

/** The plugins a trial calls, loaded. */
export interface LoadedPlugins {
  estimator: EstimatorFactory;
  imageAugmenter: ImageAugmenter | undefined;
  tabularAugmenter: TabularAugmenter | undefined;
  thresholdTuner: ThresholdTuner | undefined;
}

/** Loads the plugins a set of variants needs: the references given, else the defaults. */
export async function loadPlugins(
  plugins: StudyPlugins,
  variants: readonly VariantSpec[],
  cwd = process.cwd(),
): Promise<LoadedPlugins> {
  const needs = (kind: 'image' | 'tabular') => variants.some((v) => v.augment?.kind === kind);
  const { estimator, imageAugmenter, tabularAugmenter, thresholdTuner } = plugins;
  const needsThreshold = variants.some((v) => v.threshold !== undefined);
  return {
    estimator: estimator
      ? await loadExport<EstimatorFactory>(estimator, cwd)
      : await defaultPlugins.estimator(),
    imageAugmenter: !needs('image')
      ? undefined
      : imageAugmenter
        ? await loadExport<ImageAugmenter>(imageAugmenter, cwd)
        : await defaultPlugins.imageAugmenter(),
    tabularAugmenter: !needs('tabular')
      ? undefined
      : tabularAugmenter
        ? await loadExport<TabularAugmenter>(tabularAugmenter, cwd)
        : await defaultPlugins.tabularAugmenter(),
    thresholdTuner: !needsThreshold
      ? undefined
      : thresholdTuner
        ? await loadExport<ThresholdTuner>(thresholdTuner, cwd)
        : await defaultPlugins.thresholdTuner(),
  };
}

/**
 * Imports the function a `module#export` reference names (`default` without `#`). A relative or
 * absolute path is resolved against `cwd`.
 */
export async function loadExport<T>(reference: string, cwd = process.cwd()): Promise<T> {
  const hash = reference.lastIndexOf('#');
  const specifier = hash > 0 ? reference.slice(0, hash) : reference;
  const name = hash > 0 ? reference.slice(hash + 1) : 'default';
  const target =
    specifier.startsWith('.') || isAbsolute(specifier)
      ? pathToFileURL(resolve(cwd, specifier)).href
      : specifier;
  let mod: { [key: string]: unknown };
  try {
    mod = (await import(target)) as { [key: string]: unknown };
  } catch (error) {
    throw new GrowsetError(`Cannot load study plugin \`${reference}\`: ${errorMessage(error)}`, {
      code: 'ERR_PLUGIN',
      cause: error,
    });
  }
  const value = mod[name];
  if (typeof value !== 'function') {
    throw new GrowsetError(
      `Study plugin \`${reference}\` is not a function export (module exports: ${Object.keys(mod).join(', ')})`,
      { code: 'ERR_PLUGIN' },
    );
  }
  return value as T;
}
