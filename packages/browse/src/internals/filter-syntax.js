// @ts-check
/**
 * The filter language's syntax: tokenizer and parser, shared by the server (which compiles the tree
 * to SQL in filter.ts) and the static export's page (which evaluates it over the exported rows).
 * Plain JavaScript with no imports, so that `growset browse --export` ships this very file to the
 * page (see export.ts); its types are in filter-syntax.d.ts. Everything else lives in filter.ts.
 */

/** A filter that cannot be parsed or names an unknown column; the message says where. */
export class FilterSyntaxError extends Error {
  constructor(message, position) {
    super(message);
    this.position = position;
    this.name = 'FilterSyntaxError';
  }
}
const OPS = ['>=', '<=', '!=', '<>', '=', '<', '>', '~'];
export function tokenize(input) {
  const tokens = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
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
    const raw = m[0];
    if (/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw))
      tokens.push({ t: 'number', v: Number(raw), raw, at: i });
    else tokens.push({ t: 'word', v: raw, at: i });
    i += raw.length;
  }
  return tokens;
}
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'contains']);
/** Parses a filter; an empty or blank input gives `undefined` (no filter). */
export function parseFilter(input) {
  const tokens = tokenize(input);
  if (tokens.length === 0) return undefined;
  let pos = 0;
  const peek = (k = 0) => tokens[pos + k];
  const isKw = (tok, kw) => tok?.t === 'word' && tok.v.toLowerCase() === kw;
  const fail = (message, tok = peek()) => {
    throw new FilterSyntaxError(message, tok?.at ?? input.length);
  };
  const value = () => {
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
  const primary = () => {
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
        return { kind: 'compare', column, op: next.v, value: v };
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
  const not = () => {
    if (isKw(peek(), 'not')) {
      pos += 1;
      return { kind: 'not', operand: not() };
    }
    return primary();
  };
  const and = () => {
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
  const or = () => {
    let left = and();
    while (isKw(peek(), 'or')) {
      pos += 1;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const tree = or();
  if (pos < tokens.length) fail(`Unexpected \`${String(peek().v)}\` at ${peek().at + 1}`);
  return tree;
}
