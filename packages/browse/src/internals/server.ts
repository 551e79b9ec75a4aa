import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { loadSharp, writeFileAtomic } from '@growset/core';
import { FilterSyntaxError } from './filter.ts';
import { BrowseIndex, GROUPABLE, type OpenOptions } from './index-db.ts';
import { APP_CSS, APP_JS, pageHtml } from './page.ts';
import { linkReport, REPORT_CONTENT_SECURITY_POLICY } from './report-links.ts';
import { resolveInside } from './safe-path.ts';

export interface BrowseServerOptions extends OpenOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
}

export interface BrowseServer {
  url: string;
  host: string;
  port: number;
  index: BrowseIndex;
  server: Server;
  close(): Promise<void>;
}

/** The page may load only what this server sends: no outside scripts, images, fonts or requests. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: { [ext: string]: string } = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.bmp': 'image/bmp',
  '.svg': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.jsonl': 'text/plain; charset=utf-8',
  '.csv': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const THUMB_SIZE = 96;

export const UNREADABLE_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48"><rect width="48" height="48" fill="#fde8e8"/><path d="M14 14L34 34M34 14L14 34" stroke="#c0392b" stroke-width="4"/></svg>';

/**
 * A row's thumbnail (WebP, at most 96 px), made by sharp on first request and cached on disk by
 * file path, size and time; undefined when the row has no readable image.
 */
export async function makeThumbnail(
  index: BrowseIndex,
  thumbs: string,
  rid: number,
  pending = new Map<string, Promise<Uint8Array | undefined>>(),
): Promise<Uint8Array | undefined> {
  const file = index.fileOf(rid);
  if (file === undefined) return undefined;
  const verdict = await resolveInside(index.root, file.split('/').map(encodeURIComponent).join('/'));
  if (!verdict.ok) return undefined;
  const info = await stat(verdict.path);
  const key = createHash('sha256')
    .update(`${verdict.path}\t${info.size}\t${info.mtimeMs}`)
    .digest('hex')
    .slice(0, 20);
  const cached = join(thumbs, `${key}.webp`);
  const hit = await readFile(cached).catch(() => undefined);
  if (hit) return hit;
  let job = pending.get(key);
  if (!job) {
    job = (async () => {
      const sharp = await loadSharp();
      try {
        const bytes = await sharp(verdict.path, { limitInputPixels: 100_000_000 })
          .rotate()
          .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
          .webp({ quality: 80 })
          .toBuffer();
        await writeFileAtomic(cached, bytes, { durable: false });
        return new Uint8Array(bytes);
      } catch {
        return undefined;
      }
    })().finally(() => pending.delete(key));
    pending.set(key, job);
  }
  return job;
}

