import { count, isFiniteNumber, num } from './format.ts';
import { browseLink, html, type SafeHtml, table } from './html.ts';

const MAX_ROWS = 200;
const MAX_DEPTH = 4;

function isPlainObject(value: unknown): value is { [key: string]: unknown } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function scalar(value: unknown): string {
  if (value === undefined) return '–';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? count(value) : num(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'bigint') return value.toString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * `imputedValues` -> `imputed values`. Keys with underscores or dashes are left alone: they are
 * usually data column names (`bill_length_mm`), which readers need verbatim.
 */
export function humanize(key: string): string {
  if (!/^[a-z]+(?:[A-Z][a-z0-9]*)+$/.test(key)) return key;
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * Any JSON-like value as readable markup: an object becomes a key/value table, an array of objects
 * a table with one column per key, an array of scalars a list, a scalar text. Nesting deeper than a
 * few levels, and very long arrays, are cut with a note rather than flooding the page. Cycles and
 * values JSON cannot hold (functions, NaN) render as text, never throw.
 */
export function jsonToHtml(
  value: unknown,
  depth = 0,
  seen: Set<unknown> = new Set(),
  options: JsonTableOptions = {},
): SafeHtml {
  if (value === null || typeof value !== 'object') return html`${scalar(value)}`;
  if (seen.has(value)) return html`<em>(circular)</em>`;
  if (depth >= MAX_DEPTH) return html`<code>${truncate(scalar(value), 300)}</code>`;
  seen.add(value);
  try {
    if (Array.isArray(value)) return arrayToHtml(value, depth, seen, options);
    const entries = Object.entries(value as object);
    if (entries.length === 0) return html`<em>(empty)</em>`;
    return table(
      ['field', 'value'],
      entries.map(([k, v]) => [
        html`<span title="${k}">${humanize(k)}</span>`,
        jsonToHtml(v, depth + 1, seen),
      ]),
      { className: 'kv', numeric: [false, entries.every(([, v]) => isFiniteNumber(v))] },
    );
  } finally {
    seen.delete(value);
  }
}

export interface JsonTableOptions {
  /** In a list of records, the `count` cell of each record with a string `reason` is marked as a browse link to that reason. */
  linkReasons?: boolean;
}

function arrayToHtml(
  items: unknown[],
  depth: number,
  seen: Set<unknown>,
  options: JsonTableOptions,
): SafeHtml {
  if (items.length === 0) return html`<em>(none)</em>`;
  const shown = items.slice(0, MAX_ROWS);
  const more = items.length - shown.length;
  const note = more > 0 ? html`<p class="note">… and ${count(more)} more not shown.</p>` : '';
  if (shown.every(isPlainObject)) {
    const columns: string[] = [];
    for (const row of shown)
      for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
    const numeric = columns.map((c) => shown.every((r) => r[c] === undefined || isFiniteNumber(r[c])));
    const rows = shown.map((row) =>
      columns.map((c) => {
        const cell = jsonToHtml(row[c], depth + 1, seen);
        const reason = row.reason;
        return options.linkReasons && c === 'count' && typeof reason === 'string' && isFiniteNumber(row[c])
          ? browseLink('reason', reason, cell)
          : cell;
      }),
    );
    const total = totalsRow(columns, shown, numeric);
    return html`${table(columns.map(humanize), total ? [...rows, total] : rows, { numeric, className: 'records' })}${note}`;
  }
  if (shown.every((v) => v === null || typeof v !== 'object')) {
    return html`<span>${shown.map(scalar).join(', ')}</span>${note}`;
  }
  return html`<ol>${shown.map((v) => html`<li>${jsonToHtml(v, depth + 1, seen)}</li>`)}</ol>${note}`;
}

/** A `total` row for a list of records with a `count` column (quarantine and drop summaries). */
function totalsRow(
  columns: string[],
  rows: { [key: string]: unknown }[],
  numeric: boolean[],
): SafeHtml[] | undefined {
  const countIndex = columns.findIndex((c) => c === 'count' || c === 'n');
  if (countIndex < 0 || !numeric[countIndex] || rows.length < 2) return undefined;
  const sum = rows.reduce(
    (a, r) => a + (isFiniteNumber(r[columns[countIndex]!]) ? (r[columns[countIndex]!] as number) : 0),
    0,
  );
  return columns.map((_, i) =>
    i === 0 ? html`<strong>total</strong>` : i === countIndex ? html`<strong>${count(sum)}</strong>` : html``,
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
