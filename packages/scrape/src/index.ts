// Chromium is found and launched by @growset/browser; re-exported for callers that only know scrape.
export { BrowserNotFoundError, type FoundChromium, findChromium } from '@growset/browser';
export { resolveEngine } from './internals/components.ts';
export {
  type BrowserOptions,
  type CrawlConfig,
  crawlConfigSchema,
  type ExtractContext,
  type ExtractedItem,
  type FieldSpec,
  type FieldTransformName,
  type ItemSpec,
  parseCrawlConfig,
  type ResolvedCrawlConfig,
} from './internals/config.ts';
export {
  type CrawlOptions,
  type CrawlResult,
  type CrawlSummary,
  configFingerprint,
  crawl,
} from './internals/crawl.ts';
export { type CrawlSourceOptions, crawlSource } from './internals/crawl-source.ts';
export type { CrawlStats } from './internals/crawler/crawler.ts';
export type { LoadedPage, PageEngine } from './internals/engines/engine.ts';
export { engines } from './internals/engines/index.ts';
export {
  type ConformanceCheck,
  type EngineDefinition,
  type EngineParts,
  EngineRegistry,
} from './internals/engines/registry.ts';
export { CrawlStateError, FetchError } from './internals/errors.ts';
export {
  describeCrawl,
  runScrapeJob,
  type ScrapeJobFiles,
  type ScrapeJobOptions,
} from './internals/jobs/scrape-job.ts';
export { preferredEngine } from './internals/preferred-engine.ts';
export { parseRobotsTxt, type RobotsRules, robotsAgentToken } from './internals/robots.ts';
export { isPrivateAddress, Scope } from './internals/scope.ts';
export type {
  LeasedPage,
  SharedCrawlIdentity,
  SharedFrontier,
  SharedFrontierFactory,
  StoredRobots,
} from './internals/shared-frontier.ts';
export { normalizeUrl, TRACKING_PARAMS } from './internals/url.ts';
