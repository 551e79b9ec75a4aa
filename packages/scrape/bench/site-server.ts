// Serves the benchmark's fixture site in its own process, so crawlers are measured alone.
import { startFixtureSite } from '@growset/fixtures';

const items = Number(process.argv[2] ?? 2000);
const site = await startFixtureSite({ items, perPage: 20, crawlDelay: null, slowRate: 0, seed: 1 });
const expected = {
  url: site.url,
  items,
  http: site.expected.filter((e) => !e.jsOnly && !e.broken).length,
  browser: site.expected.filter((e) => !e.broken).length,
  pages: site.reachablePages,
};
process.stdout.write(`${JSON.stringify(expected)}\n`);
process.stdin.resume();
process.stdin.on('end', () => site.close().then(() => process.exit(0)));
