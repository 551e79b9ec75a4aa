// Types of filter-syntax.js (plain JavaScript, shipped to the static export's page as is).

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
export declare class FilterSyntaxError extends Error {
  constructor(message: string, position: number);
  readonly position: number;
}

export type Token =
  | { t: 'word'; v: string; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: 'number'; v: number; raw: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'punct'; v: '(' | ')' | ','; at: number };

export declare function tokenize(input: string): Token[];

/** Parses a filter; an empty or blank input gives `undefined` (no filter). */
export declare function parseFilter(input: string): FilterNode | undefined;
