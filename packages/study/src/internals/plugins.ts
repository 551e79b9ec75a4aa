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

/**
 * Where a study finds what it does not own, as `module#export` references, so that worker threads
 * can load them by name and the study depends only on core's interfaces.
 */
export interface StudyPlugins {
  /** `(spec: JsonObject) => Estimator`. @default '@growset/train#createEstimator' */
  estimator: string;
  /** `(recipe, image: RawImage, rng: Rng) => RawImage | { image, params }` (or a promise). @default augmentImageJson: a JSON recipe of `@growset/augment-image` applied with its `augmentRaw` */
  imageAugmenter: string;
  /** `(samples, { method, ...options }, rng) => { samples } | samples` (or a promise). @default '@growset/augment-tabular#resample' */
  tabularAugmenter: string;
}

export const DEFAULT_PLUGINS: StudyPlugins = {
  estimator: '@growset/train#createEstimator',
  // A JSON-recipe adapter over @growset/augment-image's augmentRaw (see image-augmenter.ts).
  imageAugmenter: `${new URL(`./image-augmenter.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url).href}#augmentImageJson`,
  tabularAugmenter: '@growset/augment-tabular#resample',
};

export type EstimatorFactory = (spec: JsonObject) => Estimator;
export type ImageAugmenter = (
  recipe: JsonObject,
  image: RawImage,
  rng: Rng,
) =>
  | RawImage
  | { image: RawImage; params?: JsonValue }
  | Promise<RawImage | { image: RawImage; params?: JsonValue }>;
export type TabularAugmenter = (
  samples: Sample<TabularPayload>[],
  options: JsonObject,
  rng: Rng,
) =>
  | readonly Sample<TabularPayload>[]
  | { samples: readonly Sample<TabularPayload>[] }
  | Promise<readonly Sample<TabularPayload>[] | { samples: readonly Sample<TabularPayload>[] }>;

/**
 * Modules compiled into a study worker's bundle, by the specifier a plugin reference names them
 * with (see worker-bundle.ts); a reference to one of them loads it from the bundle.
 */
export type BundledModules = Readonly<Record<string, () => Promise<unknown>>>;

/**
 * Imports `module#export` (from `bundled` when it holds the module). A relative or absolute path
 * is resolved against `cwd`.
 */
export async function loadExport<T>(
  reference: string,
  cwd = process.cwd(),
  bundled: BundledModules = {},
): Promise<T> {
  const hash = reference.lastIndexOf('#');
  const specifier = hash > 0 ? reference.slice(0, hash) : reference;
  const name = hash > 0 ? reference.slice(hash + 1) : 'default';
  const target =
    specifier.startsWith('.') || isAbsolute(specifier)
      ? pathToFileURL(resolve(cwd, specifier)).href
      : specifier;
  let mod: { [key: string]: unknown };
  try {
    const fromBundle = Object.hasOwn(bundled, specifier) ? bundled[specifier] : undefined;
    mod = (await (fromBundle ? fromBundle() : import(target))) as { [key: string]: unknown };
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
      {
        code: 'ERR_PLUGIN',
      },
    );
  }
  return value as T;
}
