import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EncodedImage, Identified, Sample } from '@growset/core';
import type { Channel } from '../channel.ts';
import type { JournalEvent, JournalState } from '../journal.ts';
import type { CrawlerSink } from './items.ts';

export interface ReplayOptions {
  /** Folder the earlier runs' images were written to. */
  imagesDir: string;
  sink: CrawlerSink;
  output: Channel<Sample<EncodedImage>>;
  /** An item whose file is gone (its page must be visited again). */
  onMissing(entry: Extract<JournalEvent, { t: 'item' }>): void;
}

/**
 * Replays what earlier runs of a crawl journaled: their quarantine records into the sink, their
 * items (read back from their files, marked `meta.resumed`) into the output, so this run's
 * outputs hold everything. Returns the number of items replayed.
 */
export async function replayState(state: JournalState, options: ReplayOptions): Promise<number> {
  for (const record of state.quarantine) {
    const subject = record.label === undefined ? { id: record.id } : { id: record.id, label: record.label };
    options.sink.quarantine(subject as Identified, record.reason, {
      ...(record.detail === undefined ? {} : { detail: record.detail }),
      ...(record.source === undefined ? {} : { source: record.source }),
    });
  }
  let replayed = 0;
  for (const entry of state.items.values()) {
    let data: Uint8Array;
    try {
      data = new Uint8Array(await readFile(join(options.imagesDir, entry.file)));
    } catch {
      options.onMissing(entry);
      continue;
    }
    await options.output.ready();
    replayed += 1;
    const format = entry.file.split('.').pop();
    options.output.push({
      id: entry.id,
      label: entry.label,
      payload: { kind: 'encoded', data, ...(format ? { format: format === 'jpg' ? 'jpeg' : format } : {}) },
      source: { url: entry.u },
      lineage: [],
      meta: { ...(entry.meta ?? {}), resumed: true },
    });
  }
  return replayed;
}
