import {
  DataError,
  type EncodedImage,
  type Identified,
  type JsonObject,
  type JsonValue,
  type Sample,
  type SourceRef,
} from '@growset/core';
import type { Channel } from '../channel.ts';
import { imageFieldOf, type ResolvedCrawlConfig } from '../config.ts';
import { FetchError } from '../errors.ts';
import { type ItemOutcome, validateItem } from '../extract.ts';
import { itemIdForKey, pageIdForUrl } from '../ids.ts';
import type { Journal, JournalState } from '../journal.ts';
import type { SharedFrontier } from '../shared-frontier.ts';
import type { Loaded } from './page-load.ts';

/** What the crawler reports to the pipeline stage that runs it. */
export interface CrawlerSink {
  filter(subject: Identified, reason: string, detail?: string): void;
  quarantine(
    subject: Identified,
    reason: string,
    options: { detail?: string; source?: SourceRef; cause?: unknown },
  ): void;
}

/** An image fetched and verified. */
export interface FetchedImage {
  payload: EncodedImage;
  width: number;
  height: number;
}

export interface ItemHandlerOptions {
  config: ResolvedCrawlConfig;
  journal?: Journal;
  state?: JournalState;
  shared?: SharedFrontier;
  /** Wait for the writer's confirmation before an item counts as settled. */
  confirmWrites: boolean;
  sink(): CrawlerSink;
  output(): Channel<Sample<EncodedImage>>;
  /** Fetches and verifies an image (retries, robots.txt, scope); rejects with FetchError or DataError. */
  fetchImage(url: string): Promise<FetchedImage>;
  /** Records a quarantined subject (sink and journal). */
  quarantine(subject: Identified, reason: string, options: { detail: string; source: SourceRef }): void;
  /** One item of the page is settled (written, filtered or quarantined). */
  settle(page: string): void;
}

/**
 * The items of loaded pages: validates them, takes their keys (dedupe within the crawl, across
 * runs and, when shared, across processes), fetches and verifies their images, and pushes a
 * sample or quarantines the item with its reason. Each item settles exactly once.
 */
export class ItemHandler {
  readonly #o: ItemHandlerOptions;
  readonly #imageField: string;
  /** Item keys taken, with the URL that took them. */
  readonly #claimed = new Map<string, string>();
  /** Keys written by earlier runs. */
  readonly #previous: Set<string>;
  /** Items new this run, and items found already collected (by an earlier run or another process). */
  newItems = 0;
  alreadyCollected = 0;

  constructor(options: ItemHandlerOptions) {
    this.#o = options;
    this.#imageField = imageFieldOf(options.config.item);
    this.#previous = new Set(options.state?.claimed ?? []);
    for (const key of options.state?.claimed ?? []) this.#claimed.set(key, '(an earlier run)');
  }

  /** Forgets a key an earlier run wrote whose file is gone (its page is visited again). */
  forget(key: string): void {
    this.#claimed.delete(key);
    this.#previous.delete(key);
  }

  async handle(page: string, result: Loaded, outcome: ItemOutcome): Promise<void> {
    const { config } = this.#o;
    const defaultKey = config.item.container ? `${result.identity}#${outcome.index + 1}` : result.identity;
    const source = { url: result.finalUrl };
    if (!outcome.ok) {
      if (!(await this.#claim(defaultKey, page, itemIdForKey(defaultKey)))) return;
      return this.#quarantineItem(page, defaultKey, outcome.reason, outcome.detail, source);
    }
    const checked = validateItem(config.item, this.#imageField, outcome.item, defaultKey, result.finalUrl);
    if (!checked.ok) {
      if (!(await this.#claim(defaultKey, page, itemIdForKey(defaultKey)))) return;
      return this.#quarantineItem(page, defaultKey, checked.reason, checked.detail, source);
    }
    const item = checked.value;
    const id = itemIdForKey(item.key);
    if (!(await this.#claim(item.key, page, id))) return;
    let image: FetchedImage;
    try {
      image = await this.#o.fetchImage(item.imageUrl);
    } catch (error) {
      if (error instanceof DataError || error instanceof FetchError) {
        const reason = error instanceof FetchError ? `asset ${error.reason}` : error.reason;
        const detail =
          error instanceof FetchError
            ? `${error.detail} (image ${item.imageUrl})`
            : stripReason(error.message, error.reason);
        return this.#quarantineItem(page, item.key, reason, detail, source, item.label);
      }
      throw error;
    }
    const extra: JsonObject = {};
    for (const [name, value] of Object.entries(item.fields)) {
      if (name === config.item.labelField || name === this.#imageField) continue;
      const json = toJson(value);
      if (json !== undefined) extra[name] = json;
    }
    const sample: Sample<EncodedImage> = {
      id,
      label: item.label,
      payload: image.payload,
      source,
      lineage: [],
      meta: {
        ...extra,
        key: item.key,
        page: page,
        imageUrl: item.imageUrl,
        width: image.width,
        height: image.height,
      },
    };
    if (!(await this.#commit(item.key, page))) return;
    this.newItems += 1;
    this.#o.output().push(sample);
    if (!this.#o.confirmWrites) this.#o.settle(page);
  }

  /** Takes a key for a page's item; a taken key filters the item as a duplicate and settles it. */
  #claim(key: string, page: string, id: string): boolean | Promise<boolean> {
    if (this.#o.shared) return this.#claimShared(this.#o.shared, key, page, id);
    const holder = this.#claimed.get(key);
    if (holder === undefined) {
      this.#claimed.set(key, page);
      return true;
    }
    if (this.#previous.has(key)) {
      // Collected by an earlier run; this page is being revisited after an interruption.
      this.alreadyCollected += 1;
    } else {
      this.#o
        .sink()
        .filter(
          { id: `${id}@${pageIdForUrl(page)}` },
          'duplicate item',
          `key ${key} was first seen on ${holder}`,
        );
    }
    this.#o.settle(page);
    return false;
  }

  async #claimShared(shared: SharedFrontier, key: string, page: string, id: string): Promise<boolean> {
    const verdict = await shared.claim(key, page);
    if (verdict === 'mine') return true;
    if (verdict === 'collected') this.alreadyCollected += 1;
    else {
      this.#o
        .sink()
        .filter(
          { id: `${id}@${pageIdForUrl(page)}` },
          'duplicate item',
          `key ${key} was first seen on ${verdict.duplicateOf}`,
        );
    }
    this.#o.settle(page);
    return false;
  }

  /** Shared crawls: records that this folder holds the key; `false` (and settled) when another does. */
  async #commit(key: string, page: string): Promise<boolean> {
    if (!this.#o.shared || (await this.#o.shared.commit(key, page))) return true;
    this.alreadyCollected += 1;
    this.#o.settle(page);
    return false;
  }

  async #quarantineItem(
    page: string,
    key: string,
    reason: string,
    detail: string,
    source: SourceRef,
    label?: string,
  ): Promise<void> {
    if (!(await this.#commit(key, page))) return;
    this.#o.journal?.append({ t: 'claim', k: key });
    const id = itemIdForKey(key);
    this.#o.quarantine({ id, ...(label === undefined ? {} : { label }) } as Identified, reason, {
      detail,
      source,
    });
    this.#o.settle(page);
  }
}

function stripReason(message: string, reason: string): string {
  return message.startsWith(`${reason}: `) ? message.slice(reason.length + 2) : message;
}

function toJson(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(value)) as JsonValue;
  } catch {
    return String(value);
  }
}
