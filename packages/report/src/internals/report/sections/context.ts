import { jsonToHtml } from '../context-tables.ts';
import { html, type SafeHtml } from '../html.ts';

const KNOWN: [key: string, title: string, intro: string][] = [
  ['scrape', 'Scraping', 'What the crawl fetched and skipped.'],
  ['cleaning', 'Cleaning', 'What cleaning changed, imputed or removed before the study.'],
  ['quarantine', 'Quarantine', 'Samples set aside with their reason, by stage.'],
];

/**
 * The data's story before the study: scrape, cleaning and quarantine summaries, then any other
 * context the pipeline recorded, each rendered as readable tables whatever its shape.
 */
export function contextSection(context: { [key: string]: unknown } | undefined): SafeHtml {
  const parts: SafeHtml[] = [];
  const entries = context ? Object.entries(context) : [];
  for (const [key, title, intro] of KNOWN) {
    const value = context?.[key];
    if (value === undefined) continue;
    // Quarantine counts by reason link to the browse view of that reason when browse serves the report.
    const table = jsonToHtml(value, 0, new Set(), { linkReasons: key === 'quarantine' });
    parts.push(html`<h3>${title}</h3><p class="note">${intro}</p>${table}`);
  }
  const others = entries.filter(([key]) => key !== 'gallery' && !KNOWN.some(([k]) => k === key));
  for (const [key, value] of others) parts.push(html`<h3>${key}</h3>${jsonToHtml(value)}`);
  if (parts.length === 0)
    return html`<p class="skipped">The results hold no scrape, cleaning or quarantine summary (context).</p>`;
  return html`${parts}`;
}
