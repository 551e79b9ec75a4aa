import { setMaxListeners } from 'node:events';
import type { EncodedImage, Logger, ProgressListener, Sample, Source } from '@growset/core';
import { Channel } from './channel.ts';
import { createParts } from './components.ts';
import { type CrawlConfig, parseCrawlConfig, type ResolvedCrawlConfig } from './config.ts';
import { Crawler } from './crawler/crawler.ts';
import type { Journal, JournalState } from './journal.ts';
import type { SharedFrontier } from './shared-frontier.ts';

export interface CrawlSourceOptions {
  logger?: Logger;
  /** `task` progress events (pages done of pages queued). */
  onProgress?: ProgressListener;
  /** @internal journaled crawls (see `crawl()`). */
  journal?: Journal;
  /** @internal */
  state?: JournalState;
  /** @internal */
  imagesDir?: string;
  /** Called with the crawler once it exists (to read its stats, or confirm writes). */
  onCrawler?: (crawler: Crawler) => void;
  /** Wait for `crawler.confirmWritten(sample)` before a page counts as done. @default false */
  confirmWrites?: boolean;
  /** Samples buffered between the crawl and the next stage. @default 64 */
  buffer?: number;
  /** @internal a frontier shared with other processes (see `crawl({ shared })`). */
  shared?: SharedFrontier;
}

/**
 * A pipeline source that crawls and yields one `Sample<EncodedImage>` per item (label, verified
 * image bytes, `source.url` of its page, `meta` with the key, page, image URL, size and other
 * fields). Duplicate items are filtered; items and pages that fail are quarantined with their
 * URL and reason. Options are validated when it is created.
 */
export function crawlSource(
  config: CrawlConfig | ResolvedCrawlConfig,
  options: CrawlSourceOptions = {},
): Source<Sample<EncodedImage>> {
  const resolved = parseCrawlConfig(config);
  let dispose: (() => Promise<void>) | undefined;
  return {
    name: 'crawl',
    async *run(ctx) {
      const controller = new AbortController();
      // Every request in flight listens to this one signal.
      setMaxListeners(0, controller.signal);
      const onAbort = () => controller.abort(ctx.signal.reason);
      if (ctx.signal.aborted) onAbort();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      const parts = createParts(resolved, {
        signal: controller.signal,
        ...(options.logger ? { logger: options.logger } : { logger: ctx.logger }),
        ...(options.shared ? { shared: options.shared } : {}),
      });
      dispose = parts.dispose;
      const crawler = new Crawler({
        config: resolved,
        ...parts,
        logger: options.logger ?? ctx.logger,
        signal: controller.signal,
        confirmWrites: options.confirmWrites ?? false,
        ...(options.journal ? { journal: options.journal } : {}),
        ...(options.state ? { state: options.state } : {}),
        ...(options.imagesDir ? { imagesDir: options.imagesDir } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.shared ? { shared: options.shared } : {}),
      });
      options.onCrawler?.(crawler);
      (options.logger ?? ctx.logger).info(`Crawling with the ${parts.engine.description} engine`);
      const channel = new Channel<Sample<EncodedImage>>(options.buffer ?? 64);
      const running = crawler.run(channel, ctx).then(
        () => channel.close(),
        (error: unknown) => channel.close(error ?? new Error('crawl failed')),
      );
      try {
        yield* channel;
      } finally {
        ctx.signal.removeEventListener('abort', onAbort);
        if (!controller.signal.aborted) controller.abort();
        await running;
      }
    },
    async dispose() {
      await dispose?.();
      dispose = undefined;
    },
  };
}
