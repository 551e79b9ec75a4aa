import { join } from 'node:path';
import { errorMessage } from './errors.ts';
import { AtomicFileWriter, writeFileAtomic } from './io/atomic.ts';
import { safeFileName } from './io/sanitize.ts';
import type { JsonValue } from './json.ts';
import {
  extensionForFormat,
  hardLabel,
  type Identified,
  isEncodedImage,
  type Sample,
  type SourceRef,
  sniffImageFormat,
} from './sample.ts';

/** One rejected input: what it was, where it came from, and why it was rejected. */
export interface QuarantineRecord {
  /** Stage that rejected it. */
  stage: string;
  /** Sample id (or a synthetic id such as `data.csv#L12` for input that never became a sample). */
  id: string;
  /** Short category, e.g. `undecodable image`, `ragged row`. */
  reason: string;
  /** Longer explanation: parser message, offending value. */
  detail?: string;
  source?: SourceRef;
  label?: string;
  /** For small text payloads (a raw CSV line), the text itself. */
  raw?: string;
  /** Where the rejected bytes were saved, relative to the quarantine folder. */
  file?: string;
}

/** Where quarantined samples go. */
export interface QuarantineSink {
  add(record: QuarantineRecord, subject: Identified): void;
  /** Finishes writing; called once when the run ends (successfully or not). */
  close(): Promise<void>;
}

/** Builds the record for a rejected subject. */
export function quarantineRecord(
  stage: string,
  subject: Identified,
  reason: string,
  options: { detail?: string; source?: SourceRef; cause?: unknown } = {},
): QuarantineRecord {
  const sample = subject as Partial<Sample<unknown>> & Identified;
  const source = options.source ?? sample.source;
  const label = hardLabel(sample.label);
  const detail = options.detail ?? (options.cause === undefined ? undefined : errorMessage(options.cause));
  const raw = typeof sample.payload === 'string' ? truncate(sample.payload, 4096) : undefined;
  return {
    stage,
    id: subject.id,
    reason,
    ...(detail === undefined ? {} : { detail: truncate(detail, 2000) }),
    ...(source === undefined ? {} : { source }),
    ...(label === undefined ? {} : { label }),
    ...(raw === undefined ? {} : { raw }),
  };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}... (${text.length - max} more characters)` : text;
}

/** Keeps quarantine records in memory (for tests, or to post-process). */
export class MemoryQuarantine implements QuarantineSink {
  readonly records: QuarantineRecord[] = [];
  add(record: QuarantineRecord): void {
    this.records.push(record);
  }
  async close(): Promise<void> {}
}

export interface QuarantineFolderOptions {
  /** Save rejected image bytes under `files/` so a person can look at them. @default true */
  saveFiles?: boolean;
}

/**
 * Writes `quarantine.jsonl` (one record per line, in order) into `dir`, and the bytes of rejected
 * encoded images under `dir/files/`. The JSONL file appears atomically when the run ends.
 */
export class QuarantineFolder implements QuarantineSink {
  readonly dir: string;
  readonly path: string;
  readonly #saveFiles: boolean;
  #writer: Promise<AtomicFileWriter> | undefined;
  #chain: Promise<void> = Promise.resolve();
  #error: unknown;
  #count = 0;

  constructor(dir: string, options: QuarantineFolderOptions = {}) {
    this.dir = dir;
    this.path = join(dir, 'quarantine.jsonl');
    this.#saveFiles = options.saveFiles ?? true;
  }

  get count(): number {
    return this.#count;
  }

  add(record: QuarantineRecord, subject: Identified): void {
    this.#count += 1;
    const payload = (subject as Partial<Sample<unknown>>).payload;
    this.#chain = this.#chain
      .then(async () => {
        let line = record;
        if (this.#saveFiles && isEncodedImage(payload) && payload.data.length > 0) {
          const ext = extensionForFormat(payload.format ?? sniffImageFormat(payload.data));
          const file = `files/${safeFileName(`${record.stage}-${record.id}`)}.${ext}`;
          await writeFileAtomic(join(this.dir, file), payload.data, { durable: false });
          line = { ...record, file };
        }
        this.#writer ??= AtomicFileWriter.open(this.path, { durable: false });
        await (await this.#writer).write(`${JSON.stringify(line as unknown as JsonValue)}\n`);
      })
      .catch((error: unknown) => {
        this.#error ??= error;
      });
  }

  async close(): Promise<void> {
    await this.#chain;
    if (this.#writer) await (await this.#writer).commit();
    else await writeFileAtomic(this.path, '', { durable: false });
    if (this.#error) throw this.#error;
  }
}
