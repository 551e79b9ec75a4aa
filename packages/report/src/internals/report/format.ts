/** Formatting of numbers for people: fixed English conventions, so reports do not vary by locale. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `0.8431` -> `84.3%`; non-finite -> `–`. */
export function percent(value: number | null | undefined, digits = 1): string {
  return isFiniteNumber(value) ? `${(value * 100).toFixed(digits)}%` : '–';
}

/** A difference of two accuracies in percentage points: `+5.2 pts`. */
export function points(value: number | null | undefined, digits = 1): string {
  if (!isFiniteNumber(value)) return '–';
  const text = (value * 100).toFixed(digits);
  return `${value > 0 && text !== (0).toFixed(digits) ? '+' : ''}${text} pts`;
}

/** `12400` -> `12,400`; non-finite -> `–`. */
export function count(value: number | null | undefined): string {
  return isFiniteNumber(value) ? integer.format(value) : '–';
}

/** A general number with about 4 significant digits: `0.0123`, `3.142`, `1.2e+6`. */
export function num(value: number | null | undefined): string {
  if (!isFiniteNumber(value)) return '–';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/** A data multiplier: `1.8x`. */
export function times(value: number | null | undefined): string {
  if (!isFiniteNumber(value)) return '–';
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)}x`;
}

/** Milliseconds for people: `850 ms`, `12.3 s`, `4 min 05 s`. */
export function duration(ms: number | null | undefined): string {
  if (!isFiniteNumber(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms - minutes * 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/** Bytes for people: `812 B`, `14.2 KB`, `3.1 MB`. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** JSON on as few lines as it takes to read: `{"type": "mlp", "hidden": [64, 32]}`. */
export function compactJson(value: unknown): string {
  if (value === undefined) return '';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  if (Array.isArray(value)) return `[${value.map(compactJson).join(', ')}]`;
  const entries = Object.entries(value as object).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${compactJson(v)}`).join(', ')}}`;
}
