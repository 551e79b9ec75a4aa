import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { writeFileAtomic } from '@growset/core';
import { BrowseIndex, GROUPABLE, type OpenOptions } from './index-db.ts';
import { APP_CSS, APP_JS, pageHtml } from './page.ts';
import { resolveInside } from './safe-path.ts';
import { makeThumbnail, UNREADABLE_SVG } from './server.ts';

export interface ExportOptions extends OpenOptions {
  /** Only rows matching this filter. @default every row */
  filter?: string;
}

export interface ExportSummary {
  dir: string;
  rows: number;
  thumbnails: number;
  images: number;
}

/**
 * The filter syntax module (filter-syntax.js, beside this file in src/ and in dist/) as part of a
 * classic script: a page opened from disk cannot load ES modules, so its `export` keywords go and
 * its declarations become locals of the page's runtime. The file is read as it is installed, never
 * built or bundled at run time.
 */
export async function filterSyntaxScript(): Promise<string> {
  const source = await readFile(new URL('./filter-syntax.js', import.meta.url), 'utf8');
  const body = source.replace(/^export (?=function |class |const )/gm, '');
  if (/^\s*(?:export|import)\b/m.test(body))
    throw new Error(
      'filter-syntax.js must import nothing and export only function, class and const declarations',
    );
  return body;
}

/**
 * The static page's stand-in for the server API: the same filter language (the syntax module
 * itself, see {@link filterSyntaxScript}), evaluated over the rows held in data.js.
 */
function staticRuntime(syntax: string): string {
  return `(function () {
'use strict';
${syntax}
var data = window.GROWSET_DATA;
var types = {};
data.meta.columns.forEach(function (c) { types[c.name.toLowerCase()] = c; });
var TEXT = ['id', 'label', 'file', 'source', 'reason'];
function col(name) {
  var c = types[name.toLowerCase()];
  if (!c) throw new Error('Unknown column ' + name + '; columns: ' + data.meta.columns.map(function (x) { return x.name; }).join(', '));
  return c;
}
function same(c, v, x) { return c.type === 'number' ? Number(x) : String(x); }
function test(n, r) {
  switch (n.kind) {
    case 'and': return test(n.left, r) && test(n.right, r);
    case 'or': return test(n.left, r) || test(n.right, r);
    case 'not': return !test(n.operand, r);
    case 'compare': {
      var c = col(n.column), v = r[c.name], x = same(c, v, n.value);
      if (v === null || v === undefined) return false;
      switch (n.op) { case '=': return v === x; case '!=': return v !== x; case '<': return v < x; case '<=': return v <= x; case '>': return v > x; default: return v >= x; }
    }
    case 'in': { var ci = col(n.column), vi = r[ci.name]; if (vi === null || vi === undefined) return false;
      var hit = n.values.some(function (x) { return same(ci, vi, x) === vi; }); return n.negated ? !hit : hit; }
    case 'contains': { var cc = col(n.column), vc = r[cc.name]; return vc !== null && vc !== undefined && String(vc).toLowerCase().indexOf(n.value.toLowerCase()) >= 0; }
    case 'null': { var cn = col(n.column), vn = r[cn.name], isNull = vn === null || vn === undefined; return n.negated ? !isNull : isNull; }
    default: return TEXT.some(function (t) { var v = r[t]; return v !== null && v !== undefined && String(v).toLowerCase().indexOf(n.value.toLowerCase()) >= 0; });
  }
}
function select(q) {
  var tree = parseFilter(q || '');
  return tree ? data.rows.filter(function (r) { return test(tree, r); }) : data.rows;
}
function counts(rows, by, limit) {
  var m = new Map();
  rows.forEach(function (r) { var v = r[by] === undefined ? null : r[by]; m.set(v, (m.get(v) || 0) + 1); });
  return Array.from(m, function (e) { return { value: e[0], count: e[1] }; })
    .sort(function (a, b) { return b.count - a.count || String(a.value).localeCompare(String(b.value)); }).slice(0, limit);
}
window.GROWSET_STATIC = {
  thumb: function (rid) { return data.thumbs[rid] || 'unreadable.svg'; },
  media: function (rid) { return data.media[rid] || 'unreadable.svg'; },
  answer: function (path, p) {
    if (path === '/api/meta') return data.meta;
    if (path === '/api/rows') {
      var rows = select(p.q).slice();
      var keys = (p.sort || '').split(',').filter(Boolean);
      rows.sort(function (a, b) {
        for (var i = 0; i < keys.length; i++) {
          var desc = keys[i][0] === '-', k = desc ? keys[i].slice(1) : keys[i], x = a[k], y = b[k];
          if (x === y) continue;
          if (x === null || x === undefined) return 1;
          if (y === null || y === undefined) return -1;
          return (x < y ? -1 : 1) * (desc ? -1 : 1);
        }
        return a.rid - b.rid;
      });
      var off = Number(p.offset || 0), lim = Number(p.limit || 100);
      return { total: data.rows.length, count: rows.length, rows: rows.slice(off, off + lim) };
    }
    if (path === '/api/facets') {
      var sel = select(p.q), facets = {};
      ['label', 'kind', 'reason', 'ops'].forEach(function (f) { if (types[f]) facets[f] = counts(sel, f, 12); });
      return { facets: facets };
    }
    if (path === '/api/groups') return { groups: data.meta.groupable.indexOf(p.by) >= 0 ? counts(select(p.q), p.by, 200) : [] };
    var m = /^\\/api\\/sample\\/(\\d+)$/.exec(path);
    if (m) {
      var row = data.rows.find(function (r) { return r.rid === Number(m[1]); });
      if (!row) throw new Error('no such sample');
      var family = row.root === null ? [] : data.rows.filter(function (r) { return r.root === row.root; })
        .sort(function (a, b) { return a.depth - b.depth || String(a.id).localeCompare(String(b.id)); }).slice(0, 60);
      return { row: Object.assign({}, row, { extra: data.extra[row.rid] || {} }), family: family };
    }
    throw new Error('not found: ' + path);
  }
};
})();
`;
}

