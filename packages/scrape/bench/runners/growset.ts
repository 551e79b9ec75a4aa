// growset's crawl() with the http or browser engine (GROWSET_ENGINE), the config shape.
import { crawl } from '../../src/index.ts';
import { concurrency, outDir, report, siteUrl } from './shared.ts';

const engine = process.env.GROWSET_ENGINE === 'browser' ? 'browser' : 'http';
const started = performance.now();
const { summary } = await crawl(
  {
    start: [siteUrl],
    engine,
    allowHosts: ['127.0.0.1'],
    allowPrivateNetwork: true,
    follow: ['a.next', 'a.item'],
    item: {
      urlPattern: '/item/',
      fields: {
        label: { selector: '.label' },
        image: { selector: 'img.photo', attr: 'src', asset: 'image' },
      },
    },
    concurrency,
    perHostConcurrency: concurrency,
    maxPages: 5000,
    browser: { pages: concurrency },
  },
  { out: outDir, fresh: true },
);
report({ pages: summary.pagesFetched, items: summary.items, wallMs: performance.now() - started });
