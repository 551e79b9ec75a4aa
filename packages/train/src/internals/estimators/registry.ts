import { closest, type Estimator, GrowsetError, type JsonObject, OptionsError } from '@growset/core';

/**
 * A JSON description of an estimator: `{ model: 'mlp', hidden: [128, 64], dropout: 0.2, ... }`.
 * Every estimator's `getParams()` returns one, and `createEstimator(getParams())` rebuilds it
 * (in another worker thread, for instance).
 */
export type EstimatorSpec = JsonObject & { model: string };

/**
 * A check of the estimator conformance suite an estimator may opt out of, with a reason:
 * - `learns`: reaches accuracy above 0.6 on three separable blobs;
 * - `sampleWeight`: up-weighting a class makes it predicted more often (an estimator whose
 *   `supportsSampleWeight` is false must give this reason).
 */
export type ConformanceCheck = 'learns' | 'sampleWeight';

/** A spec the conformance suite fits, and the kind of data it fits it on. */
export interface EstimatorExample {
  readonly spec: EstimatorSpec;
  /** `table`: feature vectors `[d]`; `images`: `[height, width, channels]`. @default 'table' */
  readonly data?: 'table' | 'images';
}

/** What `registerEstimator` takes: a model name and how to build it from its JSON spec. */
export interface EstimatorDefinition {
  /** The `model` of its specs, e.g. `knn`. */
  readonly name: string;
  /** One line for listings (`growset train --help`, the README). */
  readonly summary: string;
  /** The options type its errors name, e.g. `KnnOptions`. */
  readonly optionsType: string;
  /**
   * Builds an untrained estimator from `{ model: name, ...options }`. It validates the options
   * and throws an `OptionsError` naming the field; its `getParams()` must return a spec that
   * builds the same estimator again (that is how `clone()` works).
   */
  readonly create: (spec: EstimatorSpec) => Estimator;
  /** Specs the conformance suite fits (at least one; fast ones: a few epochs on 90 samples). */
  readonly examples: readonly EstimatorExample[];
  /** Conformance checks this estimator does not pass by design, each with the reason why. */
  readonly optOuts?: { readonly [check in ConformanceCheck]?: string };
}

/** Estimators by model name: builds them from JSON specs and lists them. */
export class EstimatorRegistry {
  readonly #definitions = new Map<string, EstimatorDefinition>();

  constructor(definitions: readonly EstimatorDefinition[] = []) {
    for (const definition of definitions) this.register(definition);
  }

  /** Adds an estimator; a name registered twice is an error (`ERR_REGISTRY`). */
  register(definition: EstimatorDefinition): void {
    if (typeof definition.name !== 'string' || !/^[a-z][a-z0-9-]*$/i.test(definition.name)) {
      throw new OptionsError({
        optionsType: 'EstimatorDefinition',
        field: 'name',
        expected: 'a model name of letters, digits and dashes',
        received: definition.name,
      });
    }
    if (this.#definitions.has(definition.name)) {
      throw new GrowsetError(`An estimator named \`${definition.name}\` is already registered`, {
        code: 'ERR_REGISTRY',
      });
    }
    this.#definitions.set(definition.name, definition);
  }

  get(name: string): EstimatorDefinition | undefined {
    return this.#definitions.get(name);
  }

  /** Model names, in registration order. */
  get names(): string[] {
    return [...this.#definitions.keys()];
  }

  get definitions(): EstimatorDefinition[] {
    return [...this.#definitions.values()];
  }

  /** Builds an estimator from its JSON spec; options are validated (an `OptionsError` names the field). */
  create(spec: EstimatorSpec | JsonObject): Estimator {
    const model = (spec as { model?: unknown }).model;
    const definition = typeof model === 'string' ? this.get(model) : undefined;
    if (!definition) {
      const suggestion = typeof model === 'string' ? closest(model, this.names) : undefined;
      throw new OptionsError({
        optionsType: 'EstimatorSpec',
        field: 'model',
        expected: suggestion
          ? `a registered estimator (did you mean \`${suggestion}\`?)`
          : `one of ${this.names.map((m) => `"${m}"`).join(', ')}`,
        received: model,
      });
    }
    return definition.create(spec as EstimatorSpec);
  }
}

/**
 * The registry `createEstimator`, ensembles, tuning and `clone()` use. The package's entry points
 * fill it with the built-in estimators (`builtins.ts`) when they load.
 */
export const estimatorRegistry = new EstimatorRegistry();

/** Adds an estimator to the registry every growset entry point builds from. */
export function registerEstimator(definition: EstimatorDefinition): void {
  estimatorRegistry.register(definition);
}

/** Builds an estimator from its JSON spec; options are validated (an `OptionsError` names the field). */
export function createEstimator(spec: EstimatorSpec | JsonObject): Estimator {
  return estimatorRegistry.create(spec);
}

/** Every registered model name: the built-ins, then yours. */
export function estimatorNames(): string[] {
  return estimatorRegistry.names;
}