/**
 * Writes a self-contained static copy of the browse page to `dir`: index.html, the script and
 * stylesheet, data.js (rows, details), thumbnails and full-size images. It opens from disk.
 */
export async function exportStatic(
  input: string,
  dir: string,
  options: ExportOptions = {},
): Promise<ExportSummary> {
  const index = await BrowseIndex.open(input, options);
  try {
    await mkdir(join(dir, 'thumbs'), { recursive: true });
    await mkdir(join(dir, 'media'), { recursive: true });
    const count = index.count(options.filter);
    const { rows } = index.query({ filter: options.filter ?? '', limit: count, unbounded: true });
    const thumbs: { [rid: number]: string } = {};
    const media: { [rid: number]: string } = {};
    const extra: { [rid: number]: unknown } = {};
    const thumbDir = join(index.cacheDir, 'thumbs');
    await mkdir(thumbDir, { recursive: true });
    for (const row of rows) {
      extra[row.rid] = index.row(row.rid)?.extra ?? {};
      const file = index.fileOf(row.rid);
      if (file === undefined) continue;
      const thumb = await makeThumbnail(index, thumbDir, row.rid);
      if (thumb) {
        await writeFile(join(dir, 'thumbs', `${row.rid}.webp`), thumb);
        thumbs[row.rid] = `thumbs/${row.rid}.webp`;
      }
      const verdict = await resolveInside(index.root, file.split('/').map(encodeURIComponent).join('/'));
      if (verdict.ok) {
        const name = `${row.rid}${extname(verdict.path).toLowerCase()}`;
        await copyFile(verdict.path, join(dir, 'media', name));
        media[row.rid] = `media/${name}`;
      }
    }
    const meta = {
      kind: index.kind,
      total: rows.length,
      columns: index.columns.filter((c) => c.used).map(({ name, type }) => ({ name, type })),
      groupable: GROUPABLE.filter((g) => index.columns.some((c) => c.name === g && c.used)),
      notes: [...index.notes, 'A static export: filters run in the page over the exported rows.'],
    };
    const data = { meta, rows, extra, thumbs, media };
    // `<` escaped so that no value can close the script element.
    const dataJs = `window.GROWSET_DATA = ${JSON.stringify(data).replace(/</g, '\\u003c')};\n${staticRuntime(await filterSyntaxScript())}`;
    await writeFileAtomic(join(dir, 'data.js'), dataJs);
    await writeFileAtomic(join(dir, 'app.js'), APP_JS);
    await writeFileAtomic(join(dir, 'app.css'), APP_CSS);
    await writeFileAtomic(join(dir, 'unreadable.svg'), UNREADABLE_SVG);
    await writeFileAtomic(join(dir, 'index.html'), pageHtml('', 'data.js'));
    return {
      dir,
      rows: rows.length,
      thumbnails: Object.keys(thumbs).length,
      images: Object.keys(media).length,
    };
  } finally {
    index.close();
  }
}
