import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserNotFoundError, CHROMIUM_FLAGS, findChromium, launchChromium } from '../src/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-browser-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fakeExecutable(path: string): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '#!/bin/sh\nexit 1\n');
  await chmod(path, 0o755);
  return path;
}

describe('findChromium', () => {
  it('prefers the option, then GROWSET_CHROMIUM, over what is on PATH', async () => {
    const onPath = await fakeExecutable(join(dir, 'bin', 'chromium'));
    const env = { GROWSET_CHROMIUM: '/opt/my/chrome', PATH: join(dir, 'bin') };
    expect(findChromium({ executablePath: '/opt/other', env })).toEqual({
      path: '/opt/other',
      source: 'option',
    });
    expect(findChromium({ env })).toEqual({ path: '/opt/my/chrome', source: 'GROWSET_CHROMIUM' });
    const found = findChromium({ env: { PATH: join(dir, 'bin') } });
    // Playwright's own browser comes before PATH when it was downloaded.
    expect(found?.source === 'PATH' ? found.path : onPath).toBe(onPath);
  });

  it('with brokenExplicit "skip", passes over a GROWSET_CHROMIUM that is not executable', async () => {
    const notExecutable = join(dir, 'not-a-browser');
    await writeFile(notExecutable, 'x');
    const onPath = await fakeExecutable(join(dir, 'bin2', 'chromium'));
    const env = { GROWSET_CHROMIUM: notExecutable, PATH: join(dir, 'bin2') };
    expect(findChromium({ env })?.path).toBe(notExecutable);
    const skipped = findChromium({ env, brokenExplicit: 'skip' });
    expect(skipped?.path).not.toBe(notExecutable);
    expect(skipped?.source === 'PATH' ? skipped.path : onPath).toBe(onPath);
  });

  it('falls back to the system Chromium when nothing is on PATH', () => {
    const found = findChromium({ env: { PATH: '', HOME: dir } });
    expect(found?.source).toMatch(/^(system|playwright)$/);
  });
});

describe('launchChromium', () => {
  it('launches the Chromium found, headless, with the shared flags', async () => {
    const launched = await launchChromium();
    try {
      expect(launched.version).toMatch(/^\d+\./);
      const page = await launched.browser.newPage();
      await page.setContent('<p id="x">hello</p>');
      expect(await page.textContent('#x')).toBe('hello');
      expect(CHROMIUM_FLAGS).toContain('--headless');
    } finally {
      await launched.close();
    }
  });

  it('rejects with the one no-browser error when the executable named is missing', async () => {
    const error = await launchChromium({ executablePath: join(dir, 'missing-chrome') }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BrowserNotFoundError);
    expect((error as BrowserNotFoundError).code).toBe('ERR_NO_BROWSER');
    expect((error as Error).message).toContain('missing-chrome');
    const none = BrowserNotFoundError.none('use engine "http"');
    expect(none.message).toMatch(/^No Chromium found \(tried GROWSET_CHROMIUM.*or use engine "http"$/);
    expect(none.retryable).toBe(false);
  });

  it('rejects with BrowserNotFoundError when the executable does not start', async () => {
    const broken = await fakeExecutable(join(dir, 'broken', 'chrome'));
    const error = await launchChromium({ executablePath: broken, timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrowserNotFoundError);
    expect((error as Error).message).toContain(broken);
  });
});
