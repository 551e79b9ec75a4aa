import { type FoundChromium, findChromium, isExecutableFile } from '@growset/browser';

/**
 * The engine a caller should use: `browser` when a Chromium is found, else `http`, with the
 * reason in words (for logs: "browser: /usr/lib/chromium/chromium-headless-shell (system)").
 */
export function preferredEngine(options: { executablePath?: string; env?: NodeJS.ProcessEnv } = {}): {
  engine: string;
  chromium?: FoundChromium;
  reason: string;
} {
  const found = findChromium(options);
  if (
    found &&
    (found.source === 'option' || found.source === 'GROWSET_CHROMIUM' ? isExecutableFile(found.path) : true)
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
