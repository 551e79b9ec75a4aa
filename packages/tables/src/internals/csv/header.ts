/** Column names made usable: empty names become `column<N>`, repeated names get `_2`, `_3`... */
export interface NormalizedHeader {
  columns: string[];
  /** Original name (or `column <N>` for an empty one) -> the name given to it. */
  renamed: { [original: string]: string };
}

/**
 * Normalizes a header row. A name that is empty after trimming becomes `column<N>` (1-based
 * position); a repeated name gets a numeric suffix, like pandas' `mangle_dupe_cols`.
 */
export function normalizeHeader(names: readonly string[]): NormalizedHeader {
  const columns: string[] = [];
  const renamed: { [original: string]: string } = {};
  const used = new Set<string>();
  names.forEach((raw, index) => {
    const trimmed = raw.trim();
    let name = trimmed === '' ? `column${index + 1}` : trimmed;
    if (used.has(name)) {
      let k = 2;
      while (used.has(`${name}_${k}`)) k += 1;
      name = `${name}_${k}`;
    }
    used.add(name);
    columns.push(name);
    if (name !== raw) renamed[trimmed === '' ? `column ${index + 1}` : raw] = name;
  });
  return { columns, renamed };
}

/** Default names for a table without a header: `column1`, `column2`, ... */
export function defaultColumns(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `column${i + 1}`);
}
