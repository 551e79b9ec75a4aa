import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Executable names looked up on PATH, lightest first. */
const PATH_NAMES = [
  'chromium-headless-shell',
  'chrome-headless-shell',
  'chromium',
  'chromium-browser',
  'google-chrome-stable',
  'google-chrome',
];

/** Where Debian and Ubuntu packages put Chromium. */
const SYSTEM_PATHS = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium',
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
];

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Browsers Playwright downloaded itself (`npx playwright install`), newest first. */
function playwrightCache(env: NodeJS.ProcessEnv): string[] {
  const root = env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
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
 * Finds a Chromium to drive with playwright-core, or `undefined`. Looks, in order, at
 * `GROWSET_CHROMIUM` (used when it names an executable file), the PATH (headless shells first),
 * Debian's `/usr/lib/chromium/chromium-headless-shell` and `/usr/bin/chromium`, then Playwright's
 * own downloaded browsers.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.GROWSET_CHROMIUM;
  if (explicit && isExecutable(explicit)) return explicit;
  const pathDirs = (env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  for (const name of PATH_NAMES) {
    for (const dir of pathDirs) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  for (const candidate of [...SYSTEM_PATHS, ...playwrightCache(env)])
    if (isExecutable(candidate)) return candidate;
  return undefined;
}
