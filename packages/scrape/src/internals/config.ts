import { OptionsError, parseOptions } from '@growset/core';
import type { CheerioAPI } from 'cheerio/slim';
import type { Page } from 'playwright-core';
import { z } from 'zod';
import { engines } from './engines/index.ts';

/** How one field of an item is read from its page. */
export interface FieldSpec {
  /** CSS selector, relative to the item's container (the whole page by default). */
  selector: string;
  /** Attribute to read (`src`, `href`, `data-id`); without it the element's text is read. */
  attr?: string;
  /** Regular expression applied to the value: its first capture group (or the whole match) is kept. */
  regex?: string;
  /**
   * Post-processing: a name (`trim`, `lowercase`, `uppercase`, `number`, `integer`, `url`) or a
   * function. Text is always trimmed first. @default none
   */
  transform?: FieldTransformName | ((value: string) => unknown);
  /** `image`: the value is a URL whose bytes are fetched, checked and decoded, and become the payload. */
  asset?: 'image';
  /** A missing optional field is left out instead of quarantining the item. @default false */
  optional?: boolean;
  /** Collect every match as an array instead of the first. @default false */
  all?: boolean;
}

export type FieldTransformName = 'trim' | 'lowercase' | 'uppercase' | 'number' | 'integer' | 'url';

/** What an extraction function sees of a loaded page. */
export interface ExtractContext {
  /** The page's final URL (after redirects), normalized. */
  url: string;
  /** The page's HTML as parsed by cheerio (after JavaScript ran, with the browser engine). */
  $: CheerioAPI;
  /** The live Playwright page (browser engine only), valid until the function returns. */
  page?: Page;
  /** The engine that loaded the page (`http`, `browser`, or another registered one). */
  engine: string;
}

/** An item as extracted, before validation. Keys are field names. */
export type ExtractedItem = { [field: string]: unknown };

/** Which items a crawl collects and how it reads them. */
export interface ItemSpec {
  /** Pages whose URL matches this regular expression hold items. @default every page */
  urlPattern?: string;
  /** Pages holding this CSS selector hold items. @default every page matching `urlPattern` */
  selector?: string;
  /** One item per element matching this selector (fields relative to it). @default one item per page */
  container?: string;
  /** Declarative fields. */
  fields?: { [name: string]: FieldSpec };
  /**
   * Extraction function instead of (or after) `fields`: returns one item, an array, or nothing.
   * Asset fields still come from `fields[name].asset` or `imageField`.
   */
  extract?: (context: ExtractContext, fields: ExtractedItem[]) => unknown;
  /**
   * Field whose value identifies an item (two URLs with the same key are one item), or a
   * function of the item and its page URL. @default the page's canonical URL (plus the
   * container index when `container` is set)
   */
  key?: string | ((item: ExtractedItem, url: string) => string);
  /** Field holding the class label. @default 'label' */
  labelField?: string;
  /** Field holding the image URL. @default the field declared with `asset: 'image'`, else 'image' */
  imageField?: string;
  /** Allowed labels; any other label quarantines the item. @default any non-empty label */
  labels?: string[];
  /** Zod schema every extracted item must satisfy (programmatic use). Failing items are quarantined. */
  schema?: z.ZodType;
}

/** Options of the browser engine. */
export interface BrowserOptions {
  /** Chromium to launch. @default found by {@link findChromium} */
  executablePath?: string;
  /** Pages (tabs) loading at once; capped by `concurrency`. @default 4 */
  pages?: number;
  /** When a navigation counts as loaded. @default 'load' */
  waitUntil?: 'load' | 'domcontentloaded' | 'networkidle' | 'commit';
  /** CSS selector to wait for after load (rendered content); a page without it is still extracted. */
  waitFor?: string;
  /** How long to wait for `waitFor`. @default 2000 */
  waitForTimeoutMs?: number;
  /** Stop the browser from downloading images (assets are fetched by the HTTP client). @default true */
  blockImages?: boolean;
  /** Extra Chromium flags. @default [] */
  args?: string[];
}

