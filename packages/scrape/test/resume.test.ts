import { startFixtureSite } from '@growset/fixtures';
import { afterAll, describe, expect, it } from 'vitest';
import { crawl } from '../src/index.ts';
import { exampleConfig, removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

describe('resume', () => {
  it('refuses to resume a folder crawled with a different config', async () => {
    const site = await startFixtureSite({ items: 5, crawlDelay: 0 });
    try {
      const out = await tempDir();
      await crawl(exampleConfig(site), { out });
      await expect(crawl(exampleConfig(site, { follow: ['a[href]'] }), { out })).rejects.toThrow(
        /different config.*--fresh/,
      );
    } finally {
      await site.close();
    }
  });
});
