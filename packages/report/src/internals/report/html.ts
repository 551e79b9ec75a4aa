/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Markup that is already safe: the only thing {@link html} inserts without escaping. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = SafeHtml | string | number | null | undefined | false | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Tagged template for markup: every interpolated string is escaped unless it is {@link SafeHtml}
 * (another `html` result); arrays are joined; `null`, `undefined` and `false` render nothing.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Wraps trusted markup (an SVG rendered by vega, a data URI) so that {@link html} keeps it. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A table with a header row; cells are escaped unless they are {@link SafeHtml}. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly Interpolation[])[],
  options: { caption?: string; numeric?: readonly boolean[]; className?: string } = {},
): SafeHtml {
  const numeric = options.numeric ?? [];
  const cls = (i: number) => (numeric[i] ? ' class="num"' : '');
  return html`<table${options.className ? trusted(` class="${escapeHtml(options.className)}"`) : ''}>${
    options.caption ? html`<caption>${options.caption}</caption>` : ''
  }<thead><tr>${headers.map((h, i) => html`<th scope="col"${trusted(cls(i))}>${h}</th>`)}</tr></thead><tbody>${rows.map(
    (row) => html`<tr>${row.map((cell, i) => html`<td${trusted(cls(i))}>${cell}</td>`)}</tr>`,
  )}</tbody></table>`;
}

/**
 * Marks `inner` (text or one image, no other `span`) as pointing at a `growset browse` view: the
 * sample with this id, or the rows quarantined for this reason. Opened from disk it is plain
 * content; when `growset browse` serves the report, it turns the mark into a link, or drops it
 * when the dataset has no such view. `undefined` leaves `inner` unmarked.
 */
export function browseLink(kind: 'sample' | 'reason', value: string | undefined, inner: SafeHtml): SafeHtml {
  if (value === undefined) return inner;
  return html`<span class="browse-link" data-browse-${trusted(kind)}="${value}">${inner}</span>`;
}