/**
 * A crawl, as a plain object (the `growset scrape` config file is this object as JSON).
 *
 * @example
 * { start: ['http://127.0.0.1:8080/'], engine: 'http', allowHosts: ['127.0.0.1'],
 *   allowPrivateNetwork: true, follow: ['a.next', 'a.item'],
 *   item: { urlPattern: '/item/', fields: { label: { selector: '.label' },
 *     image: { selector: 'img.photo', attr: 'src', asset: 'image' } } },
 *   concurrency: 8, maxPages: 5000 }
 */
export interface CrawlConfig {
  /** Start URLs (http or https). */
  start: string[];
  /** A registered engine (`http`: fetch + cheerio, `browser`: Chromium via Playwright), or `auto` (browser when one is found). @default 'http' */
  engine?: string;
  /** Hosts the crawl may visit besides the start hosts (`example.com`, `*.example.com`, `host:port`). @default [] */
  allowHosts?: string[];
  /** Allow loopback, private, link-local and other non-public addresses. @default false */
  allowPrivateNetwork?: boolean;
  /** CSS selectors of links to follow. @default ['a[href]'] */
  follow?: string[];
  /** Regular expressions: a link is followed only if its URL matches one. @default follow all */
  include?: string[];
  /** Regular expressions: a link matching one is never followed. @default [] */
  exclude?: string[];
  /** Links followed from a start page at most this deep (start pages are depth 0). @default unlimited */
  maxDepth?: number;
  /** Pages (HTML documents) visited at most, over all runs of a resumed crawl. @default 10000 */
  maxPages?: number;
  /** Treat a page's `<link rel="canonical">` as its identity. @default true */
  canonical?: boolean;
  /** Query parameters removed when normalizing URLs, besides `utm_*` and the usual click ids. @default [] */
  trackingParams?: string[];
  /** What to collect. */
  item: ItemSpec;
  /** Requests in flight at once (pages and assets). @default 8 */
  concurrency?: number;
  /** Requests in flight at once per host. @default 8 */
  perHostConcurrency?: number;
  /** Politeness: minimum time between two request starts to one host. @default 0 */
  delayMs?: number;
  /** Fetch and obey robots.txt (Disallow, Allow and Crawl-delay). @default true */
  robotsTxt?: boolean;
  /** A robots.txt Crawl-delay above this is capped (and reported). @default 30000 */
  maxCrawlDelayMs?: number;
  /** User-Agent header; its first product token is matched against robots.txt groups. @default 'growset-scrape/0.1' */
  userAgent?: string;
  /** Time for one request or page load. @default 30000 */
  timeoutMs?: number;
  /** Retries of a request after a retryable failure (5xx, 429, timeout, reset, truncated body). @default 3 */
  retries?: number;
  /** First retry delay; doubles each retry, with +-50% jitter from the seeded generator. @default 500 */
  backoffMs?: number;
  /** Longest backoff. @default 30000 */
  maxBackoffMs?: number;
  /** A Retry-After longer than this is capped. @default 60000 */
  maxRetryAfterMs?: number;
  /** Largest HTML document accepted (bytes). @default 10485760 */
  maxPageBytes?: number;
  /** Largest asset accepted (bytes). @default 10485760 */
  maxAssetBytes?: number;
  /** Redirects followed per request. @default 5 */
  maxRedirects?: number;
  /** Browser engine options. */
  browser?: BrowserOptions;
  /** Seed of the retry jitter. @default 0 */
  seed?: number;
}

const regexSource = z.string().refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'a valid regular expression' },
);

const fn = <T>() => z.custom<T>((v) => typeof v === 'function', { message: 'a function' });

const fieldSchema = z.strictObject({
  selector: z.string().min(1),
  attr: z.string().min(1).optional(),
  regex: regexSource.optional(),
  transform: z
    .union([
      z.enum(['trim', 'lowercase', 'uppercase', 'number', 'integer', 'url']),
      fn<(value: string) => unknown>(),
    ])
    .optional(),
  asset: z.literal('image').optional(),
  optional: z.boolean().default(false),
  all: z.boolean().default(false),
});

const itemSchema = z.strictObject({
  urlPattern: regexSource.optional(),
  selector: z.string().min(1).optional(),
  container: z.string().min(1).optional(),
  fields: z.record(z.string().min(1), fieldSchema).default({}),
  extract: fn<NonNullable<ItemSpec['extract']>>().optional(),
  key: z.union([z.string().min(1), fn<(item: ExtractedItem, url: string) => string>()]).optional(),
  labelField: z.string().min(1).default('label'),
  imageField: z.string().min(1).optional(),
  labels: z.array(z.string()).min(1).optional(),
  schema: z.custom<z.ZodType>((v) => v instanceof z.ZodType, { message: 'a zod schema' }).optional(),
});

