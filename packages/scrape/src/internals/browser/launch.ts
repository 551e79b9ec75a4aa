import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_FLAGS, errorMessage } from '@growset/core';
import type { BrowserContext } from 'playwright-core';
import { BrowserNotFoundError } from '../errors.ts';
import { type FoundChromium, findChromium } from './find-chromium.ts';

export { CHROMIUM_FLAGS } from '@growset/core';

export interface LaunchOptions {
  executablePath?: string;
  userAgent: string;
  /** Stop the browser from loading images. */
  blockImages: boolean;
  args?: readonly string[];
  timeoutMs?: number;
}

/** A running Chromium with its own fresh profile, removed on close. */
export interface LaunchedBrowser {
  context: BrowserContext;
  chromium: FoundChromium;
  version: string;
  close(): Promise<void>;
}

/**
 * Launches a Chromium (see {@link findChromium}) headless with {@link CHROMIUM_FLAGS} and a fresh
 * user data directory, and returns its one browser context.
 */
export async function launchChromium(options: LaunchOptions): Promise<LaunchedBrowser> {
  const found = findChromium(
    options.executablePath === undefined ? {} : { executablePath: options.executablePath },
  );
  if (!found) {
    throw new BrowserNotFoundError(
      "The browser engine needs Chromium: none found (tried GROWSET_CHROMIUM, Playwright's browser, PATH, " +
        "/usr/lib/chromium/chromium-headless-shell, /usr/bin/chromium). Install Debian's `chromium` or set " +
        'GROWSET_CHROMIUM, or use engine "http".',
    );
  }
  const { chromium } = await import('playwright-core');
  const userDataDir = await mkdtemp(join(tmpdir(), 'growset-chromium-'));
  const args = [
    ...CHROMIUM_FLAGS,
    ...(options.blockImages ? ['--blink-settings=imagesEnabled=false'] : []),
    ...(options.args ?? []),
  ];
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: found.path,
      headless: true,
      args,
      userAgent: options.userAgent,
      serviceWorkers: 'block',
      timeout: options.timeoutMs ?? 30_000,
      handleSIGINT: false,
      handleSIGTERM: false,
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw new BrowserNotFoundError(
      `Cannot launch Chromium at ${found.path} (${found.source}): ${errorMessage(error)}`,
      {
        cause: error,
      },
    );
  }
  const version = context.browser()?.version() ?? 'unknown';
  return {
    context,
    chromium: found,
    version,
    async close() {
      await context.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true }).catch(() => {});
    },
  };
}
