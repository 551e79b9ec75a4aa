// Crawlee 3 doing the same work: follow a.next and a.item, dedupe items by canonical URL, read
// the label, fetch the image, decode it with sharp and write it into a label folder. In-memory
// storage, robots.txt respected, fixed concurrency (no autoscaling ramp), images not loaded by the
// browser (blocked like growset's browser engine does), no fingerprint injection.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheerioCrawler, Configuration, PlaywrightCrawler } from 'crawlee';
import { chromium } from 'playwright';
import sharp from 'sharp';
import { CHROMIUM_ARGS, concurrency, outDir, report, siteUrl } from './shared.ts';

const kind = process.env.CRAWLEE_KIND === 'playwright' ? 'playwright' : 'cheerio';
const configuration = new Configuration({ persistStorage: false, purgeOnStart: true, logLevel: 0 });
const seen = new Set<string>();
let pages = 0;
let items = 0;

async function handleItem(
  canonical: string,
  label: string,
  src: string | undefined,
  base: string,
  fetchImage: (url: string) => Promise<Buffer>,
) {
  if (!/\/item\//.test(canonical) || seen.has(canonical)) return;
  seen.add(canonical);
  if (label === '' || !src) return;
  const url = new URL(src, base).href;
  const body = await fetchImage(url);
  try {
    await sharp(body, { failOn: 'warning' }).raw().toBuffer();
  } catch {
    return; // the corrupt image
  }
  const dir = join(outDir, label);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${canonical.split('/').pop()}.png`), body);
  items += 1;
}

const common = {
  minConcurrency: concurrency,
  maxConcurrency: concurrency,
  maxRequestRetries: 3,
  maxRequestsPerCrawl: 5000,
  respectRobotsTxtFile: true,
};

const started = performance.now();
if (kind === 'cheerio') {
  const crawler = new CheerioCrawler(
    {
      ...common,
      async requestHandler({ $, request, enqueueLinks, sendRequest }) {
        pages += 1;
        await enqueueLinks({ selector: 'a.next, a.item' });
        const base = request.loadedUrl ?? request.url;
        const canonical = new URL($('link[rel=canonical]').attr('href') ?? base, base).href;
        await handleItem(
          canonical,
          $('.label').text().trim(),
          $('img.photo').attr('src'),
          base,
          async (url) => {
            const response = await sendRequest({ url, responseType: 'buffer' });
            return response.rawBody;
          },
        );
      },
    },
    configuration,
  );
  await crawler.run([siteUrl]);
} else {
  const crawler = new PlaywrightCrawler(
    {
      ...common,
      headless: true,
      launchContext: {
        launcher: chromium,
        launchOptions: { executablePath: process.env.GROWSET_CHROMIUM, args: [...CHROMIUM_ARGS] },
      },
      browserPoolOptions: { useFingerprints: false },
      preNavigationHooks: [
        async ({ blockRequests }) => {
          await blockRequests({ urlPatterns: ['.png'] });
        },
      ],
      async requestHandler({ page, enqueueLinks, sendRequest }) {
        pages += 1;
        await enqueueLinks({ selector: 'a.next, a.item' });
        const base = page.url();
        // One round trip, no waiting: what growset's engine reads from the rendered DOM.
        const found = (await page.evaluate(`({
          canonical: document.querySelector('link[rel=canonical]')?.getAttribute('href') ?? null,
          label: document.querySelector('.label')?.textContent ?? '',
          src: document.querySelector('img.photo')?.getAttribute('src') ?? null,
        })`)) as { canonical: string | null; label: string; src: string | null };
        const canonical = new URL(found.canonical ?? base, base).href;
        const label = found.label.trim();
        const src = found.src ?? undefined;
        await handleItem(canonical, label, src, base, async (url) => {
          const response = await sendRequest({ url, responseType: 'buffer' });
          return response.rawBody;
        });
      },
    },
    configuration,
  );
  await crawler.run([siteUrl]);
}
report({ pages, items, wallMs: performance.now() - started });