const browserSchema = z.strictObject({
  executablePath: z.string().min(1).optional(),
  pages: z.int().min(1).max(64).default(4),
  waitUntil: z.enum(['load', 'domcontentloaded', 'networkidle', 'commit']).default('load'),
  waitFor: z.string().min(1).optional(),
  waitForTimeoutMs: z.int().min(0).default(2000),
  blockImages: z.boolean().default(true),
  args: z.array(z.string()).default([]),
});

const ms = (fallback: number) => z.int().min(0).default(fallback);

export const crawlConfigSchema = z.strictObject({
  start: z.array(z.string().min(1)).min(1),
  engine: z
    .string()
    .default('http')
    .superRefine((name, ctx) => {
      if (name === 'auto' || engines.get(name)) return;
      ctx.addIssue({
        code: 'custom',
        message: `one of ${[...engines.names, 'auto'].map((n) => JSON.stringify(n)).join(', ')}`,
      });
    }),
  allowHosts: z.array(z.string().min(1)).default([]),
  allowPrivateNetwork: z.boolean().default(false),
  follow: z.array(z.string().min(1)).default(['a[href]']),
  include: z.array(regexSource).default([]),
  exclude: z.array(regexSource).default([]),
  maxDepth: z.int().min(0).optional(),
  maxPages: z.int().min(1).default(10_000),
  canonical: z.boolean().default(true),
  trackingParams: z.array(z.string().min(1)).default([]),
  item: itemSchema,
  concurrency: z.int().min(1).max(512).default(8),
  perHostConcurrency: z.int().min(1).max(512).default(8),
  delayMs: ms(0),
  robotsTxt: z.boolean().default(true),
  maxCrawlDelayMs: ms(30_000),
  userAgent: z.string().min(1).default('growset-scrape/0.1'),
  timeoutMs: z.int().min(1).default(30_000),
  retries: z.int().min(0).max(20).default(3),
  backoffMs: ms(500),
  maxBackoffMs: ms(30_000),
  maxRetryAfterMs: ms(60_000),
  maxPageBytes: z
    .int()
    .min(1)
    .default(10 * 1024 * 1024),
  maxAssetBytes: z
    .int()
    .min(1)
    .default(10 * 1024 * 1024),
  maxRedirects: z.int().min(0).max(50).default(5),
  browser: browserSchema.default(browserSchema.parse({})),
  seed: z.int().default(0),
});

/** A validated config with every default filled in. */
export type ResolvedCrawlConfig = z.output<typeof crawlConfigSchema>;
export type ResolvedFieldSpec = z.output<typeof fieldSchema>;
export type ResolvedItemSpec = z.output<typeof itemSchema>;

/**
 * Validates a crawl config (throws an `OptionsError` naming the field, what was expected and
 * what was given) and fills in defaults.
 */
export function parseCrawlConfig(config: unknown): ResolvedCrawlConfig {
  const parsed = parseOptions(crawlConfigSchema, config, 'CrawlConfig');
  const assets = Object.entries(parsed.item.fields).filter(([, f]) => f.asset === 'image');
  if (assets.length > 1) {
    throw optionsError(
      'item.fields',
      'at most one field with `asset: "image"`',
      assets.map(([n]) => n),
    );
  }
  if (Object.keys(parsed.item.fields).length === 0 && !parsed.item.extract) {
    throw optionsError('item.fields', 'at least one field (or an `extract` function)', parsed.item.fields);
  }
  return parsed;
}

function optionsError(field: string, expected: string, received: unknown): OptionsError {
  return new OptionsError({ optionsType: 'CrawlConfig', field, expected, received });
}

/** The field holding an item's image URL. */
export function imageFieldOf(item: ResolvedItemSpec): string {
  if (item.imageField) return item.imageField;
  const declared = Object.entries(item.fields).find(([, f]) => f.asset === 'image');
  return declared ? declared[0] : 'image';
}
