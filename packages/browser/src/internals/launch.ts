import { errorMessage } from '@growset/core';
import type { Browser } from 'playwright-core';
import { BrowserNotFoundError } from './errors.ts';
import { CHROMIUM_FLAGS, type FoundChromium, findChromium } from './find-chromium.ts';

export interface LaunchChromiumOptions {
  /** The Chromium to launch. @default found by {@link findChromium} */
  executablePath?: string;
  /** Where {@link findChromium} looks. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Flags added after {@link CHROMIUM_FLAGS}. @default [] */
  args?: readonly string[];
  /** Launch timeout. @default 30000 */
  timeoutMs?: number;
  /** Said after "install chromium" in the no-browser error (`use engine "http"`). */
  hint?: string;
}

/** A running headless Chromium and which one it is. */
export interface LaunchedChromium {
  browser: Browser;
  chromium: FoundChromium;
  /** Chromium's version (`156.0.7512.0`). */
  version: string;
  close(): Promise<void>;
}

/**
 * Launches a headless Chromium through playwright-core with {@link CHROMIUM_FLAGS}: the one
 * launcher of growset. Playwright gives it a fresh temporary profile, removed on close; signals
 * are left to the caller. Rejects with {@link BrowserNotFoundError} when no Chromium is found or
 * the one found does not start.
 */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<LaunchedChromium> {
  const found = findChromium({
    ...(options.executablePath === undefined ? {} : { executablePath: options.executablePath }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  if (!found) throw BrowserNotFoundError.none(options.hint);
  const { chromium } = await import('playwright-core');
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: found.path,
      headless: true,
      args: [...CHROMIUM_FLAGS, ...(options.args ?? [])],
      timeout: options.timeoutMs ?? 30_000,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (error) {
    throw new BrowserNotFoundError(
      `Cannot launch Chromium at ${found.path} (${found.source}): ${errorMessage(error)}`,
      { cause: error },
    );
  }
  return {
    browser,
    chromium: found,
    version: browser.version(),
    async close() {
      await browser.close().catch(() => {});
    },
  };
}
