import type { Cell } from '@growset/core';
import type { z } from 'zod';

/** The base type of a schema field, which decides how a text cell is coerced before checking. */
export type FieldKind = 'number' | 'boolean' | 'date' | 'enum' | 'string' | 'bigint' | 'other';

/** How one column is coerced. */
export interface FieldPlan {
  column: string;
  kind: FieldKind;
  /** The field accepts `null`. */
  nullable: boolean;
  /** The field accepts a missing value (`undefined`): optional or with a default. */
  optional: boolean;
  /** Enum options, for case-insensitive matching. */
  options?: readonly string[];
}

interface ZodInternals {
  _zod: {
    def: {
      type: string;
      innerType?: z.ZodType;
      in?: z.ZodType;
      shape?: { [key: string]: z.ZodType };
      entries?: { [key: string]: string | number };
      values?: readonly unknown[];
    };
  };
}

function def(schema: z.ZodType): ZodInternals['_zod']['def'] {
  return (schema as unknown as ZodInternals)._zod.def;
}

/** The object shape behind a row schema (looking through `.transform`, `.pipe` and wrappers). */
export function objectShape(schema: z.ZodType): { [key: string]: z.ZodType } | undefined {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    const d = def(current);
    if (d.shape) return d.shape;
    current = d.in ?? d.innerType;
  }
  return undefined;
}

/** Reads a field schema: its base kind, and whether it accepts null or nothing. */
export function planField(column: string, schema: z.ZodType): FieldPlan {
  let nullable = false;
  let optional = false;
  let current: z.ZodType = schema;
  for (let depth = 0; depth < 10; depth++) {
    const d = def(current);
    if (d.type === 'nullable') nullable = true;
    else if (d.type === 'optional' || d.type === 'default' || d.type === 'prefault') optional = true;
    const next = d.type === 'pipe' ? d.in : d.innerType;
    if (next === undefined) break;
    current = next;
  }
  const d = def(current);
  switch (d.type) {
    case 'number':
    case 'int':
      return { column, kind: 'number', nullable, optional };
    case 'boolean':
      return { column, kind: 'boolean', nullable, optional };
    case 'date':
      return { column, kind: 'date', nullable, optional };
    case 'bigint':
      return { column, kind: 'bigint', nullable, optional };
    case 'string':
      return { column, kind: 'string', nullable, optional };
    case 'enum':
      return {
        column,
        kind: 'enum',
        nullable,
        optional,
        options: Object.values(d.entries ?? {}).map(String),
      };
    case 'literal':
      return {
        column,
        kind: 'enum',
        nullable,
        optional,
        options: (d.values ?? []).filter((v): v is string => typeof v === 'string'),
      };
    case 'null':
      return { column, kind: 'other', nullable: true, optional };
    case 'unknown':
    case 'any':
      return { column, kind: 'other', nullable: true, optional: true };
    default:
      return { column, kind: 'other', nullable, optional };
  }
}

const TRUE = new Set(['true', 't', 'yes', 'y', '1', 'on']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0', 'off']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses a decimal number written in the usual way (`-1.5`, `2e3`, `.5`); `undefined` otherwise. */
export function parseNumber(text: string): number | undefined {
  // Same language as /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/ with a finite value, checked
  // the cheap way (this runs for every numeric cell): Number() rejects malformed text; what it
  // accepts beyond decimals (spaces, '', 0x/0b/0o prefixes, Infinity) is ruled out by the ends.
  const value = +text;
  if (!Number.isFinite(value)) return undefined;
  const n = text.length;
  if (n === 0) return undefined;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(n - 1);
  if (!((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46)) return undefined;
  if (!((last >= 48 && last <= 57) || last === 46)) return undefined;
  if (n > 1) {
    const second = text.charCodeAt(1) | 32;
    if (second === 120 || second === 98 || second === 111) return undefined;
  }
  return value;
}

/** Reads `true`/`false`, `yes`/`no`, `y`/`n`, `t`/`f`, `1`/`0`, `on`/`off` (any case). */
export function parseBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  return undefined;
}

/** Reads an ISO 8601 date or date-time (`2024-05-01`, `2024-05-01T10:00:00Z`). */
export function parseIsoDate(text: string): Date | undefined {
  if (!ISO_DATE.test(text)) return undefined;
  const date = new Date(text.length === 10 ? `${text}T00:00:00Z` : text.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Coerces a cell toward the field's kind: numbers, booleans and dates from text, enum options
 * matched regardless of case, numbers and booleans to text for string fields. A value that does
 * not convert is returned unchanged, so the schema reports it. `null` becomes `undefined` for an
 * optional field that does not accept `null`.
 */
export function coerceCell(value: Cell | undefined, plan: FieldPlan): unknown {
  if (value === null || value === undefined) {
    if (plan.nullable) return null;
    return plan.optional ? undefined : null;
  }
  switch (plan.kind) {
    case 'number':
      if (typeof value === 'string') return parseNumber(value) ?? value;
      if (typeof value === 'boolean') return value;
      return value;
    case 'boolean':
      if (typeof value === 'string') return parseBoolean(value) ?? value;
      if (value === 1 || value === 0) return value === 1;
      return value;
    case 'date':
      if (typeof value === 'string') return parseIsoDate(value) ?? value;
      if (typeof value === 'number') return new Date(value);
      return value;
    case 'bigint':
      if ((typeof value === 'string' && /^[+-]?\d+$/.test(value)) || typeof value === 'number') {
        try {
          return BigInt(value);
        } catch {
          return value;
        }
      }
      return value;
    case 'enum': {
      const text = typeof value === 'string' ? value : String(value);
      const options = plan.options ?? [];
      if (options.includes(text)) return text;
      const lower = text.toLowerCase();
      const matches = options.filter((o) => o.toLowerCase() === lower);
      return matches.length === 1 ? matches[0] : value;
    }
    case 'string':
      return typeof value === 'string' ? value : String(value);
    default:
      return value;
  }
}

/** Turns a schema's output value back into a cell; `undefined` for values a table cannot hold. */
export function toOutputCell(value: unknown): Cell | undefined {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isNaN(value) ? null : value;
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    default:
      if (value instanceof Date) return value.toISOString();
      return undefined;
  }
}
