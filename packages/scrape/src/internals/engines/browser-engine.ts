import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { BrowserNotFoundError, findChromium, launchChromium } from '@growset/browser';
import { errorMessage } from '@growset/core';
import type { BrowserContext, CDPSession, Page, Request, Response, Route } from 'playwright-core';
import type { ResolvedCrawlConfig } from '../config.ts';
import { FetchError } from '../errors.ts';
import { isRetryableStatus, parseRetryAfter } from '../retry.ts';
import type { Scope } from '../scope.ts';
import { isHtmlType, type LoadedPage, type PageEngine } from './engine.ts';
import type { EngineDefinition } from './registry.ts';

export interface BrowserEngineOptions {
  config: ResolvedCrawlConfig;
  scope: Scope;
  /** Refuses navigation targets (robots.txt). */
  checkRedirect?: (url: string) => string | undefined;
}

/** The engine's Chromium: one browser context, every request passing the scope guard. */
interface LaunchedBrowser {
  context: BrowserContext;
  version: string;
  close(): Promise<void>;
}

/** Navigations a tab serves before it is closed and replaced by a fresh one. */
const RECYCLE_AFTER = 100;

/**
 * The rendered document as `page.content()` returns it (doctype and `outerHTML`), evaluated over
 * the tab's own DevTools session. `page.content()` first compiles Playwright's injected script
 * into each new document, which costs Chromium about as much CPU as the navigation itself.
 */
const SERIALIZE_DOCUMENT = `(() => {
  const doctype = document.doctype ? new XMLSerializer().serializeToString(document.doctype) : '';
  const root = document.documentElement;
  return root ? doctype + root.outerHTML : doctype;
})()`;

/** Chromium network errors worth retrying (the server or the connection failed, not the URL). */
const RETRYABLE_NET =
  /ERR_(CONNECTION_RESET|CONNECTION_CLOSED|CONNECTION_REFUSED|EMPTY_RESPONSE|CONTENT_LENGTH_MISMATCH|INCOMPLETE_CHUNKED_ENCODING|TIMED_OUT|CONNECTION_ABORTED|NETWORK_CHANGED|HTTP2_PROTOCOL_ERROR|SOCKET_NOT_CONNECTED)/;

/**
 * The `browser` engine: Chromium through playwright-core, one browser with a pool of reused
 * tabs. Every request the browser makes goes through a route that enforces the crawl's scope
 * (hosts, schemes, private addresses resolved in Node), images are not downloaded by the browser
 * (assets are fetched and verified by the HTTP client), and each navigation is checked for
 * status, Retry-After, redirect count, size and a body cut short.
 */
