import type { SourceRef } from './sample.ts';

export interface GrowsetErrorOptions {
  /** Stable machine-readable code, e.g. `ERR_OPTIONS`. */
  code?: string;
  /** Whether trying the same thing again may succeed (network hiccup, busy resource). @default false */
  retryable?: boolean;
  cause?: unknown;
}

/**
 * Base class of every error growset throws on purpose. `retryable` tells a caller whether
 * doing the same thing again can succeed; `cause` carries the underlying error.
 */
export class GrowsetError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(message: string, options: GrowsetErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? 'ERR_GROWSET';
    this.retryable = options.retryable ?? false;
  }
}

export interface OptionsErrorDetails {
  /** Options type being validated, e.g. `MapStageOptions`. */
  optionsType: string;
  /** Dotted path of the offending field, e.g. `transforms[2].limit`; empty for the whole object. */
  field: string;
  /** What was expected, in words: `an integer >= 1`. */
  expected: string;
  /** The value received (as given). */
  received: unknown;
}

/** A bad option, caught when a factory is called, never halfway through a run. */
export class OptionsError extends GrowsetError {
  readonly optionsType: string;
  readonly field: string;
  readonly expected: string;
  readonly received: unknown;

  constructor(details: OptionsErrorDetails, options: Omit<GrowsetErrorOptions, 'code' | 'retryable'> = {}) {
    const where = details.field === '' ? 'options' : `option \`${details.field}\``;
    super(
      `Invalid ${where} in ${details.optionsType}: expected ${details.expected}, got ${describeValue(details.received)}`,
      { ...options, code: 'ERR_OPTIONS', retryable: false },
    );
    this.optionsType = details.optionsType;
    this.field = details.field;
    this.expected = details.expected;
    this.received = details.received;
  }
}

/** An error raised while a stage processed a sample; `cause` holds the original error. */
export class StageError extends GrowsetError {
  readonly stage: string;
  readonly sampleId: string | undefined;

  constructor(
    stage: string,
    sampleId: string | undefined,
    message: string,
    options: Omit<GrowsetErrorOptions, 'code'> = {},
  ) {
    const subject = sampleId === undefined ? '' : ` on sample \`${sampleId}\``;
    super(`Stage \`${stage}\` failed${subject}: ${message}`, {
      ...options,
      code: 'ERR_STAGE',
      retryable: options.retryable ?? isRetryable(options.cause),
    });
    this.stage = stage;
    this.sampleId = sampleId;
  }
}

/**
 * Bad input: a sample that cannot be used. Thrown inside a stage's per-sample function, it sends
 * the sample to quarantine with `reason` instead of failing the run.
 */
export class DataError extends GrowsetError {
  /** Short category used to group quarantined samples, e.g. `undecodable image`. */
  readonly reason: string;
  readonly source: SourceRef | undefined;

  constructor(reason: string, detail?: string, options: { source?: SourceRef; cause?: unknown } = {}) {
    super(detail === undefined ? reason : `${reason}: ${detail}`, {
      code: 'ERR_DATA',
      retryable: false,
      cause: options.cause,
    });
    this.reason = reason;
    this.source = options.source;
  }
}

/** The run was cancelled through its AbortSignal. */
export class AbortError extends GrowsetError {
  constructor(message = 'The run was aborted', options: { cause?: unknown } = {}) {
    super(message, { code: 'ERR_ABORTED', retryable: false, cause: options.cause });
  }
}

/** A stage's counts do not add up: a sample was lost without being filtered or quarantined. */
export class AccountingError extends GrowsetError {
  readonly stage: string;

  constructor(stage: string, message: string) {
    super(`Stage \`${stage}\` lost track of samples: ${message}`, { code: 'ERR_ACCOUNTING' });
    this.stage = stage;
  }
}

/** Whether an error says that trying again may succeed. Unknown errors are not retryable. */
export function isRetryable(error: unknown): boolean {
  return error instanceof GrowsetError ? error.retryable : false;
}

/** Renders a value for an error message: `` `-1` (number) ``, `` `"abc"` (string) ``, `undefined`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return '`null`';
  const type = Array.isArray(value) ? 'array' : typeof value;
  let text: string;
  try {
    text =
      typeof value === 'string'
        ? JSON.stringify(value)
        : typeof value === 'bigint'
          ? `${value}n`
          : typeof value === 'function'
            ? `[function ${(value as { name?: string }).name || 'anonymous'}]`
            : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  if (text.length > 80) text = `${text.slice(0, 77)}...`;
  return `\`${text}\` (${type})`;
}

/** Message of any thrown value, for logs and quarantine records. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
