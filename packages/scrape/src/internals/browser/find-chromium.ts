import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

/** A Chromium found on this machine, and how. */
export interface FoundChromium {
  path: string;
  source: 'option' | 'GROWSET_CHROMIUM' | 'playwright' | 'PATH' | 'debian';
}

/** Names looked up on PATH, lightest first. */
const PATH_NAMES = [
  'chromium-headless-shell',
  'chromium',
  'chromium-browser',
  'google-chrome-stable',
  'google-chrome',
];
/** Debian and Ubuntu package locations, lightest first. */
const DEBIAN_PATHS = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium'];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds a Chromium for the browser engine, in this order: the `executablePath` given; the
 * `GROWSET_CHROMIUM` environment variable (an explicit choice wins over discovery); Playwright's
 * own browser when `npx playwright install` has put one in place; `PATH`
 * (`chromium-headless-shell`, `chromium`, `chromium-browser`, `google-chrome`); Debian's
 * `/usr/lib/chromium/chromium-headless-shell` and `/usr/bin/chromium`. `undefined` when none is
 * there. An explicit path that does not exist is not silently replaced: it is returned as is so
 * the launch error names it.
 */
export function findChromium(
  options: { executablePath?: string; env?: NodeJS.ProcessEnv } = {},
): FoundChromium | undefined {
  if (options.executablePath) return { path: options.executablePath, source: 'option' };
  const env = options.env ?? process.env;
  const fromEnv = env.GROWSET_CHROMIUM?.trim();
  if (fromEnv) return { path: fromEnv, source: 'GROWSET_CHROMIUM' };
  let own: string | undefined;
  try {
    // Loaded here, not at import: an http-only crawl never pays for playwright-core.
    const { chromium } = createRequire(import.meta.url)(
      'playwright-core',
    ) as typeof import('playwright-core');
    own = chromium.executablePath();
  } catch {
    own = undefined;
  }
  if (own && isExecutable(own)) return { path: own, source: 'playwright' };
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const name of PATH_NAMES) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return { path: candidate, source: 'PATH' };
    }
  }
  for (const candidate of DEBIAN_PATHS)
    if (isExecutable(candidate)) return { path: candidate, source: 'debian' };
  return undefined;
}

/**
 * The engine a caller should use: `browser` when a Chromium is found, else `http`, with the
 * reason in words (for logs: "browser: /usr/lib/chromium/chromium-headless-shell (debian)").
 */
export function preferredEngine(options: { executablePath?: string; env?: NodeJS.ProcessEnv } = {}): {
  engine: 'http' | 'browser';
  chromium?: FoundChromium;
  reason: string;
} {
  const found = findChromium(options);
  if (
    found &&
    (found.source === 'option' || found.source === 'GROWSET_CHROMIUM' ? isExecutable(found.path) : true)
  ) {
    return { engine: 'browser', chromium: found, reason: `browser: ${found.path} (${found.source})` };
  }
  return {
    engine: 'http',
    reason: found
      ? `http: ${found.path} (${found.source}) is not an executable file`
      : 'http: no Chromium found (set GROWSET_CHROMIUM or install chromium)',
  };
}
