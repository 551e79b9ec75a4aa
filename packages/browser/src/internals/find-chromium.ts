import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Flags for a quiet, offline, headless Chromium: no sandbox (containers, root), no GPU, and none
 * of the background traffic (updates, sync, QUIC probes) a fresh profile would otherwise start.
 * {@link launchChromium} always passes them.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A Chromium found on this machine, and how. */
export interface FoundChromium {
  path: string;
  source: 'option' | 'GROWSET_CHROMIUM' | 'playwright' | 'PATH' | 'system';
}

export interface FindChromiumOptions {
  /** An explicit executable, tried first. */
  executablePath?: string;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * What to do with an explicit path (`executablePath`, `GROWSET_CHROMIUM`) that is not an
   * executable file: `'return'` it as is, so that the launch error names it, or `'skip'` it and
   * go on looking. @default 'return'
   */
  brokenExplicit?: 'return' | 'skip';
}

/** Executable names looked up on PATH, lightest first. */
const PATH_NAMES = [
  'chromium-headless-shell',
  'chrome-headless-shell',
  'chromium',
  'chromium-browser',
  'google-chrome-stable',
  'google-chrome',
];

/** Where Debian, Ubuntu and snap packages put Chromium, lightest first. */
const SYSTEM_PATHS = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium',
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
];

/** Whether `path` is a file this process may execute. */
export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browser playwright-core would launch, when it is installed and has downloaded one. */
function playwrightOwn(): string | undefined {
  try {
    // Loaded here, not at import: callers that never launch a browser never pay for it.
    const { chromium } = createRequire(import.meta.url)('playwright-core') as {
      chromium: { executablePath(): string };
    };
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

/** Browsers Playwright downloaded (`npx playwright install`) under its cache folder, newest first. */
function playwrightCache(env: NodeJS.ProcessEnv): string[] {
  const root = env.PLAYWRIGHT_BROWSERS_PATH || join(env.HOME || homedir(), '.cache', 'ms-playwright');
  let dirs: string[];
  try {
    dirs = readdirSync(root).sort().reverse();
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const dir of dirs) {
    if (dir.startsWith('chromium_headless_shell-')) {
      found.push(join(root, dir, 'chrome-headless-shell-linux64', 'chrome-headless-shell'));
      found.push(join(root, dir, 'chrome-linux', 'headless_shell'));
    } else if (dir.startsWith('chromium-')) {
      found.push(join(root, dir, 'chrome-linux64', 'chrome'), join(root, dir, 'chrome-linux', 'chrome'));
    }
  }
  return found;
}

/**
 * Finds a Chromium to drive with playwright-core, in this order: the `executablePath` given; the
 * `GROWSET_CHROMIUM` environment variable (an explicit choice wins over discovery); the browser
 * playwright-core itself would launch; `PATH` (headless shells first); the system packages'
 * locations (`/usr/lib/chromium/chromium-headless-shell`, `/usr/bin/chromium`, ...); then the
 * browsers in Playwright's cache folder. `undefined` when none is there.
 */
export function findChromium(options: FindChromiumOptions = {}): FoundChromium | undefined {
  const env = options.env ?? process.env;
  const keep = (path: string) => options.brokenExplicit !== 'skip' || isExecutableFile(path);
  if (options.executablePath && keep(options.executablePath))
    return { path: options.executablePath, source: 'option' };
  const fromEnv = env.GROWSET_CHROMIUM?.trim();
  if (fromEnv && keep(fromEnv)) return { path: fromEnv, source: 'GROWSET_CHROMIUM' };
  const own = playwrightOwn();
  if (own && isExecutableFile(own)) return { path: own, source: 'playwright' };
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const name of PATH_NAMES) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return { path: candidate, source: 'PATH' };
    }
  }
  for (const candidate of SYSTEM_PATHS)
    if (isExecutableFile(candidate)) return { path: candidate, source: 'system' };
  for (const candidate of playwrightCache(env))
    if (isExecutableFile(candidate)) return { path: candidate, source: 'playwright' };
  return undefined;
}
