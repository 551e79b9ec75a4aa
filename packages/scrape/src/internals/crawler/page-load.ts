import { load } from 'cheerio/slim';
import type { ResolvedCrawlConfig } from '../config.ts';
import type { PageEngine } from '../engines/engine.ts';
import { baseUrlOf, canonicalOf, extractItems, type ItemOutcome, linksOf } from '../extract.ts';
import type { Scope } from '../scope.ts';
import { normalizeUrl } from '../url.ts';

/** A page as the crawler uses it: where it ended, what identifies it, its links and items. */
export interface Loaded {
  finalUrl: string;
  /** Canonical URL when in scope, else the final URL: what identifies the page. */
  identity: string;
  links: string[];
  isItemPage: boolean;
  outcomes: ItemOutcome[];
}

export type LoadResult = Loaded | { error: unknown };

/** What loading a page needs: the config, the engine, the scope and the item-page pattern. */
export interface PageRules {
  config: ResolvedCrawlConfig;
  engine: PageEngine;
  scope: Scope;
  itemPattern: RegExp | undefined;
  signal: AbortSignal;
}

/**
 * Loads a page through the engine and reads it: final URL and identity (canonical when in
 * scope), links to follow, and the items of an item page. Failures come back as `{ error }`.
 */
export async function loadPage(url: string, rules: PageRules): Promise<LoadResult> {
  const { config, engine, scope, itemPattern, signal } = rules;
  try {
    return await engine.visit(
      url,
      async (loaded) => {
        const finalUrl =
          normalizeUrl(loaded.finalUrl, undefined, { trackingParams: config.trackingParams }) ?? url;
        const $ = load(loaded.html);
        const base = baseUrlOf($, loaded.finalUrl);
        const canonicalRaw = config.canonical ? canonicalOf($, base) : undefined;
        const canonical =
          canonicalRaw === undefined
            ? undefined
            : normalizeUrl(canonicalRaw, undefined, { trackingParams: config.trackingParams });
        const identity =
          canonical !== undefined && scope.check(canonical) === undefined ? canonical : finalUrl;
        const links = linksOf($, config.follow, base);
        const isItemPage =
          (itemPattern === undefined || itemPattern.test(finalUrl) || itemPattern.test(identity)) &&
          (config.item.selector === undefined || $(config.item.selector).length > 0);
        const outcomes = isItemPage
          ? await extractItems(
              config.item,
              { url: finalUrl, $, engine: engine.name, ...(loaded.page ? { page: loaded.page } : {}) },
              base,
            )
          : [];
        return { finalUrl, identity, links, isItemPage, outcomes };
      },
      signal,
    );
  } catch (error) {
    return { error };
  }
}
