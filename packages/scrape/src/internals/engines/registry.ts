import { GrowsetError } from '@growset/core';
import type { ResolvedCrawlConfig } from '../config.ts';
import type { HttpClient } from '../http-client.ts';
import type { Scope } from '../scope.ts';
import type { PageEngine } from './engine.ts';

/** What an engine is built from: the crawl's config, scope, HTTP client and redirect check. */
export interface EngineParts {
  config: ResolvedCrawlConfig;
  scope: Scope;
  /** The crawl's HTTP client (scope-checked, shared with assets and robots.txt). */
  client: HttpClient;
  /** Refuses redirect targets (robots.txt); `undefined` when allowed. */
  checkRedirect: (url: string) => string | undefined;
}

/**
 * Checks of the engine conformance suite (`test/engine-conformance.test.ts`) that an engine may
 * opt out of, with a reason: `scripts` (content that only JavaScript writes into the page) and
 * `livePage` (extraction functions get the live Playwright page).
 */
export type ConformanceCheck = 'scripts' | 'livePage';

/** One page engine: how it is built and what it can do. */
export interface EngineDefinition {
  /** The config's `engine` value. */
  readonly name: string;
  /** One line for docs and `--help`. */
  readonly summary: string;
  /** Order among available engines for `engine: 'auto'` (higher first). */
  readonly autoRank: number;
  /** The error saying why the engine cannot run here with this config, or `undefined` when it can. */
  unavailable(config: ResolvedCrawlConfig): Error | undefined;
  create(parts: EngineParts): PageEngine;
  /** Conformance checks it does not pass, each with the reason (shown in the test names). */
  readonly optOuts?: { readonly [check in ConformanceCheck]?: string };
}

/** Page engines by name: what `engine` in a crawl config may say (besides `auto`). */
export class EngineRegistry {
  readonly #engines = new Map<string, EngineDefinition>();

  constructor(definitions: readonly EngineDefinition[] = []) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: EngineDefinition): void {
    if (definition.name === 'auto' || this.#engines.has(definition.name)) {
      throw new GrowsetError(`An engine named \`${definition.name}\` is already registered`, {
        code: 'ERR_REGISTRY',
      });
    }
    this.#engines.set(definition.name, definition);
  }

  get(name: string): EngineDefinition | undefined {
    return this.#engines.get(name);
  }

  get names(): string[] {
    return [...this.#engines.keys()];
  }

  get definitions(): EngineDefinition[] {
    return [...this.#engines.values()];
  }

  /** The engine a config runs with: `auto` becomes the best-ranked engine available here. */
  resolve(config: ResolvedCrawlConfig): EngineDefinition {
    if (config.engine !== 'auto') {
      const named = this.get(config.engine);
      if (!named) throw new GrowsetError(`No engine named \`${config.engine}\``, { code: 'ERR_REGISTRY' });
      return named;
    }
    const ranked = this.definitions.sort((a, b) => b.autoRank - a.autoRank);
    const usable = ranked.find((d) => d.unavailable(config) === undefined);
    if (!usable) throw new GrowsetError('No engine can run on this machine', { code: 'ERR_REGISTRY' });
    return usable;
  }
}
