// Writes docs/browse-grid.png and docs/browse-sample.png from the test fixture:
//   npx tsx --conditions=@growset/source packages/browse/scripts/screenshot.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '@growset/browser';
import { startBrowseServer } from '../src/index.ts';
import { writeFixture } from '../test/helpers/fixture.ts';

const docs = join(import.meta.dirname, '..', 'docs');
const dir = await mkdtemp(join(tmpdir(), 'growset-browse-shot-'));
await writeFixture(dir);
const server = await startBrowseServer(dir, { cacheDir: join(dir, '.cache') });
const { browser, close } = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 560 } });
  await page.goto(`${server.url}?q=${encodeURIComponent('width >= 20')}&sort=-width,id&group=label`);
  await page.getByTestId('grid').waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(docs, 'browse-grid.png') });
  await page.goto(`${server.url}?sample=1`);
  await page.getByTestId('overlay').waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(docs, 'browse-sample.png') });
} finally {
  await close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
