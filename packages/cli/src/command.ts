import { parseArgs } from 'node:util';
import type { JsonObject, Logger, ProgressListener } from '@growset/core';
import { GrowsetError } from '@growset/core';
import { GLOBAL_OPTIONS, type OptionSpec } from './global-options.ts';

export { GLOBAL_OPTIONS, type OptionSpec };

/** A command-line mistake: printed as one line, exit code 2. */
export class UsageError extends GrowsetError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'ERR_USAGE', ...options });
  }
}

export interface CommandIO {
  cwd: string;
  json: boolean;
  verbose: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  logger: Logger;
  onProgress: ProgressListener;
  signal: AbortSignal;
}

export interface ParsedCommandArgs {
  positionals: string[];
  values: { [name: string]: string | boolean | string[] | undefined };
}

export interface CommandResult {
  /** The `--json` line (merged with `ok` and `command`). */
  summary: JsonObject;
  /** Printed to stdout without `--json`. */
  text: string;
  /** @default 0 */
  exitCode?: number;
}

export interface CommandDefinition {
  name: string;
  summary: string;
  /** Argument synopsis after the command name, e.g. `<pipeline-module> [--out DIR]`. */
  usage: string;
  /** Extra paragraphs for `--help`. */
  details?: string;
  positionals: { min: number; max: number };
  options: { [name: string]: OptionSpec };
  run(args: ParsedCommandArgs, io: CommandIO): Promise<CommandResult>;
}

/** A command listed by name and summary, whose definition loads on demand. */
export interface LazyCommand {
  name: string;
  summary: string;
  load(): Promise<CommandDefinition>;
}

export type CommandEntry = CommandDefinition | LazyCommand;

/** The definition behind an entry (loading it if needed). */
export async function resolveCommand(entry: CommandEntry): Promise<CommandDefinition> {
  return 'load' in entry ? entry.load() : entry;
}

/** Declares a command (identity function, for types). */
export function defineCommand(command: CommandDefinition): CommandDefinition {
  return command;
}

/** Parses argv for a command; unknown flags and wrong positional counts are usage errors. */
export function parseCommandArgs(command: CommandDefinition, argv: string[]): ParsedCommandArgs {
  const specs = { ...GLOBAL_OPTIONS, ...command.options };
  const options: NonNullable<Parameters<typeof parseArgs>[0]>['options'] = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  // `--seed -4`: join a negative number to its flag so that the value check can name it.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const spec = arg.startsWith('--') ? specs[arg.slice(2)] : undefined;
    if (spec?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      args.push(`${arg}=${next}`);
      i += 1;
    } else args.push(arg);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message =
      error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, '') : String(error);
    throw new UsageError(`${message}. See \`growset ${command.name} --help\``, { cause: error });
  }
  const values = parsed.values as ParsedCommandArgs['values'];
  if (!values.help) {
    const count = parsed.positionals.length;
    if (count < command.positionals.min || count > command.positionals.max) {
      throw new UsageError(
        `\`growset ${command.name}\` expects ${describeCount(command.positionals)}, got ${count}: usage: growset ${command.name} ${command.usage}`,
      );
    }
  }
  return { positionals: parsed.positionals, values };
}

function describeCount({ min, max }: { min: number; max: number }): string {
  if (min === max) return `${min} argument${min === 1 ? '' : 's'}`;
  if (max === Number.POSITIVE_INFINITY) return `at least ${min} argument${min === 1 ? '' : 's'}`;
  return `${min} to ${max} arguments`;
}

/** Help text for a command. */
export function commandHelp(command: CommandDefinition): string {
  const lines = [
    `growset ${command.name}: ${command.summary}`,
    '',
    `Usage: growset ${command.name} ${command.usage}`,
  ];
  if (command.details) lines.push('', command.details.trim());
  lines.push('', 'Options:');
  const specs = { ...command.options, ...GLOBAL_OPTIONS };
  const rows = Object.entries(specs).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
    return [flag, `${spec.description}${spec.default ? ` (default: ${spec.default})` : ''}`] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}  ${text}`);
  return `${lines.join('\n')}\n`;
}

/** Reads a string option. */
export function stringOption(args: ParsedCommandArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Reads an integer option, with a usage error naming the flag when it is not one. */
export function intOption(
  args: ParsedCommandArgs,
  name: string,
  bounds: { min?: number; max?: number } = {},
): number | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const min = bounds.min ?? Number.MIN_SAFE_INTEGER;
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    const range =
      bounds.min !== undefined && bounds.max !== undefined
        ? ` from ${min} to ${max}`
        : bounds.min !== undefined
          ? ` >= ${min}`
          : '';
    throw new UsageError(`Expected \`--${name}\` to be an integer${range}, got \`${raw}\``);
  }
  return value;
}

/** Reads a number option (fractions allowed). */
export function numberOption(
  args: ParsedCommandArgs,
  name: string,
  bounds: { min?: number; max?: number; exclusiveMin?: boolean } = {},
): number | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const min = bounds.min ?? Number.NEGATIVE_INFINITY;
  const max = bounds.max ?? Number.POSITIVE_INFINITY;
  const tooSmall = bounds.exclusiveMin ? value <= min : value < min;
  if (raw.trim() === '' || !Number.isFinite(value) || tooSmall || value > max) {
    const parts: string[] = [];
    if (Number.isFinite(min)) parts.push(`${bounds.exclusiveMin ? '>' : '>='} ${min}`);
    if (Number.isFinite(max)) parts.push(`<= ${max}`);
    throw new UsageError(
      `Expected \`--${name}\` to be a number${parts.length ? ` ${parts.join(' and ')}` : ''}, got \`${raw}\``,
    );
  }
  return value;
}

/** Reads a comma-separated list option. */
export function listOption(args: ParsedCommandArgs, name: string): string[] | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
