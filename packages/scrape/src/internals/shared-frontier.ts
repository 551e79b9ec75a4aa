import type { ResolvedCrawlConfig } from './config.ts';

/** A page taken from a shared frontier: this process holds it (a lease) until `complete`. */
export interface LeasedPage {
  url: string;
  depth: number;
}

/** How robots.txt of an origin turned out, as stored for the other processes. */
export interface StoredRobots {
  status: 'parsed' | 'missing' | 'unreachable';
  /** The file's text (`parsed`). */
  text?: string;
}

/**
 * The frontier of a crawl run by several processes (or machines) at once: each runs `crawl()` on
 * its own output folder with the same config, and they share the request queue, the seen set, the
 * item-key claims, robots.txt and per-host politeness through this object. `@growset/queue`
 * implements it on Redis (`redisCrawlFrontier`). Every method may be called concurrently.
 */
export interface SharedFrontier {
  /** Where it lives, for logs (a Redis URL with its password hidden). */
  readonly description: string;
  /** How often the crawler calls `renew` (well within a lease). */
  readonly renewEveryMs: number;
  /**
   * Called once before crawling with the item keys this folder's journal holds (items written,
   * items quarantined): keys this folder had committed but never wrote (it was killed) are
   * released and their pages queued again.
   */
  open(journaledKeys: ReadonlySet<string>): Promise<void>;
  /** Adds a URL to the frontier unless it was ever seen; `max pages` once the budget is spent. */
  admit(url: string, depth: number): Promise<'queued' | 'seen' | 'max pages'>;
  /** Marks URLs as seen without queueing them (a page's final URL and canonical identity). */
  markSeen(urls: readonly string[]): Promise<void>;
  /**
   * Takes a page to load: a lease that expires if this process dies (then another takes the
   * page); `wait` when none is ready but others hold pages or retries are pending; `finished`
   * when the frontier is empty and no process holds a page.
   */
  take(): Promise<LeasedPage | 'wait' | 'finished'>;
  /** Keeps this process's leases alive (called periodically with the pages it holds). */
  renew(urls: readonly string[]): Promise<void>;
  /** The page is handled: its links admitted, its items written or quarantined. */
  complete(url: string): Promise<void>;
  /**
   * Takes an item key for a page: `mine` (first, or the same page again), `collected` (the same
   * page again, and its item is already in some folder), or the page that took it first.
   */
  claim(key: string, page: string): Promise<'mine' | 'collected' | { duplicateOf: string }>;
  /**
   * Records, before writing, that this folder holds the item (or its quarantine record); `false`
   * when another process already does (a page loaded twice after a lease expired).
   */
  commit(key: string, page: string): Promise<boolean>;
  /**
   * Waits until `host` may get another request (its delay since the last start across all
   * processes, its concurrency across all processes, a Retry-After pause), takes a slot and
   * returns its release.
   */
  hostSlot(host: string, delayMs: number, signal: AbortSignal): Promise<() => void>;
  /** Pauses a host for every process (Retry-After); extends a running pause only. */
  pauseHost(host: string, ms: number): Promise<void>;
  /** robots.txt of an origin as another process stored it. */
  robots(origin: string): Promise<StoredRobots | undefined>;
  storeRobots(origin: string, robots: StoredRobots): Promise<void>;
  /** This process is done (finished or stopped): stops renewals, closes connections. */
  close(finished: boolean): Promise<void>;
}

/** What a shared frontier is opened for. */
export interface SharedCrawlIdentity {
  /** `configFingerprint(config)`: processes with the same fingerprint share one crawl. */
  fingerprint: string;
  /** This output folder, stable across restarts (the owner of the items it commits). */
  owner: string;
  config: ResolvedCrawlConfig;
  /** Forget the shared state of this crawl first (`fresh`). */
  fresh: boolean;
}

/** Opens the shared frontier of a crawl (`crawl({ shared })`). */
export type SharedFrontierFactory = (crawl: SharedCrawlIdentity) => Promise<SharedFrontier>;