export function browserEngine(
  options: BrowserEngineOptions,
): PageEngine & { launch(): Promise<LaunchedBrowser> } {
  const { config, scope } = options;
  const size = Math.min(config.browser.pages, config.concurrency);
  let launched: Promise<LaunchedBrowser> | undefined;
  const idle: Page[] = [];
  const waiters: ((page: Page) => void)[] = [];
  let opened = 0;
  const visits = new WeakMap<Page, number>();
  const sessions = new WeakMap<Page, Promise<CDPSession>>();
  const hostChecks = new Map<string, Promise<boolean>>();

  const hostAllowed = (hostname: string): Promise<boolean> => {
    if (scope.allowPrivateNetwork || isIP(hostname.replace(/^\[|\]$/g, '')) !== 0)
      return Promise.resolve(true);
    let check = hostChecks.get(hostname);
    if (!check) {
      check = lookup(hostname, { all: true }).then(
        (addresses) => addresses.every((a) => scope.allowsAddress(a.address)),
        () => false,
      );
      hostChecks.set(hostname, check);
    }
    return check;
  };

  /** Redirects the guard caught on navigations, by the URL asked for: where to, or why not. */
  const navigationRedirects = new Map<string, { next: string } | { refused: string }>();

  /** Whether a redirect target may be requested: scope, robots.txt, resolved address. */
  const redirectVerdict = async (next: string): Promise<string | undefined> =>
    scope.check(next) ??
    options.checkRedirect?.(next) ??
    ((await hostAllowed(new URL(next).hostname)) ? undefined : 'private address');

  /**
   * Every request of the browser passes here. Chromium follows redirects without showing the
   * next hop to routes, so the guard fetches each request itself without following redirects.
   * A redirected navigation is stopped and noted, and `visit` navigates to the checked target
   * itself (so every hop passes the guard and the page ends on the right URL); a redirected
   * subresource is followed here hop by hop, each target checked, and the browser gets the end.
   */
  const guardRoute = async (route: Route) => {
    const request = route.request();
    let url = request.url();
    if (scope.check(url) !== undefined || !(await hostAllowed(new URL(url).hostname))) {
      return route.abort('blockedbyclient');
    }
    for (let hops = 0; ; hops++) {
      let response: Awaited<ReturnType<Route['fetch']>>;
      try {
        response = await route.fetch({ url, maxRedirects: 0, timeout: config.timeoutMs });
      } catch {
        return route.abort('connectionreset');
      }
      const location = response.headers().location;
      if (response.status() < 300 || response.status() >= 400 || location === undefined) {
        // The driver keeps a fetched body until it is disposed: release it once handed over.
        await route.fulfill({ response }).finally(() => response.dispose());
        return;
      }
      await response.dispose();
      const next = new URL(location, url).href;
      const refused = hops >= config.maxRedirects ? 'too many redirects' : await redirectVerdict(next);
      if (request.isNavigationRequest()) {
        navigationRedirects.set(request.url(), refused === undefined ? { next } : { refused });
        return route.abort('aborted');
      }
      if (refused !== undefined) return route.abort('blockedbyclient');
      url = next;
    }
  };

  // A tab closed mid-request (abort, recycling) makes fulfill/abort throw: nothing left to guard.
  const guard = (route: Route) => guardRoute(route).catch(() => {});

  const launch = (): Promise<LaunchedBrowser> => {
    launched ??= launchChromium({
      ...(config.browser.executablePath ? { executablePath: config.browser.executablePath } : {}),
      args: [
        ...(config.browser.blockImages ? ['--blink-settings=imagesEnabled=false'] : []),
        ...config.browser.args,
      ],
      timeoutMs: config.timeoutMs,
      hint: 'use engine "http"',
    }).then(async (chromium) => {
      try {
        const context = await chromium.browser.newContext({
          userAgent: config.userAgent,
          serviceWorkers: 'block',
        });
        await context.route('**/*', guard);
        return { context, version: chromium.version, close: () => chromium.close() };
      } catch (error) {
        await chromium.close();
        throw error;
      }
    });
    return launched;
  };

  const acquire = async (): Promise<Page> => {
    const browser = await launch();
    const free = idle.pop();
    if (free && !free.isClosed()) return free;
    if (opened < size) {
      opened += 1;
      try {
        return await browser.context.newPage();
      } catch (error) {
        opened -= 1;
        throw error;
      }
    }
    return new Promise<Page>((resolve) => waiters.push(resolve));
  };

  const release = (page: Page, broken: boolean) => {
    // A tab's renderer grows with every document it shows: retire it after a while.
    const uses = (visits.get(page) ?? 0) + 1;
    visits.set(page, uses);
    if (broken || page.isClosed() || uses >= RECYCLE_AFTER) {
      opened -= 1;
      page.close().catch(() => {});
      const waiter = waiters.shift();
      if (waiter) acquire().then(waiter, () => {});
      return;
    }
    const waiter = waiters.shift();
    if (waiter) waiter(page);
    else idle.push(page);
  };

  const engine = {
    name: 'browser' as const,
    get description() {
      return 'browser (Chromium via playwright-core)';
    },
    launch,
    async visit<T>(url: string, use: (page: LoadedPage) => Promise<T>, signal: AbortSignal): Promise<T> {
      const page = await acquire();
      let broken = false;
      const onAbort = () => {
        broken = true;
        page.close().catch(() => {});
      };
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        let target = url;
        let redirects = 0;
        let response: Response;
        for (;;) {
          try {
            response = await navigate(page, target);
            break;
          } catch (error) {
            const redirect = navigationRedirects.get(target);
            if (!redirect) throw error;
            navigationRedirects.delete(target);
            if ('refused' in redirect) {
              throw redirect.refused === 'too many redirects'
                ? new FetchError(url, 'too many redirects', `more than ${config.maxRedirects} redirects`, {
                    retryable: false,
                  })
                : new FetchError(url, 'redirect refused', `redirect from ${target}: ${redirect.refused}`, {
                    retryable: false,
                  });
            }
            redirects += 1;
            if (redirects > config.maxRedirects) {
              throw new FetchError(url, 'too many redirects', `more than ${config.maxRedirects} redirects`, {
                retryable: false,
              });
            }
            target = redirect.next;
          }
        }
        const loaded = await inspect(page, url, response, redirects);
        return await use(loaded);
      } catch (error) {
        // A navigation that failed on the network may still be loading: retire the tab.
        broken = !(error instanceof FetchError && error.status !== undefined);
        if (error instanceof FetchError) throw error;
        throw classify(url, error, signal);
      } finally {
        signal.removeEventListener('abort', onAbort);
        release(page, broken);
      }
    },
    async close() {
      const browser = launched;
      launched = undefined;
      if (browser) await (await browser.catch(() => undefined))?.close();
    },
  };

  /**
   * Navigates, failing fast when the document itself fails after the navigation committed (a
   * body cut short never fires `load`, so `goto` alone would wait for its timeout).
   */
  async function navigate(page: Page, url: string): Promise<Response> {
    let onFailed: ((request: Request) => void) | undefined;
    const failed = new Promise<never>((_, reject) => {
      onFailed = (request: Request) => {
        if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
        const text = request.failure()?.errorText ?? 'unknown failure';
        reject(
          classify(
            url,
            new Error(`net::${text.replace(/^net::/, '')} at ${request.url()}`),
            new AbortController().signal,
          ),
        );
      };
      page.on('requestfailed', onFailed);
    });
    const going = page.goto(url, { waitUntil: config.browser.waitUntil, timeout: config.timeoutMs });
    going.catch(() => {});
    try {
      const response = await Promise.race([going, failed]);
      if (!response)
        throw new FetchError(url, 'no response', 'the navigation produced no response', { retryable: true });
      return response;
    } finally {
      page.off('requestfailed', onFailed!);
    }
  }

  /**
   * The document's HTML from one `Runtime.evaluate` in the page; `page.content()` when that
   * fails (the page's scripts replaced the serializers, the session is gone).
   */
  async function documentHtml(page: Page): Promise<string> {
    let session = sessions.get(page);
    if (!session) {
      session = page.context().newCDPSession(page);
      sessions.set(page, session);
    }
    try {
      const { result, exceptionDetails } = await (await session).send('Runtime.evaluate', {
        expression: SERIALIZE_DOCUMENT,
        returnByValue: true,
      });
      if (exceptionDetails === undefined && typeof result.value === 'string') return result.value;
    } catch {
      sessions.delete(page);
    }
    return page.content();
  }

  async function inspect(
    page: Page,
    url: string,
    response: Response,
    redirects: number,
  ): Promise<LoadedPage> {
    const status = response.status();
    const headers = response.headers();
    if (status < 200 || status >= 300) {
      const retryAfterMs = parseRetryAfter(headers['retry-after']);
      throw new FetchError(
        url,
        `http ${status}`,
        `the server answered ${status} ${response.statusText()}`.trim(),
        {
          retryable: isRetryableStatus(status),
          status,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        },
      );
    }
    const failure = response.request().failure();
    if (failure) {
      throw new FetchError(url, 'truncated body', `the document failed to load: ${failure.errorText}`, {
        retryable: true,
        status,
      });
    }
    const finalUrl = page.url();
    const refused =
      scope.check(finalUrl) ?? (finalUrl === url ? undefined : options.checkRedirect?.(finalUrl));
    if (refused !== undefined) {
      throw new FetchError(url, 'redirect refused', `redirect to ${finalUrl}: ${refused}`, {
        retryable: false,
        status,
      });
    }
    if (!isHtmlType(headers['content-type'])) {
      throw new FetchError(
        url,
        'not html',
        `Content-Type ${JSON.stringify(headers['content-type'])} is not an HTML page`,
        {
          retryable: false,
          status,
        },
      );
    }
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > config.maxPageBytes) {
      throw new FetchError(
        url,
        'too large',
        `Content-Length ${declared} exceeds ${config.maxPageBytes} bytes`,
        {
          retryable: false,
          status,
        },
      );
    }
    if (config.browser.waitFor) {
      await page
        .waitForSelector(config.browser.waitFor, {
          state: 'attached',
          timeout: config.browser.waitForTimeoutMs,
        })
        .catch(() => {});
    }
    const html = await documentHtml(page);
    if (Buffer.byteLength(html) > config.maxPageBytes) {
      throw new FetchError(url, 'too large', `the rendered document exceeds ${config.maxPageBytes} bytes`, {
        retryable: false,
        status,
      });
    }
    return { url, finalUrl, status, html, redirects, page };
  }

  return engine;
}

