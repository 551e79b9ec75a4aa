import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { errorMessage } from '@growset/core';
import { FetchError } from './errors.ts';
import { isRetryableStatus, parseRetryAfter } from './retry.ts';
import type { Scope } from './scope.ts';

/** A complete response. */
export interface HttpResponse {
  /** URL asked for. */
  url: string;
  /** URL answered (after redirects). */
  finalUrl: string;
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  redirects: number;
}

export interface GetOptions {
  /** Largest body accepted, after decompression. */
  maxBytes: number;
  /** Checks each redirect target; returns a reason to refuse it (off scope, disallowed by robots.txt). */
  checkRedirect?: (url: string) => string | undefined;
  accept?: string;
  signal?: AbortSignal;
}

export interface HttpClientOptions {
  scope: Scope;
  userAgent: string;
  timeoutMs: number;
  maxRedirects: number;
  /** Sockets kept per origin. */
  maxSocketsPerHost: number;
}

const NETWORK_REASONS: { [code: string]: string } = {
  ECONNRESET: 'connection reset',
  ECONNREFUSED: 'connection refused',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EAI_AGAIN: 'dns failure',
  ENOTFOUND: 'dns failure',
  UND_ERR_SOCKET: 'connection reset',
};

/**
 * A small HTTP(S) client over node:http with keep-alive, for pages and assets: follows up to
 * `maxRedirects` redirects (each target checked), enforces a size limit while reading (also on
 * decompressed bytes), times out whole requests, detects truncated bodies, refuses to connect to
 * private addresses unless the scope allows them (checked on the resolved address, so a host
 * name cannot smuggle in a loopback address), and turns every failure into a {@link FetchError}.
 */
export class HttpClient {
  readonly #options: HttpClientOptions;
  readonly #httpAgent: http.Agent;
  readonly #httpsAgent: https.Agent;

