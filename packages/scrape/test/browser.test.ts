import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { encodeRawAsPng } from '@growset/core';
import { afterAll, describe, expect, it } from 'vitest';
import { preferredEngine } from '../src/index.ts';
import { collectCrawl, removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

describe('browser engine (real Chromium)', () => {
  it("reads the rendered document even when the page's scripts break the usual serializers", async () => {
    const png = Buffer.from(
      await encodeRawAsPng({
        kind: 'raw',
        data: new Uint8Array(16).fill(90),
        width: 4,
        height: 4,
        channels: 1,
        dtype: 'uint8',
      }),
    );
    // Item 1 renders its label with JavaScript; item 2 also makes `outerHTML` throw and
    // replaces XMLSerializer in the page's own world.
    const sabotage = `<script>
Object.defineProperty(Element.prototype, 'outerHTML', { get() { throw new Error('no'); } });
window.XMLSerializer = function () { throw new Error('no'); };
</script>`;
    const item = (n: number) =>
      `<!doctype html><html><head><title>${n}</title></head><body><span class="label"></span>` +
      `<img class="photo" src="/img/${n}.png"><script>document.querySelector('.label').textContent = 'digit-${n}';</script>` +
      `${n === 2 ? sabotage : ''}</body></html>`;
    const server = createServer((req, res) => {
      const path = req.url ?? '/';
      if (path === '/')
        return res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<a class="item" href="/item/1">1</a><a class="item" href="/item/2">2</a>');
      const page = /^\/item\/(\d)$/.exec(path);
      if (page) return res.writeHead(200, { 'content-type': 'text/html' }).end(item(Number(page[1])));
      if (path.startsWith('/img/')) return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const { items, quarantine } = await collectCrawl({
        start: [url],
        engine: 'browser',
        allowPrivateNetwork: true,
        follow: ['a.item'],
        item: {
          urlPattern: '/item/',
          fields: {
            label: { selector: '.label' },
            image: { selector: 'img.photo', attr: 'src', asset: 'image' },
          },
        },
      });
      expect(quarantine).toEqual([]);
      expect(items.map((i) => [i.source?.url, i.label]).sort()).toEqual([
        [`${url}item/1`, 'digit-1'],
        [`${url}item/2`, 'digit-2'],
      ]);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});

describe('choosing an engine', () => {
  it('prefers the browser when a Chromium is found and says when none is usable', async () => {
    const dir = await tempDir();
    const missing = preferredEngine({ env: { GROWSET_CHROMIUM: join(dir, 'nope') } });
    expect(missing.engine).toBe('http');
    expect(missing.reason).toContain('nope');
    const here = preferredEngine();
    expect(here.engine).toBe('browser');
    expect(here.reason).toContain(here.chromium!.path);
  });
});