/** Whether a host name or address is the loopback interface. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Uint8Array,
  policy = CONTENT_SECURITY_POLICY,
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': policy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  res.end(body);
}

const json = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

/** Starts the browse web app for a dataset. */
export async function startBrowseServer(
  input: string,
  options: BrowseServerOptions = {},
): Promise<BrowseServer> {
  const index = await BrowseIndex.open(input, options);
  const host = options.host ?? '127.0.0.1';
  const thumbs = join(index.cacheDir, 'thumbs');
  await mkdir(thumbs, { recursive: true });
  const pending = new Map<string, Promise<Uint8Array | undefined>>();

  const thumbnail = (rid: number) => makeThumbnail(index, thumbs, rid, pending);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'GET only');
    // DNS rebinding: a page on another site whose name resolves to 127.0.0.1 must not read the data.
    if (
      isLoopback(host) &&
      !isLoopback((req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, ''))
    )
      return send(res, 403, 'text/plain; charset=utf-8', 'unexpected Host header');
    const raw = req.url ?? '/';
    const url = new URL(raw, 'http://localhost');
    const path = url.pathname;
    const q = url.searchParams;
    if (path === '/') return send(res, 200, 'text/html; charset=utf-8', pageHtml('/'));
    if (path === '/app.js') return send(res, 200, 'text/javascript; charset=utf-8', APP_JS);
    if (path === '/app.css') return send(res, 200, 'text/css; charset=utf-8', APP_CSS);
    if (path === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
    if (path === '/report.html') {
      // A study report beside the data: served with its gallery and quarantine counts linked here.
      const verdict = await resolveInside(index.root, 'report.html');
      if (!verdict.ok) return send(res, verdict.status, 'text/plain; charset=utf-8', verdict.reason);
      const page = linkReport(await readFile(verdict.path, 'utf8'), index).html;
      return send(res, 200, 'text/html; charset=utf-8', page, REPORT_CONTENT_SECURITY_POLICY);
    }
    if (path === '/api/meta') {
      return json(res, 200, {
        kind: index.kind,
        total: index.total,
        columns: index.columns.filter((c) => c.used).map(({ name, type }) => ({ name, type })),
        groupable: GROUPABLE.filter((g) => index.columns.some((c) => c.name === g && c.used)),
        notes: index.notes,
        confusion: index.confusion() !== undefined,
        report: (await resolveInside(index.root, 'report.html')).ok,
      });
    }
    if (path === '/api/rows') {
      const sort = (q.get('sort') ?? '').split(',').filter(Boolean);
      const result = index.query({
        filter: q.get('q') ?? '',
        sort,
        offset: Number(q.get('offset') ?? 0) || 0,
        limit: Number(q.get('limit') ?? 100) || 100,
      });
      return json(res, 200, result);
    }
    if (path === '/api/facets') {
      const filter = q.get('q') ?? '';
      const facets: { [name: string]: { value: string | null; count: number }[] } = {};
      for (const name of ['label', 'kind', 'reason', 'ops'] as const) {
        if (index.columns.some((c) => c.name === name && c.used))
          facets[name] = index.groups(name, filter, 12);
      }
      return json(res, 200, { facets });
    }
    if (path === '/api/confusion')
      return json(res, 200, { cells: index.confusion(q.get('q') ?? '') ?? null });
    if (path === '/api/groups')
      return json(res, 200, { groups: index.groups(q.get('by') ?? '', q.get('q') ?? '', 200) });
    const sample = /^\/api\/sample\/(\d+)$/.exec(path);
    if (sample) {
      const found = index.row(Number(sample[1]));
      if (!found) return json(res, 404, { error: 'no such sample' });
      const root = found.row.root;
      const family = typeof root === 'string' ? index.family(root) : [];
      return json(res, 200, { row: { ...found.row, extra: found.extra }, family });
    }
    const thumb = /^\/thumb\/(\d+)$/.exec(path);
    if (thumb) {
      const bytes = await thumbnail(Number(thumb[1]));
      // An image sharp cannot read (a quarantined truncated file) gets a placeholder, not a broken icon.
      if (!bytes) return send(res, 200, 'image/svg+xml', UNREADABLE_SVG);
      res.setHeader('cache-control', 'max-age=3600');
      return send(res, 200, 'image/webp', bytes);
    }
    const media = /^\/media\/(\d+)$/.exec(path);
    const filePath = media
      ? index.fileOf(Number(media[1]))?.split('/').map(encodeURIComponent).join('/')
      : path.startsWith('/file/')
        ? raw.split('?')[0]!.slice('/file/'.length)
        : undefined;
    if (filePath !== undefined) {
      const verdict = await resolveInside(index.root, filePath);
      if (!verdict.ok) return send(res, verdict.status, 'text/plain; charset=utf-8', verdict.reason);
      const info = await stat(verdict.path);
      if (!info.isFile()) return send(res, 404, 'text/plain', 'not a file');
      res.writeHead(200, {
        'content-type': TYPES[extname(verdict.path).toLowerCase()] ?? 'application/octet-stream',
        'content-length': info.size,
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      });
      if (req.method === 'HEAD') return void res.end();
      createReadStream(verdict.path).pipe(res);
      return;
    }
    return send(res, 404, 'text/plain', 'not found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof FilterSyntaxError)
        return json(res, 400, { error: error.message, position: error.position });
      if (!res.headersSent) json(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => done());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    host,
    port,
    index,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => {
          index.close();
          done();
        });
      }),
  };
}
