export { type FoundChromium, findChromium, preferredEngine } from './internals/browser/find-chromium.ts';
export { CHROMIUM_FLAGS, type LaunchedBrowser, launchChromium } from './internals/browser/launch.ts';
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
export type { CrawlStats } from './internals/crawler.ts';
export { BrowserNotFoundError, CrawlStateError, FetchError } from './internals/errors.ts';
export { parseRobotsTxt, type RobotsRules, robotsAgentToken } from './internals/robots.ts';
export { isPrivateAddress, Scope } from './internals/scope.ts';
export { normalizeUrl, TRACKING_PARAMS } from './internals/url.ts';
