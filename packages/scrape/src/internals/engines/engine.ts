import type { Page } from 'playwright-core';

/** A loaded HTML page, as both engines hand it to extraction. */
export interface LoadedPage {
  /** URL asked for. */
  url: string;
  /** URL answered, after redirects. */
  finalUrl: string;
  status: number;
  /** The document (after JavaScript ran, for the browser engine). */
  html: string;
  /** Redirects followed. */
  redirects: number;
  /** The live page (browser engine), valid only inside `visit`'s callback. */
  page?: Page;
}

/** Loads pages. Both engines share one interface, so the crawler does not care which runs. */
export interface PageEngine {
  /** Its name in the engine registry. */
  readonly name: string;
  /** Human-readable description (`http`, `browser: Chromium 156 at /usr/lib/...`). */
  readonly description: string;
  /**
   * Loads `url` and calls `use` with it while the page is held (a browser tab stays reserved
   * until `use` settles). Failures reject with a `FetchError`.
   */
  visit<T>(url: string, use: (page: LoadedPage) => Promise<T>, signal: AbortSignal): Promise<T>;
  close(): Promise<void>;
}

/** Whether a Content-Type names an HTML (or XHTML) document. Missing counts as HTML. */
export function isHtmlType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.trim() === '') return true;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'text/html' || type === 'application/xhtml+xml';
}

/** Decodes a body with the charset of its Content-Type (UTF-8 when absent or unknown). */
export function decodeBody(body: Uint8Array, contentType: string | undefined): string {
  const charset = /charset=["']?([\w-]+)/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
