import type { InferredColumn } from './infer.ts';

/** Options of `InferredSchema#toTypeScript`. */
export interface TypeScriptOptions {
  /** Name of the exported schema constant. @default 'schema' */
  exportName?: string;
  /** Name of the exported row type. @default 'Row' */
  typeName?: string;
  /** Where the rows came from, for the header comment. @default none */
  source?: string;
  /** Rows the schema was inferred from, for the header comment. */
  rows?: number;
}

/**
 * Prints inferred columns as a TypeScript module exporting a zod schema and its row type, with a
 * comment per column giving the range, the missing count and the values the schema rejects.
 */
export function schemaToTypeScript(
  columns: readonly InferredColumn[],
  options: TypeScriptOptions = {},
): string {
  const exportName = options.exportName ?? 'schema';
  const typeName = options.typeName ?? 'Row';
  const from = [
    options.rows === undefined ? undefined : `${options.rows} rows`,
    options.source === undefined ? undefined : `of ${options.source}`,
  ]
    .filter(Boolean)
    .join(' ');
  const lines = [
    `// Row schema inferred by growset${from ? ` from ${from}` : ''}.`,
    '// Review it before use: types, enum options, nullability. Values listed as rejected fail validation.',
    "import { z } from 'zod';",
    '',
    `export const ${exportName} = z.object({`,
  ];
  for (const column of columns) {
    const notes: string[] = [];
    if (column.min !== undefined && column.max !== undefined) notes.push(`${column.min} to ${column.max}`);
    if (column.missing > 0) notes.push(`${column.missing} missing`);
    if (column.type === 'unknown') notes.push('always missing in the sample');
    if (column.exceptions.length > 0) {
      notes.push(`rejects ${column.exceptions.map((v) => JSON.stringify(v)).join(', ')}`);
    }
    const comment = notes.length > 0 ? ` // ${notes.join('; ')}` : '';
    lines.push(`  ${key(column.name)}: ${fieldCode(column)},${comment}`);
  }
  lines.push('});', '', `export type ${typeName} = z.infer<typeof ${exportName}>;`, '');
  return lines.join('\n');
}

function fieldCode(column: InferredColumn): string {
  let code: string;
  switch (column.type) {
    case 'number':
      code = 'z.number()';
      break;
    case 'int':
      code = 'z.int()';
      break;
    case 'boolean':
      code = 'z.boolean()';
      break;
    case 'date':
      code = 'z.date()';
      break;
    case 'enum':
      code = `z.enum([${(column.values ?? []).map(quote).join(', ')}])`;
      break;
    default:
      code = 'z.string()';
  }
  return column.nullable ? `${code}.nullable()` : code;
}

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name);
}

function quote(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `'${escaped}'`;
}
