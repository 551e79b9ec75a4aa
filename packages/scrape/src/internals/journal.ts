import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { JsonObject, QuarantineRecord } from '@growset/core';

/** One line of the crawl journal. Short keys keep the file small. */
export type JournalEvent =
  /** A crawl (or a resumed run of it) started. */
  | { t: 'start'; config: string; at: string; run: number }
  /** A page URL entered the frontier at a depth. */
  | { t: 'queue'; u: string; d: number }
  /** A discovered URL was not queued, and why. */
  | { t: 'skip'; u: string; r: string }
  /** A page was fully handled (its items written, filtered or quarantined). */
  | { t: 'done'; u: string; ok: boolean }
  /** An item was written: its key, sample id, label, file (relative to the images folder) and page. */
  | { t: 'item'; k: string; id: string; label: string; file: string; u: string; meta?: JsonObject }
  /** A key was claimed by an item that was filtered or quarantined (so a later URL does not retry it). */
  | { t: 'claim'; k: string }
  /** A quarantine record, replayed into the next run's quarantine.jsonl. */
  | { t: 'quarantine'; record: QuarantineRecord }
  /** A count for the report (pages fetched, retries, robots denials...). */
  | { t: 'count'; n: string; v: number }
  /** The crawl finished; its summary. */
  | { t: 'finish'; at: string; summary: JsonObject };

/** What a journal says about a crawl so far. */
export interface JournalState {
  /** Config fingerprint of the first run. */
  config: string | undefined;
  runs: number;
  /** Queued page URLs with their depth, in order. */
  queued: Map<string, number>;
  skipped: Map<string, string>;
  done: Set<string>;
  items: Map<string, Extract<JournalEvent, { t: 'item' }>>;
  claimed: Set<string>;
  quarantine: QuarantineRecord[];
  counts: Map<string, number>;
  finished: Extract<JournalEvent, { t: 'finish' }> | undefined;
  /** Lines that could not be parsed (a torn last line after a kill). */
  torn: number;
}

/** Reads a journal; a missing file is an empty state. A torn line (killed mid-write) is skipped. */
export function readJournal(path: string): JournalState {
  const state: JournalState = {
    config: undefined,
    runs: 0,
    queued: new Map(),
    skipped: new Map(),
    done: new Set(),
    items: new Map(),
    claimed: new Set(),
    quarantine: [],
    counts: new Map(),
    finished: undefined,
    torn: 0,
  };
  if (!existsSync(path)) return state;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    let event: JournalEvent;
    try {
      event = JSON.parse(line) as JournalEvent;
    } catch {
      state.torn += 1;
      continue;
    }
    switch (event.t) {
      case 'start':
        state.config ??= event.config;
        state.runs = Math.max(state.runs, event.run);
        break;
      case 'queue':
        if (!state.queued.has(event.u)) state.queued.set(event.u, event.d);
        break;
      case 'skip':
        state.skipped.set(event.u, event.r);
        break;
      case 'done':
        state.done.add(event.u);
        break;
      case 'item':
        state.items.set(event.k, event);
        state.claimed.add(event.k);
        break;
      case 'claim':
        state.claimed.add(event.k);
        break;
      case 'quarantine':
        state.quarantine.push(event.record);
        break;
      case 'count':
        state.counts.set(event.n, (state.counts.get(event.n) ?? 0) + event.v);
        break;
      case 'finish':
        state.finished = event;
        break;
    }
  }
  return state;
}

/**
 * An append-only JSONL journal. Each event is one `write(2)` of one line, so a process killed at
 * any instant (SIGKILL included) leaves every earlier event on disk and at most one torn line,
 * which {@link readJournal} skips. `sync()` flushes to stable storage at checkpoints.
 */
export class Journal {
  readonly path: string;
  #fd: number | undefined;

  constructor(path: string) {
    this.path = path;
    mkdirSync(dirname(path), { recursive: true });
    this.#fd = openSync(path, 'a+');
    // A run killed mid-line left a torn last line: end it, so the next event starts a fresh line.
    const size = fstatSync(this.#fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(this.#fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writeSync(this.#fd, '\n');
    }
  }

  append(event: JournalEvent): void {
    if (this.#fd === undefined) throw new Error(`Journal ${this.path} is closed`);
    writeSync(this.#fd, `${JSON.stringify(event)}\n`);
  }

  sync(): void {
    if (this.#fd !== undefined) fsyncSync(this.#fd);
  }

  close(): void {
    if (this.#fd === undefined) return;
    try {
      fsyncSync(this.#fd);
    } finally {
      closeSync(this.#fd);
      this.#fd = undefined;
    }
  }
}
