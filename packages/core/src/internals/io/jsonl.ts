import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { errorMessage } from '../errors.ts';
import type { JsonObject, JsonValue } from '../json.ts';
import type { EncodedImage, Identified, Label, LineageStep, Sample, SourceRef } from '../sample.ts';
import { sniffImageFormat } from '../sample.ts';
import type { Source, Stage } from '../stage.ts';
import { AtomicFileWriter } from './atomic.ts';

/** One line of a manifest: everything about a sample except its payload. */
export interface ManifestEntry {
  id: string;
  label?: Label;
  /** Payload file, relative to the manifest's folder. */
  file?: string;
  source?: SourceRef;
  lineage: readonly LineageStep[];
  meta?: JsonObject;
}

/** The manifest entry for a sample (payload left out; `file` from `meta.file` when present). */
export function toManifestEntry(sample: Sample<unknown>): ManifestEntry {
  const { file, ...meta } = sample.meta ?? {};
  return {
    id: sample.id,
    ...(sample.label === undefined ? {} : { label: sample.label }),
    ...(typeof file === 'string' ? { file } : {}),
    ...(sample.source === undefined ? {} : { source: sample.source }),
    lineage: sample.lineage,
    ...(Object.keys(meta).length === 0 ? {} : { meta }),
  };
}

export interface WriteJsonlOptions<T> {
  /** Turns an item into the JSON written on its line. @default the item itself */
  toJson?: (item: T) => unknown;
  /** Stage name. @default 'write-jsonl' */
  name?: string;
}

/**
 * A pass-through stage writing one JSON line per item. The file appears atomically when the
 * stream ends (a failed or killed run leaves the previous file untouched).
 */
export function writeJsonl<T>(path: string, options: WriteJsonlOptions<T> = {}): Stage<T, T> {
  const toJson = options.toJson ?? ((item: T) => item);
  return {
    name: options.name ?? 'write-jsonl',
    async *run(input) {
      const writer = await AtomicFileWriter.open(path);
      let committed = false;
      try {
        for await (const item of input) {
          await writer.write(`${JSON.stringify(toJson(item))}\n`);
          yield item;
        }
        await writer.commit();
        committed = true;
      } finally {
        if (!committed) await writer.abort();
      }
    },
  };
}

/** A pass-through stage writing a JSONL manifest of samples (see {@link ManifestEntry}). */
export function writeManifest<P>(path: string): Stage<Sample<P>, Sample<P>> {
  return writeJsonl<Sample<P>>(path, { toJson: toManifestEntry, name: 'write-manifest' });
}

/** A parsed JSONL line with its 1-based line number. */
export interface JsonlLine extends Identified {
  line: number;
  value: JsonValue;
}

/**
 * A source reading a JSONL file line by line (memory stays flat). Blank lines are skipped; a line
 * that is not valid JSON is quarantined with its line number.
 */
export function readJsonl(path: string, options: { name?: string } = {}): Source<JsonlLine> {
  return {
    name: options.name ?? 'read-jsonl',
    async *run(ctx) {
      const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
      let line = 0;
      for await (const text of lines) {
        line += 1;
        if (text.trim() === '') continue;
        const id = `${path}#L${line}`;
        try {
          yield { id, line, value: JSON.parse(text) as JsonValue };
        } catch (error) {
          ctx.quarantine({ id, payload: text } as Identified, 'invalid JSON line', {
            detail: errorMessage(error),
            source: { file: path, line },
          });
        }
      }
    },
  };
}

function isManifestEntry(value: JsonValue): value is JsonValue & ManifestEntry {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof value.id === 'string' &&
    (value.lineage === undefined || Array.isArray(value.lineage))
  );
}

/**
 * A source of samples from a manifest. With `loadFiles`, each entry's `file` (relative to the
 * manifest) is read as an encoded image payload; a missing file is quarantined.
 */
export function readManifest(
  path: string,
  options: { loadFiles?: boolean } = {},
): Source<Sample<EncodedImage | undefined>> {
  const lines = readJsonl(path, { name: 'read-manifest' });
  const root = dirname(path);
  return {
    name: 'read-manifest',
    async *run(ctx) {
      for await (const { line, value, id: lineId } of lines.run(ctx)) {
        if (!isManifestEntry(value)) {
          ctx.quarantine({ id: lineId }, 'invalid manifest entry', {
            detail: 'expected an object with a string `id`',
            source: { file: path, line },
          });
          continue;
        }
        const entry = value as unknown as ManifestEntry;
        let payload: EncodedImage | undefined;
        if (options.loadFiles && entry.file) {
          try {
            const data = new Uint8Array(await readFile(join(root, entry.file)));
            const format = sniffImageFormat(data);
            payload = { kind: 'encoded', data, ...(format ? { format } : {}) };
          } catch (error) {
            ctx.quarantine({ id: entry.id }, 'unreadable file', {
              detail: errorMessage(error),
              source: { file: join(root, entry.file) },
            });
            continue;
          }
        }
        yield {
          id: entry.id,
          ...(entry.label === undefined ? {} : { label: entry.label }),
          payload,
          ...(entry.source === undefined ? {} : { source: entry.source }),
          lineage: entry.lineage ?? [],
          meta: { ...(entry.meta ?? {}), ...(entry.file ? { file: entry.file } : {}) },
        };
      }
    },
  };
}
