import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '@growset/browser';
import { parseOptions } from '@growset/core';
import { z } from 'zod';

export interface ScreenshotOptions {
  /** Chromium to use. @default found by @growset/browser's `findChromium` */
  executablePath?: string;
  /** Viewport width in CSS pixels; the height grows to the whole page. @default 1200 */
  width?: number;
  /** Device pixel ratio (2 for a sharp README image). @default 1 */
  scale?: number;
  /** Navigation timeout. @default 30000 */
  timeoutMs?: number;
}

const screenshotSchema = z.strictObject({
  executablePath: z.string().min(1).optional(),
  width: z.number().int().min(320).max(4096).default(1200),
  scale: z.number().min(0.5).max(4).default(1),
  timeoutMs: z.number().int().positive().default(30_000),
});

/** What a screenshot saw while loading the page. */
export interface ScreenshotResult {
  path: string;
  bytes: number;
  /** Requests to anything but `file:` and `data:` URLs; blocked, and empty for a self-contained page. */
  blockedRequests: string[];
  /** Console errors and uncaught page errors. */
  consoleErrors: string[];
}

/**
 * Opens an HTML file (a report) in headless Chromium, offline (every network request is blocked
 * and listed), and saves a full-page PNG.
 */
export async function screenshotReport(
  htmlPath: string,
  pngPath: string,
  options: ScreenshotOptions = {},
): Promise<ScreenshotResult> {
  const opts = parseOptions(screenshotSchema, options, 'ScreenshotOptions');
  const { browser, close } = await launchChromium(
    opts.executablePath === undefined ? {} : { executablePath: opts.executablePath },
  );
  try {
    const context = await browser.newContext({
      viewport: { width: opts.width, height: 800 },
      deviceScaleFactor: opts.scale,
      offline: true,
    });
    const page = await context.newPage();
    const blockedRequests: string[] = [];
    const consoleErrors: string[] = [];
    await page.route(
      (url) => url.protocol !== 'file:' && url.protocol !== 'data:',
      (route) => {
        blockedRequests.push(route.request().url());
        return route.abort('blockedbyclient');
      },
    );
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(pathToFileURL(resolve(htmlPath)).href, { waitUntil: 'load', timeout: opts.timeoutMs });
    await mkdir(dirname(resolve(pngPath)), { recursive: true });
    await page.screenshot({ path: pngPath, fullPage: true, type: 'png' });
    const { size } = await stat(pngPath);
    return { path: pngPath, bytes: size, blockedRequests, consoleErrors };
  } finally {
    await close();
  }
}
