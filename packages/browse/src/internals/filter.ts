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

export type FilterValue = string | number;

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; column: string; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: FilterValue }
  | { kind: 'in'; column: string; values: FilterValue[]; negated: boolean }
  | { kind: 'contains'; column: string; value: string }
  | { kind: 'null'; column: string; negated: boolean }
  | { kind: 'text'; value: string };

/** A filter that cannot be parsed or names an unknown column; the message says where. */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

type Token =
  | { t: 'word'; v: string; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: 'number'; v: number; raw: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'punct'; v: '(' | ')' | ','; at: number };

const OPS = ['>=', '<=', '!=', '<>', '=', '<', '>', '~'];

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: 'punct', v: c, at: i });
      i += 1;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < input.length && input[j] !== c) {
        if (input[j] === '\\' && j + 1 < input.length) j += 1;
        text += input[j];
        j += 1;
      }
      if (j >= input.length) throw new FilterSyntaxError(`Unclosed quote starting at ${i + 1}`, i);
      tokens.push({ t: 'string', v: text, at: i });
      i = j + 1;
      continue;
    }
    const op = OPS.find((o) => input.startsWith(o, i));
    if (op) {
      tokens.push({ t: 'op', v: op === '<>' ? '!=' : op, at: i });
      i += op.length;
      continue;
    }
    if (c === '[') {
      const end = input.indexOf(']', i);
      if (end < 0) throw new FilterSyntaxError(`Unclosed [ starting at ${i + 1}`, i);
      tokens.push({ t: 'word', v: input.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const m = /^[^\s()",'=<>!~[]+/.exec(input.slice(i));
    const raw = m![0];
    if (/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw))
      tokens.push({ t: 'number', v: Number(raw), raw, at: i });
    else tokens.push({ t: 'word', v: raw, at: i });
    i += raw.length;
  }
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'contains']);

/** Parses a filter; an empty or blank input gives `undefined` (no filter). */
export function parseFilter(input: string): FilterNode | undefined {
  const tokens = tokenize(input);
  if (tokens.length === 0) return undefined;
  let pos = 0;
  const peek = (k = 0) => tokens[pos + k];
  const isKw = (tok: Token | undefined, kw: string) => tok?.t === 'word' && tok.v.toLowerCase() === kw;
  const fail = (message: string, tok = peek()): never => {
    throw new FilterSyntaxError(message, tok?.at ?? input.length);
  };
  const value = (): FilterValue => {
    const tok = peek();
    if (tok?.t === 'string' || tok?.t === 'number') {
      pos += 1;
      return tok.v;
    }
    if (tok?.t === 'word' && !KEYWORDS.has(tok.v.toLowerCase())) {
      pos += 1;
      return tok.v;
    }
    return fail(`Expected a value at ${(tok?.at ?? input.length) + 1}`);
  };
  const primary = (): FilterNode => {
    const tok = peek();
    if (tok === undefined) return fail('Expected a condition at the end of the filter');
    if (tok.t === 'punct' && tok.v === '(') {
      pos += 1;
      const inner = or();
      if (!(peek()?.t === 'punct' && peek()?.v === ')'))
        fail(`Expected ) at ${(peek()?.at ?? input.length) + 1}`);
      pos += 1;
      return inner;
    }
    const next = peek(1);
    if (tok.t === 'word') {
      const column = tok.v;
      if (next?.t === 'op') {
        pos += 2;
        const v = value();
        if (next.v === '~') return { kind: 'contains', column, value: String(v) };
        return { kind: 'compare', column, op: next.v as '=', value: v };
      }
      if (isKw(next, 'contains')) {
        pos += 2;
        return { kind: 'contains', column, value: String(value()) };
      }
      const negatedIn = isKw(next, 'not') && isKw(peek(2), 'in');
      if (isKw(next, 'in') || negatedIn) {
        pos += negatedIn ? 3 : 2;
        if (!(peek()?.t === 'punct' && peek()?.v === '('))
          fail(`Expected ( after in at ${(peek()?.at ?? input.length) + 1}`);
        pos += 1;
        const values = [value()];
        while (peek()?.t === 'punct' && peek()?.v === ',') {
          pos += 1;
          values.push(value());
        }
        if (!(peek()?.t === 'punct' && peek()?.v === ')'))
          fail(`Expected ) at ${(peek()?.at ?? input.length) + 1}`);
        pos += 1;
        return { kind: 'in', column, values, negated: negatedIn };
      }
      if (isKw(next, 'is')) {
        pos += 2;
        const negated = isKw(peek(), 'not');
        if (negated) pos += 1;
        if (!isKw(peek(), 'null')) fail(`Expected null at ${(peek()?.at ?? input.length) + 1}`);
        pos += 1;
        return { kind: 'null', column, negated };
      }
      if (KEYWORDS.has(column.toLowerCase())) fail(`Unexpected \`${column}\` at ${tok.at + 1}`);
    }
    if (tok.t === 'word' || tok.t === 'string' || tok.t === 'number') {
      pos += 1;
      return { kind: 'text', value: String(tok.t === 'number' ? tok.raw : tok.v) };
    }
    return fail(`Unexpected \`${tok.v}\` at ${tok.at + 1}`);
  };
  const not = (): FilterNode => {
    if (isKw(peek(), 'not')) {
      pos += 1;
      return { kind: 'not', operand: not() };
    }
    return primary();
  };
  const and = (): FilterNode => {
    let left = not();
    for (;;) {
      if (isKw(peek(), 'and')) pos += 1;
      else if (peek() === undefined || isKw(peek(), 'or') || (peek()?.t === 'punct' && peek()?.v === ')'))
        break;
      // Two conditions side by side (`cat dog`, `cat width > 3`) mean both.
      left = { kind: 'and', left, right: not() };
    }
    return left;
  };
  const or = (): FilterNode => {
    let left = and();
    while (isKw(peek(), 'or')) {
      pos += 1;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const tree = or();
  if (pos < tokens.length) fail(`Unexpected \`${String(peek()!.v)}\` at ${peek()!.at + 1}`);
  return tree;
}

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
