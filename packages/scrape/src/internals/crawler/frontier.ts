import type { ResolvedCrawlConfig } from '../config.ts';
import type { Scope } from '../scope.ts';
import { normalizeUrl } from '../url.ts';

/** The rules a discovered URL passes before robots.txt and the page budget decide on it. */
export interface AdmissionRules {
  trackingParams: readonly string[];
  include: RegExp[];
  exclude: RegExp[];
  scope: Scope;
  maxDepth: number | undefined;
}

export function admissionRules(config: ResolvedCrawlConfig, scope: Scope): AdmissionRules {
  return {
    trackingParams: config.trackingParams,
    include: config.include.map((p) => new RegExp(p)),
    exclude: config.exclude.map((p) => new RegExp(p)),
    scope,
    maxDepth: config.maxDepth,
  };
}

/**
 * The first gate of the frontier for a link (or a start URL): normalizes it and marks it seen,
 * then checks include/exclude patterns (links only), scope and depth. `undefined` when it is not
 * a URL or was seen before; `{ url, skip }` with the reason when it is not visited; `{ url }`
 * when it goes on to robots.txt and the page budget.
 */
export function checkAdmission(
  raw: string,
  depth: number,
  isLink: boolean,
  rules: AdmissionRules,
  seen: Set<string>,
): { url: string; skip?: string } | undefined {
  const url = normalizeUrl(raw, undefined, { trackingParams: rules.trackingParams });
  if (url === undefined || seen.has(url)) return undefined;
  seen.add(url);
  if (isLink) {
    if (rules.include.length > 0 && !rules.include.some((r) => r.test(url)))
      return { url, skip: 'not included' };
    if (rules.exclude.some((r) => r.test(url))) return { url, skip: 'excluded' };
  }
  const verdict = rules.scope.check(url);
  if (verdict !== undefined) return { url, skip: verdict };
  if (rules.maxDepth !== undefined && depth > rules.maxDepth) return { url, skip: 'max depth' };
  return { url };
}
