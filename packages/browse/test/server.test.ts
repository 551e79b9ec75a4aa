import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowseServer, CONTENT_SECURITY_POLICY, startBrowseServer } from '../src/index.ts';
import { writeFixture } from './helpers/fixture.ts';

let dir: string;
let outside: string;
let server: BrowseServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-browse-http-'));
  outside = await mkdtemp(join(tmpdir(), 'growset-browse-outside-'));
  await writeFixture(dir);
  await writeFile(join(outside, 'secret.txt'), 'secret');
  await symlink(join(outside, 'secret.txt'), join(dir, 'images', 'link-out.txt'));
  await symlink(outside, join(dir, 'images', 'dir-out'));
  server = await startBrowseServer(dir, { cacheDir: join(dir, '.cache') });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

/** A raw GET: the path goes on the wire exactly as written (fetch would normalise `..`). */
function get(path: string): Promise<{ status: number; body: string; headers: { [k: string]: unknown } }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        done({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: res.headers,
        }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

describe('browse server over HTTP', () => {
  it('binds 127.0.0.1 by default and sends the page with a strict Content-Security-Policy', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(page.body).not.toMatch(/https?:\/\//);
  });

  it('lists every sample and every quarantined input, with lineage columns', async () => {
    const body = JSON.parse((await get('/api/rows?limit=1000&sort=id')).body);
    expect(body.total).toBe(12 + 12 + 2);
    const child = body.rows.find((r: { id: string }) => r.id === 'cat/cat0~aug1');
    expect(child).toMatchObject({
      root: 'cat/cat0',
      depth: 1,
      ops: 'augment(angle=10, flip=false)',
      width: 16,
    });
    const broken = body.rows.find((r: { id: string }) => r.id === 'cat/broken');
    expect(broken).toMatchObject({
      kind: 'quarantined',
      reason: 'truncated image',
      file: 'files/check-truncated.jpg',
    });
    const suspicious = body.rows.find((r: { id: string }) => r.id === 'dog/dog3');
    expect(suspicious.score).toBeCloseTo(0.9);
  });

  it('filters, sorts by two columns, groups and counts facets under the filter', async () => {
    const q = encodeURIComponent('width >= 20 and label in (cat, dog)');
    const rows = JSON.parse((await get(`/api/rows?q=${q}&sort=-width,id&limit=1000`)).body);
    expect(rows.count).toBe(rows.rows.length);
    expect(
      rows.rows.every(
        (r: { width: number; label: string }) => r.width >= 20 && ['cat', 'dog'].includes(r.label),
      ),
    ).toBe(true);
    const widths = rows.rows.map((r: { width: number }) => r.width);
    expect(widths).toEqual([...widths].sort((a, b) => b - a));
    const facets = JSON.parse((await get(`/api/facets?q=${q}`)).body).facets;
    const total = facets.label.reduce((n: number, f: { count: number }) => n + f.count, 0);
    expect(total).toBe(rows.count);
    const groups = JSON.parse((await get('/api/groups?by=reason')).body).groups;
    expect(groups).toContainEqual({ value: 'truncated image', count: 1 });
  });

  it('refuses a request whose Host is not loopback (DNS rebinding)', async () => {
    const res = await new Promise<number>((done, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/meta',
          headers: { host: `evil.example:${server.port}` },
        },
        (r) => {
          r.resume();
          done(r.statusCode ?? 0);
        },
      );
      req.on('error', fail);
      req.end();
    });
    expect(res).toBe(403);
    expect((await get('/api/meta')).status).toBe(200);
  });

  it('answers a bad filter with 400 and a message', async () => {
    const res = await get(`/api/rows?q=${encodeURIComponent('colour = red')}`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error).toMatch(/Unknown column `colour`/);
  });

  it('serves thumbnails made by sharp, and files inside the dataset', async () => {
    const thumb = await get('/thumb/1');
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect((await get('/file/images/manifest.jsonl')).status).toBe(200);
  });

  it.each([
    ['/file/../secret-outside.txt', [403, 404]],
    ['/file/..%2fsecret-outside.txt', [403]],
    ['/file/images/..%2f..%2f..%2f..%2fetc%2fpasswd', [403]],
    ['/file/%2Fetc%2Fpasswd', [403]],
    ['/file//etc/passwd', [403]],
    ['/file/images%5c..%5csecret-outside.txt', [403]],
    ['/file/images/link-out.txt', [403]],
    ['/file/images/dir-out/secret.txt', [403]],
    ['/file/images/%00manifest.jsonl', [403]],
    ['/file/images/nope.png', [404]],
  ])('refuses %s', async (path, statuses) => {
    const res = await get(path);
    expect(statuses).toContain(res.status);
    expect(res.body).not.toContain('secret');
    expect(res.body).not.toContain('root:');
  });

  it('reuses the saved index on a second open of an unchanged dataset', async () => {
    const again = await startBrowseServer(dir, { cacheDir: join(dir, '.cache') });
    try {
      expect(again.index.reused).toBe(true);
      expect(again.index.total).toBe(server.index.total);
    } finally {
      await again.close();
    }
  });
});
