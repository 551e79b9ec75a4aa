import { closest, GrowsetError, OptionsError } from '@growset/core';
import type { Transform, TransformFactory } from './contract.ts';
import type { MixTransform } from './mixing-contract.ts';

export type AnyTransform = Transform | MixTransform;

/** A recipe as JSON: `{ type, ...options }` (as written by hand) or `{ type, version, options }`. */
export interface RecipeSpec {
  readonly type: string;
  readonly [option: string]: unknown;
}

/**
 * Transforms by type name: turns recipe JSON into transforms and back. Every transform in a
 * registry must be covered by the conformance test suite.
 */
export class TransformRegistry {
  readonly #factories = new Map<string, TransformFactory<AnyTransform>>();

  constructor(factories: readonly TransformFactory<AnyTransform>[] = []) {
    for (const factory of factories) this.register(factory);
  }

  register(factory: TransformFactory<AnyTransform>): void {
    if (this.#factories.has(factory.type)) {
      throw new GrowsetError(`A transform named \`${factory.type}\` is already registered`, {
        code: 'ERR_REGISTRY',
      });
    }
    this.#factories.set(factory.type, factory);
  }

  get(type: string): TransformFactory<AnyTransform> | undefined {
    return this.#factories.get(type);
  }

  get types(): string[] {
    return [...this.#factories.keys()];
  }

  get factories(): TransformFactory<AnyTransform>[] {
    return [...this.#factories.values()];
  }

  /**
   * Builds a transform from JSON. Errors are {@link OptionsError}s whose field is the path in the
   * recipe, e.g. `transforms[2].limit`.
   */
  fromJSON(spec: unknown, path = ''): AnyTransform {
    const at = (field: string) => (path === '' ? field : `${path}.${field}`);
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
      throw new OptionsError({
        optionsType: 'Recipe',
        field: path,
        expected: 'a transform object with a `type`',
        received: spec,
      });
    }
    const { type, version, options, ...flat } = spec as { [key: string]: unknown };
    if (typeof type !== 'string') {
      throw new OptionsError({
        optionsType: 'Recipe',
        field: at('type'),
        expected: 'a transform type name',
        received: type,
      });
    }
    const factory = this.get(type);
    if (!factory) {
      const suggestion = closest(type, this.types);
      throw new OptionsError({
        optionsType: 'Recipe',
        field: at('type'),
        expected: suggestion
          ? `a registered transform (did you mean \`${suggestion}\`?)`
          : `one of ${this.types.join(', ')}`,
        received: type,
      });
    }
    if (
      version !== undefined &&
      !(Number.isInteger(version) && (version as number) >= 1 && (version as number) <= factory.version)
    ) {
      throw new OptionsError({
        optionsType: 'Recipe',
        field: at('version'),
        expected: `an integer from 1 to ${factory.version} (the version this build of \`${type}\` reads)`,
        received: version,
      });
    }
    const serialized =
      options !== undefined && options !== null && typeof options === 'object' && !Array.isArray(options);
    if (options !== undefined && !serialized) {
      throw new OptionsError({
        optionsType: factory.optionsType,
        field: at('options'),
        expected: 'an object',
        received: options,
      });
    }
    const prefix = serialized ? at('options') : path;
    try {
      return factory(serialized ? options : flat, { registry: this });
    } catch (error) {
      if (error instanceof OptionsError && prefix !== '') {
        const field =
          error.field === '' ? prefix : `${prefix}${error.field.startsWith('[') ? '' : '.'}${error.field}`;
        throw new OptionsError(
          { optionsType: error.optionsType, field, expected: error.expected, received: error.received },
          { cause: error },
        );
      }
      throw error;
    }
  }
}
