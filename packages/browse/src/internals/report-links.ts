import type { BrowseIndex } from './index-db.ts';

/**
 * The policy for a served study report: its own inline stylesheet and data-URI images, nothing
 * else (no script: its links are written by the server, see {@link linkReport}).
 */
export const REPORT_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MARK = /<span class="browse-link" data-browse-(sample|reason)="([^"]*)">([\s\S]*?)<\/span>/g;

const unescapeHtml = (text: string) =>
  text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

const escapeAttr = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** A string literal of the filter language. */
const literal = (value: string) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/**
 * Turns the browse marks of a `@growset/report` page (see the report's `browseLink`) into links to
 * this server's views: a gallery image to its sample's page, a quarantine count to the rows
 * filtered on its reason. A mark whose sample or reason the dataset does not hold is dropped, its
 * content kept: the served report has no link to an empty view.
 */
export function linkReport(html: string, index: BrowseIndex): { html: string; links: number } {
  let links = 0;
  const samples = new Map<string, number | undefined>();
  const out = html.replace(MARK, (_, kind: string, raw: string, inner: string) => {
    const value = unescapeHtml(raw);
    let href: string | undefined;
    if (kind === 'sample') {
      if (!samples.has(value))
        samples.set(value, index.query({ filter: `id = ${literal(value)}`, limit: 1 }).rows[0]?.rid);
      const rid = samples.get(value);
      if (rid !== undefined) href = `/?sample=${rid}`;
    } else {
      const filter = `reason = ${literal(value)}`;
      if (index.count(filter) > 0) href = `/?q=${encodeURIComponent(filter)}`;
    }
    if (href === undefined) return inner;
    links += 1;
    const title =
      kind === 'sample' ? `open ${value} in growset browse` : `browse the rows quarantined for ${value}`;
    return `<a class="browse-link" href="${escapeAttr(href)}" title="${escapeAttr(title)}" data-browse-${kind}="${raw}">${inner}</a>`;
  });
  return { html: out, links };
}
