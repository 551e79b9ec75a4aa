import { FetchError } from '../errors.ts';
import type { HttpClient } from '../http-client.ts';
import { decodeBody, isHtmlType, type LoadedPage, type PageEngine } from './engine.ts';
import type { EngineDefinition } from './registry.ts';

export interface HttpEngineOptions {
  client: HttpClient;
  maxPageBytes: number;
  /** Refuses redirect targets (robots.txt); scope is checked by the client. */
  checkRedirect?: (url: string) => string | undefined;
}

/** The `http` engine: plain GET requests; pages that need JavaScript show what the server sent. */
export function httpEngine(options: HttpEngineOptions): PageEngine {
  return {
    name: 'http',
    description: 'http (node:http + cheerio)',
    async visit(url, use, signal) {
      const response = await options.client.get(url, {
        maxBytes: options.maxPageBytes,
        accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
        signal,
        ...(options.checkRedirect ? { checkRedirect: options.checkRedirect } : {}),
      });
      const type = response.headers['content-type'];
      if (!isHtmlType(type)) {
        throw new FetchError(url, 'not html', `Content-Type ${JSON.stringify(type)} is not an HTML page`, {
          retryable: false,
          status: response.status,
        });
      }
      const page: LoadedPage = {
        url,
        finalUrl: response.finalUrl,
        status: response.status,
        html: decodeBody(response.body, type),
        redirects: response.redirects,
      };
      return use(page);
    },
    async close() {},
  };
}

/** `http`: node:http + cheerio, runs anywhere; pages show what the server sent. */
export const httpEngineDefinition: EngineDefinition = {
  name: 'http',
  summary: 'node:http + cheerio: fast, no JavaScript',
  autoRank: 0,
  unavailable: () => undefined,
  create: ({ config, client, checkRedirect }) =>
    httpEngine({ client, maxPageBytes: config.maxPageBytes, checkRedirect }),
  optOuts: {
    scripts: 'the http engine does not run JavaScript: the page is what the server sent',
    livePage: 'the http engine has no live page, only the HTML',
  },
};
