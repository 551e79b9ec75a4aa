import { GrowsetError } from '@growset/core';

/** The places {@link findChromium} looks, in words, for messages. */
const SEARCHED =
  "GROWSET_CHROMIUM, Playwright's browser, PATH, /usr/lib/chromium/chromium-headless-shell, /usr/bin/chromium";

/**
 * No Chromium could be found or launched (`ERR_NO_BROWSER`, not retryable). The one error for a
 * missing browser: the scrape engine, the report's screenshots and the browse tests all get it
 * from {@link launchChromium}.
 */
export class BrowserNotFoundError extends GrowsetError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'ERR_NO_BROWSER', retryable: false, cause: options.cause });
  }

  /** No Chromium on this machine; `hint` says what the caller can do instead (`use engine "http"`). */
  static none(hint?: string): BrowserNotFoundError {
    return new BrowserNotFoundError(
      `No Chromium found (tried ${SEARCHED}): install Debian's \`chromium\` or set GROWSET_CHROMIUM to its executable` +
        (hint ? `, or ${hint}` : ''),
    );
  }
}
