export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logger. Front ends decide where lines go; library code never prints. */
export interface Logger {
  debug(message: string, fields?: object): void;
  info(message: string, fields?: object): void;
  warn(message: string, fields?: object): void;
  error(message: string, fields?: object): void;
}

/** Discards everything. The default for library calls. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes `level message {fields}` lines to a stream (stderr by default) at or above `level`. */
export function streamLogger(
  options: { level?: LogLevel; stream?: { write(chunk: string): unknown }; prefix?: string } = {},
): Logger {
  const min = order[options.level ?? 'info'];
  const stream = options.stream ?? process.stderr;
  const prefix = options.prefix ?? '';
  const log = (level: LogLevel) => (message: string, fields?: object) => {
    if (order[level] < min) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${safeJson(fields)}` : '';
    stream.write(`${prefix}${level === 'info' ? '' : `${level}: `}${message}${extra}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
