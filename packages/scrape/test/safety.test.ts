import { readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { encodeRawAsPng, MemoryQuarantine, pipeline } from '@growset/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrawlConfig, type CrawlStats, crawl, crawlSource, engines } from '../src/index.ts';
import { readManifestEntries, removeTempDirs, tempDir } from './helpers.ts';

/** A small hostile site on 127.0.0.1, and a bystander on 127.0.0.2 that must never be contacted. */
let hostile: Server;
let bystander: Server;
let base: string;
let other: string;
const hits: string[] = [];
const bystanderHits: string[] = [];

function listen(server: Server, host: string): Promise<string> {
  return new Promise((done) =>
    server.listen(0, host, () => done(`http://${host}:${(server.address() as AddressInfo).port}/`)),
  );
}

beforeAll(async () => {
  const png = Buffer.from(
    await encodeRawAsPng({
      kind: 'raw',
      data: new Uint8Array(16).fill(200),
      width: 4,
      height: 4,
      channels: 1,
      dtype: 'uint8',
    }),
  );
  const item = (label: string, img: string) =>
    `<html><body><span class="label">${label}</span><img class="photo" src="${img}"><script src="${other}track.js"></script></body></html>`;
  bystander = createServer((req, res) => {
    bystanderHits.push(req.url ?? '');
    res.end('');
  });
  other = await listen(bystander, '127.0.0.2');
  hostile = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push(path);
    const html = (body: string) => res.writeHead(200, { 'content-type': 'text/html' }).end(body);
    const redirect = /^\/r\/(\d+)$/.exec(path);
    if (redirect) return res.writeHead(302, { location: `/r/${Number(redirect[1]) + 1}` }).end();
    switch (path) {
      case '/':
        return html(
          ['/item/evil', '/item/file', '/item/html', '/r/0', '/away']
            .map((h) => `<a class="item" href="${h}">x</a>`)
            .join(''),
        );
      case '/away':
        return res.writeHead(301, { location: `${other}item/elsewhere` }).end();
      case '/item/evil':
        return html(item('../../../escape', '/img/ok.png'));
      case '/item/file':
        return html(item('3', 'file:///etc/passwd'));
      case '/item/html':
        return html(item('4', '/img/page.png'));
      case '/img/ok.png':
        return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      case '/img/page.png':
        return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not an image</html>');
      default:
        return res.writeHead(404).end();
    }
  });
  base = await listen(hostile, '127.0.0.1');
});
afterAll(async () => {
  hostile.closeAllConnections();
  bystander.closeAllConnections();
  await new Promise((r) => hostile.close(r));
  await new Promise((r) => bystander.close(r));
  await removeTempDirs();
});

function config(overrides: Partial<CrawlConfig> = {}): CrawlConfig {
  return {
    start: [base],
    allowPrivateNetwork: true,
    follow: ['a.item'],
    robotsTxt: false,
    item: {
      urlPattern: '/item/',
      fields: {
        label: { selector: '.label' },
        image: { selector: 'img.photo', attr: 'src', asset: 'image' },
      },
    },
    maxRedirects: 3,
    ...overrides,
  };
}

async function collect(cfg: CrawlConfig) {
  let stats: CrawlStats | undefined;
  const quarantine = new MemoryQuarantine();
  const { items } = await pipeline(crawlSource(cfg, { onCrawler: (c) => (stats = c.stats) })).collect({
    quarantine,
  });
  return { items, stats: stats!, quarantine: quarantine.records };
}

describe('safety', () => {
  it('refuses file:, data: and private addresses unless allowed, without a single request', async () => {
    const before = hits.length;
    const { stats } = await collect(
      config({
        start: ['file:///etc/passwd', 'data:text/html,<a href="x">x</a>', base, 'http://localhost:1/'],
        allowPrivateNetwork: false,
        allowHosts: ['localhost:1'],
      }),
    );
    expect(stats.skipped).toEqual({ 'unsupported scheme': 2, 'private address': 2 });
    expect(hits.length).toBe(before);
  });

  it('never leaves the allowed hosts: redirects elsewhere are refused, and so are browser subrequests', async () => {
    for (const engine of engines.names) {
      const { quarantine, items } = await collect(config({ engine }));
      const away = quarantine.find((q) => q.source?.url === `${base}away`);
      expect(away?.reason, engine).toBe('redirect refused');
      expect(away?.detail).toContain('off-host');
      const loop = quarantine.find((q) => q.source?.url === `${base}r/0`);
      expect(loop?.reason, engine).toBe('too many redirects');
      expect(items.map((s) => s.label)).toEqual(['../../../escape']);
    }
    expect(bystanderHits).toEqual([]);
    expect(hits.filter((h) => h === '/r/4')).toEqual([]);
  });

  it('checks asset schemes and content types', async () => {
    const { quarantine } = await collect(config());
    const reasons = new Map(quarantine.map((q) => [q.source?.url, q.reason]));
    expect(reasons.get(`${base}item/file`)).toBe('asset unsupported scheme');
    expect(reasons.get(`${base}item/html`)).toBe('asset not an image');
  });

  it('keeps every output file inside the output folder whatever the label says', async () => {
    const out = await tempDir();
    await crawl(config(), { out });
    const [entry] = await readManifestEntries(out);
    expect(entry?.label).toBe('../../../escape');
    const path = resolve(out, 'images', entry!.file!);
    expect(relative(join(out, 'images'), path).startsWith('..')).toBe(false);
    const files = await readdir(join(out, 'images'), { recursive: true });
    expect(files.filter((f) => f.endsWith('.png'))).toEqual([entry!.file]);
  });
});
