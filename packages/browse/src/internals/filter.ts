/**
 * The filter language of the browse grid, parsed by hand and compiled to a parameterized SQL
 * `WHERE` clause: values only ever travel as `?` parameters, and column names only as identifiers
 * looked up in the dataset's own column list (never copied from the input).
 *
 *   label = 3
 *   width >= 20 and label in (1, 7)
 *   reason = "truncated image"
 *   not (kind = quarantined) or score > 0.5
 *   cat                      (plain text: searched in id, label, file, source, reason)
 */

export type ColumnType = 'text' | 'number';

/** A column the filter language may name. */
export interface FilterColumn {
  /** The name a person types (`label`, `width`, a CSV header). */
  name: string;
  /** The SQL identifier, already quoted (`"label"`, `"f3"`). */
  sql: string;
  type: ColumnType;
}

// The syntax (tokenizer, parser, error) is plain JavaScript in filter-syntax.js, shipped as is to
// the static export's page; this module compiles its trees to SQL.
import {
  type FilterNode,
  FilterSyntaxError,
  type FilterValue,
  parseFilter,
  tokenize,
} from './filter-syntax.js';

export { type FilterNode, FilterSyntaxError, type FilterValue, parseFilter, tokenize };

/** A compiled filter: a `WHERE` clause with `?` placeholders and their values, in order. */
export interface CompiledFilter {
  where: string;
  params: FilterValue[];
}

/** Columns searched by plain text. */
export const TEXT_SEARCH_COLUMNS = ['id', 'label', 'file', 'source', 'reason'];

/** Compiles a parsed filter against the dataset's columns. Unknown columns are errors naming the known ones. */
export function compileFilter(
  node: FilterNode | undefined,
  columns: readonly FilterColumn[],
): CompiledFilter {
  if (node === undefined) return { where: '1', params: [] };
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const params: FilterValue[] = [];
  const column = (name: string): FilterColumn => {
    const found = byName.get(name.toLowerCase());
    if (!found) {
      throw new FilterSyntaxError(
        `Unknown column \`${name}\`; columns: ${columns.map((c) => c.name).join(', ')}`,
        0,
      );
    }
    return found;
  };
  const typed = (col: FilterColumn, v: FilterValue): FilterValue => {
    if (col.type === 'text') return String(v);
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) throw new FilterSyntaxError(`\`${col.name}\` is a number, got \`${v}\``, 0);
    return n;
  };
  const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const walk = (n: FilterNode): string => {
    switch (n.kind) {
      case 'and':
      case 'or':
        return `(${walk(n.left)} ${n.kind.toUpperCase()} ${walk(n.right)})`;
      case 'not':
        return `(NOT ${walk(n.operand)})`;
      case 'compare': {
        const col = column(n.column);
        params.push(typed(col, n.value));
        return `${col.sql} ${n.op} ?`;
      }
      case 'in': {
        const col = column(n.column);
        for (const v of n.values) params.push(typed(col, v));
        return `${col.sql} ${n.negated ? 'NOT IN' : 'IN'} (${n.values.map(() => '?').join(', ')})`;
      }
      case 'contains': {
        const col = column(n.column);
        params.push(like(n.value));
        return `${col.sql} LIKE ? ESCAPE '\\'`;
      }
      case 'null':
        return `${column(n.column).sql} IS ${n.negated ? 'NOT ' : ''}NULL`;
      case 'text': {
        const cols = TEXT_SEARCH_COLUMNS.map((name) => byName.get(name)).filter((c) => c !== undefined);
        const parts = cols.map((c) => {
          params.push(like(n.value));
          return `${c.sql} LIKE ? ESCAPE '\\'`;
        });
        return parts.length === 0 ? '0' : `(${parts.join(' OR ')})`;
      }
    }
  };
  return { where: walk(node), params };
}