  constructor(options: HttpClientOptions) {
    this.#options = options;
    const scope = options.scope;
    const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
      dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
        if (error) return callback(error, '', 4);
        const list = addresses as unknown as LookupAddress[];
        const refused = list.find((a) => !scope.allowsAddress(a.address));
        if (refused) {
          const denied = Object.assign(
            new Error(`${hostname} resolves to non-public address ${refused.address}`),
            { code: 'ERR_PRIVATE_ADDRESS' },
          );
          return callback(denied, '', 4);
        }
        if (lookupOptions.all)
          return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
        const first = list[0]!;
        callback(null, first.address, first.family);
      });
    };
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxSocketsPerHost,
      scheduling: 'lifo' as const,
      lookup,
    };
    this.#httpAgent = new http.Agent(agentOptions);
    this.#httpsAgent = new https.Agent(agentOptions);
  }

  /** GETs `url`, following redirects. Non-2xx answers reject with a FetchError (`http <status>`). */
  async get(url: string, options: GetOptions): Promise<HttpResponse> {
    let current = url;
    for (let redirects = 0; ; redirects++) {
      const response = await this.#once(current, options);
      if (response.location === undefined) {
        return {
          url,
          finalUrl: current,
          status: response.status,
          headers: response.headers,
          body: response.body,
          redirects,
        };
      }
      if (redirects >= this.#options.maxRedirects) {
        throw new FetchError(url, 'too many redirects', `more than ${this.#options.maxRedirects} redirects`, {
          retryable: false,
          status: response.status,
        });
      }
      let next: string;
      try {
        next = new URL(response.location, current).href;
      } catch (cause) {
        throw new FetchError(
          url,
          'bad redirect',
          `unparsable Location ${JSON.stringify(response.location)}`,
          {
            retryable: false,
            cause,
          },
        );
      }
      const verdict = this.#options.scope.check(next) ?? options.checkRedirect?.(next);
      if (verdict !== undefined) {
        throw new FetchError(url, 'redirect refused', `redirect to ${next}: ${verdict}`, {
          retryable: false,
          status: response.status,
        });
      }
      current = next;
    }
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }

  #once(
    url: string,
    options: GetOptions,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer; location?: string }> {
    const { timeoutMs, userAgent } = this.#options;
    return new Promise((resolve, reject) => {
      let settled = false;
      let request: http.ClientRequest;
      const fail = (error: FetchError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        request?.destroy();
        reject(error);
      };
      const succeed = (value: {
        status: number;
        headers: IncomingHttpHeaders;
        body: Buffer;
        location?: string;
      }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const timer = setTimeout(
        () =>
          fail(
            new FetchError(url, 'timeout', `no complete answer within ${timeoutMs} ms`, { retryable: true }),
          ),
        timeoutMs,
      );
      const onAbort = () =>
        fail(new FetchError(url, 'aborted', 'the crawl was stopped', { retryable: false }));
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });

      const parsed = new URL(url);
      const isHttps = parsed.protocol === 'https:';
      try {
        request = (isHttps ? https : http).request(parsed, {
          method: 'GET',
          agent: isHttps ? this.#httpsAgent : this.#httpAgent,
          headers: {
            'user-agent': userAgent,
            accept: options.accept ?? '*/*',
            'accept-encoding': 'gzip, deflate, br',
          },
        });
      } catch (error) {
        return fail(
          new FetchError(url, 'bad request', errorMessage(error), { retryable: false, cause: error }),
        );
      }
      request.on('error', (error: NodeJS.ErrnoException) => fail(networkError(url, error)));
      request.on('response', (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (status >= 300 && status < 400 && location !== undefined) {
          res.resume();
          return succeed({ status, headers: res.headers, body: Buffer.alloc(0), location });
        }
        if (status < 200 || status >= 300) {
          res.resume();
          const retryAfterMs = parseRetryAfter(header(res.headers['retry-after']));
          return fail(
            new FetchError(
              url,
              `http ${status}`,
              `the server answered ${status} ${res.statusMessage ?? ''}`.trim(),
              {
                retryable: isRetryableStatus(status),
                status,
                ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
              },
            ),
          );
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > options.maxBytes) {
          res.destroy();
          return fail(tooLarge(url, options.maxBytes, `Content-Length ${declared}`, status));
        }
        let stream: Readable = res;
        const encoding = header(res.headers['content-encoding'])?.toLowerCase();
        if (encoding === 'gzip' || encoding === 'x-gzip') stream = res.pipe(zlib.createGunzip());
        else if (encoding === 'deflate') stream = res.pipe(zlib.createInflate());
        else if (encoding === 'br') stream = res.pipe(zlib.createBrotliDecompress());
        const chunks: Buffer[] = [];
        let size = 0;
        let raw = 0;
        res.on('data', (chunk: Buffer) => {
          raw += chunk.length;
        });
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            res.destroy();
            fail(tooLarge(url, options.maxBytes, `more than ${options.maxBytes} bytes`, status));
            return;
          }
          chunks.push(chunk);
        });
        const truncated = (detail: string, cause?: unknown) =>
          fail(new FetchError(url, 'truncated body', detail, { retryable: true, status, cause }));
        res.on('aborted', () => truncated(`the connection closed after ${raw} bytes`));
        res.on('error', (error) =>
          truncated(`the body ended early after ${raw} bytes: ${errorMessage(error)}`, error),
        );
        if (stream !== res) {
          stream.on('error', (error) =>
            fail(
              new FetchError(url, 'bad encoding', `cannot decode ${encoding} body: ${errorMessage(error)}`, {
                retryable: true,
                status,
                cause: error,
              }),
            ),
          );
        }
        stream.on('end', () => {
          if (!res.complete || (Number.isFinite(declared) && encoding === undefined && raw < declared)) {
            return truncated(`got ${raw} of ${Number.isFinite(declared) ? declared : '?'} bytes`);
          }
          succeed({
            status,
            headers: res.headers,
            body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
          });
        });
      });
      request.end();
    });
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function tooLarge(url: string, max: number, detail: string, status: number): FetchError {
  return new FetchError(url, 'too large', `${detail} exceeds the limit of ${max} bytes`, {
    retryable: false,
    status,
  });
}

function networkError(url: string, error: NodeJS.ErrnoException): FetchError {
  if (error.code === 'ERR_PRIVATE_ADDRESS') {
    return new FetchError(url, 'private address', error.message, { retryable: false, cause: error });
  }
  const reason =
    (error.code && NETWORK_REASONS[error.code]) ??
    (/socket hang up/i.test(error.message) ? 'connection reset' : 'network error');
  const retryable = reason !== 'dns failure' || error.code === 'EAI_AGAIN';
  return new FetchError(url, reason, error.message, { retryable, cause: error });
}
