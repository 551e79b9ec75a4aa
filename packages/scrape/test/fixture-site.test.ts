import { request } from 'node:http';
import { type FixtureSite, startFixtureSite } from '@growset/fixtures';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

function get(url: string): Promise<{ status: number; type: string; body: Buffer; error?: string }> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', (e) =>
        resolve({ status: res.statusCode ?? 0, type: '', body: Buffer.concat(chunks), error: e.message }),
      );
    });
    req.on('error', (e) => resolve({ status: 0, type: '', body: Buffer.alloc(0), error: e.message }));
    req.end();
  });
}

let site: FixtureSite;
beforeAll(async () => {
  site = await startFixtureSite({ items: 40, crawlDelay: 0.5, seed: 4 });
});
afterAll(() => site.close());

describe('fixture site', () => {
  it('serves real MNIST digits as PNG with their labels, and one corrupt image', async () => {
    const good = site.model.items.find((i) => !i.broken && !i.jsOnly)!;
    const page = await get(`${site.url}item/${good.id}`);
    expect(page.body.toString()).toContain(`<span class="label">${good.label}</span>`);
    expect(page.body.toString()).toContain(`<link rel="canonical" href="/item/${good.id}">`);
    const image = await get(`${site.url}img/${good.id}.png`);
    expect(image.type).toBe('image/png');
    expect((await sharp(image.body).metadata()).width).toBe(28);
    const broken = site.model.items.filter((i) => i.broken);
    expect(broken).toHaveLength(1);
    const corrupt = await get(`${site.url}img/${broken[0]!.id}.png`);
    await expect(sharp(corrupt.body).raw().toBuffer()).rejects.toThrow();
  });

  it('renders some labels only with JavaScript', async () => {
    const js = site.model.items.find((i) => i.jsOnly)!;
    const html = (await get(`${site.url}item/${js.id}`)).body.toString();
    expect(html).toContain('<span class="label" data-l=');
    expect(html).not.toContain(`<span class="label">${js.label}</span>`);
  });

  it('has a robots.txt with a disallowed section and a Crawl-delay, and links to that section', async () => {
    const robots = (await get(`${site.url}robots.txt`)).body.toString();
    expect(robots).toContain('Disallow: /private/');
    expect(robots).toContain('Crawl-delay: 0.5');
    const first = (await get(site.url)).body.toString();
    expect(first).toMatch(/href="\/private\/item\/p000"/);
    expect(first).toContain('class="next" href="/list/2"');
  });

  it('injects faults at set rates, reproducibly, at most maxPerUrl per path', async () => {
    const faults = { error500: 0.3, tooManyRequests: 0.1, reset: 0.1, truncate: 0.1, maxPerUrl: 1 };
    const run = async () => {
      const faulty = await startFixtureSite({ items: 10, seed: 9, faults });
      try {
        for (const item of faulty.model.items) {
          await get(`${faulty.url}item/${item.id}`);
          await get(`${faulty.url}item/${item.id}`);
        }
        return faulty.requests.map((r) => `${r.path}:${r.fault ?? 'ok'}`);
      } finally {
        await faulty.close();
      }
    };
    const first = await run();
    expect(await run()).toEqual(first);
    const faulted = first.filter((r) => !r.endsWith(':ok'));
    expect(faulted.length).toBeGreaterThan(0);
    const perPath = new Map<string, number>();
    for (const r of faulted) perPath.set(r.split(':')[0]!, (perPath.get(r.split(':')[0]!) ?? 0) + 1);
    expect(Math.max(...perPath.values())).toBe(1);
    expect(new Set(faulted.map((r) => r.split(':')[1]))).toContain('500');
  });
});
