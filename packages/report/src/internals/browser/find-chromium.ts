import { findChromium as find } from '@growset/core';

/**
 * Finds a Chromium to drive with playwright-core, or `undefined`: core's `findChromium` (the
 * same search the scrape engine uses), except that a `GROWSET_CHROMIUM` which is not an
 * executable file is passed over rather than returned.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return find({ env, brokenExplicit: 'skip' })?.path;
}