function classify(url: string, error: unknown, signal: AbortSignal): FetchError {
  const message = errorMessage(error);
  if (signal.aborted)
    return new FetchError(url, 'aborted', 'the crawl was stopped', { retryable: false, cause: error });
  if (/ERR_BLOCKED_BY_CLIENT/.test(message)) {
    return new FetchError(
      url,
      'refused',
      'the request left the crawl scope (host, scheme or private address)',
      {
        retryable: false,
        cause: error,
      },
    );
  }
  if (/Timeout \d+ms exceeded/i.test(message)) {
    return new FetchError(url, 'timeout', firstLine(message), { retryable: true, cause: error });
  }
  const net = /net::(ERR_[A-Z_0-9]+)/.exec(message)?.[1];
  if (net === 'ERR_TOO_MANY_REDIRECTS') {
    return new FetchError(url, 'too many redirects', firstLine(message), { retryable: false, cause: error });
  }
  if (net) {
    const reset = /RESET|CLOSED|EMPTY_RESPONSE|ABORTED/.test(net);
    const truncated = /CONTENT_LENGTH_MISMATCH|INCOMPLETE_CHUNKED/.test(net);
    const reason = truncated ? 'truncated body' : reset ? 'connection reset' : `network error ${net}`;
    return new FetchError(url, reason, firstLine(message), {
      retryable: RETRYABLE_NET.test(net),
      cause: error,
    });
  }
  if (/Target (page, context or browser )?(has been )?closed|crashed/i.test(message)) {
    return new FetchError(url, 'browser crashed', firstLine(message), { retryable: true, cause: error });
  }
  return new FetchError(url, 'browser error', firstLine(message), { retryable: true, cause: error });
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/** `browser`: Chromium through playwright-core (@growset/browser), for pages that need JavaScript. */
export const browserEngineDefinition: EngineDefinition = {
  name: 'browser',
  summary: 'Chromium via playwright-core: runs the page scripts',
  autoRank: 1,
  // An `executablePath` that does not start fails at launch, with its path in the message.
  unavailable: (config) =>
    findChromium(config.browser.executablePath ? { executablePath: config.browser.executablePath } : {})
      ? undefined
      : BrowserNotFoundError.none('use engine "http" or "auto"'),
  create: ({ config, scope, checkRedirect }) => browserEngine({ config, scope, checkRedirect }),
};
