/** Query parameters that only track where a click came from; dropped when normalizing URLs. */
export const TRACKING_PARAMS: readonly string[] = [
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
  'oly_anon_id',
  'oly_enc_id',
  'vero_id',
];

export interface NormalizeOptions {
  /** Extra parameter names to drop (besides `utm_*` and {@link TRACKING_PARAMS}). */
  trackingParams?: readonly string[];
}

/**
 * The form of a URL used to tell pages apart: fragment removed, `utm_*` and click-id parameters
 * removed, remaining parameters sorted, scheme and host lower-cased, default port and dot
 * segments removed (by the WHATWG URL parser). Returns `undefined` for an unparsable URL.
 */
export function normalizeUrl(
  input: string,
  base?: string,
  options: NormalizeOptions = {},
): string | undefined {
  let url: URL;
  try {
    url = base === undefined ? new URL(input) : new URL(input, base);
  } catch {
    return undefined;
  }
  url.hash = '';
  if (url.search !== '') {
    const drop = new Set([...TRACKING_PARAMS, ...(options.trackingParams ?? [])].map((p) => p.toLowerCase()));
    const kept = [...url.searchParams].filter(([name]) => {
      const lower = name.toLowerCase();
      return !lower.startsWith('utm_') && !drop.has(lower);
    });
    kept.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
    url.search = kept.length === 0 ? '' : new URLSearchParams(kept).toString();
  }
  return url.href;
}

/** `scheme://host[:port]` of a URL. */
export function originOf(url: string): string {
  return new URL(url).origin;
}

/** A short, file-name-friendly slug of a URL's path (`/item/0042` -> `item-0042`). */
export function pathSlug(url: string): string {
  let path: string;
  try {
    const parsed = new URL(url);
    path = `${parsed.pathname}${parsed.search}`;
  } catch {
    path = url;
  }
  const slug = path
    .replace(/\.[a-z0-9]{1,5}$/i, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(-60);
  return slug === '' ? 'index' : slug;
}
