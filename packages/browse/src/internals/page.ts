/**
 * The browse page: one HTML shell, one script and one stylesheet, all served by the browse server
 * itself (the Content-Security-Policy allows nothing else). The view lives in the URL query.
 */

export function pageHtml(base: string, dataScript?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>growset browse</title>
<link rel="stylesheet" href="${base}app.css">
</head>
<body>
<header>
  <a class="brand" href="?">growset browse</a>
  <input data-testid="filter" id="filter" type="search" spellcheck="false" autocomplete="off"
    placeholder="filter: label = 3, width >= 20 and label in (1, 7), reason = &quot;truncated image&quot;, or text">
  <label>group <select id="group"><option value="">none</option></select></label>
  <span data-testid="count" id="count"></span>
</header>
<div id="error" role="alert" hidden></div>
<div id="notes"></div>
<main>
  <aside id="facets" aria-label="Facets"></aside>
  <section id="content"></section>
</main>
${dataScript ? `<script src="${dataScript}"></script>\n` : ''}<script src="${base}app.js"></script>
</body>
</html>
`;
}

export const APP_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, sans-serif; color: #1d2330; background: #f6f7f9; }
header { position: sticky; top: 0; z-index: 2; display: flex; gap: 12px; align-items: center; padding: 8px 12px; background: #1d2330; color: #fff; }
header .brand { color: #fff; font-weight: 600; text-decoration: none; white-space: nowrap; }
header .report { color: #c8d7fb; white-space: nowrap; }
#filter { flex: 1; min-width: 200px; padding: 6px 8px; border: 1px solid #4a5368; border-radius: 4px; font: 13px ui-monospace, monospace; }
#count { white-space: nowrap; font-variant-numeric: tabular-nums; }
#error { margin: 8px 12px; padding: 6px 10px; background: #fde8e8; color: #8a1c1c; border-radius: 4px; }
#notes p { margin: 8px 12px; padding: 6px 10px; background: #fff6db; border-radius: 4px; }
main { display: flex; align-items: flex-start; }
aside { width: 220px; flex: none; padding: 8px 12px; position: sticky; top: 48px; max-height: calc(100vh - 48px); overflow: auto; }
aside h3 { margin: 10px 0 4px; font-size: 12px; text-transform: uppercase; color: #5b6478; }
aside button { display: flex; width: 100%; justify-content: space-between; gap: 6px; border: 0; background: none; padding: 2px 4px; cursor: pointer; text-align: left; font: inherit; border-radius: 3px; }
aside button:hover { background: #e3e7ef; }
aside button span:first-child { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
aside .n { color: #5b6478; font-variant-numeric: tabular-nums; }
section#content { flex: 1; min-width: 0; padding: 8px 12px 24px 0; }
table { border-collapse: collapse; background: #fff; width: 100%; }
th, td { border-bottom: 1px solid #e3e7ef; padding: 4px 6px; text-align: left; vertical-align: middle; max-width: 260px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
th { position: sticky; top: 48px; background: #eef1f6; cursor: pointer; user-select: none; z-index: 1; }
th .dir { color: #2b62d9; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:hover { background: #f0f4ff; cursor: pointer; }
td.thumb { width: 60px; height: 60px; padding: 2px; }
td.thumb img { display: block; max-width: 56px; max-height: 56px; image-rendering: auto; }
.reason { color: #8a1c1c; }
.more { margin: 10px 0; }
button.link { border: 1px solid #c5ccda; background: #fff; padding: 4px 10px; border-radius: 4px; cursor: pointer; font: inherit; }
.groups { margin-bottom: 10px; }
.groups table { width: auto; }
.sample { display: grid; grid-template-columns: minmax(0, 1fr) 360px; gap: 16px; }
.figure { position: relative; justify-self: start; align-self: start; background: #fff; border: 1px solid #e3e7ef; line-height: 0; }
.figure img { display: block; max-width: 100%; height: auto; image-rendering: pixelated; }
.figure svg { position: absolute; inset: 0; width: 100%; height: 100%; }
.details table td:first-child { color: #5b6478; width: 90px; }
.details td { white-space: normal; word-break: break-word; }
.lineage { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 12px; }
.lineage a { display: block; width: 150px; padding: 6px; background: #fff; border: 1px solid #e3e7ef; border-radius: 4px; color: inherit; text-decoration: none; font-size: 12px; }
.lineage a.current { border-color: #2b62d9; box-shadow: 0 0 0 2px #c8d7fb; }
.lineage a.original { border-color: #2f8a4c; }
.lineage img { display: block; max-width: 96px; max-height: 96px; margin-bottom: 4px; }
.lineage .ops { color: #5b6478; white-space: normal; word-break: break-word; }
pre { white-space: pre-wrap; word-break: break-word; background: #fff; border: 1px solid #e3e7ef; padding: 8px; font-size: 12px; }
`;

// The client script. Plain browser JavaScript, kept free of backticks so it can live in this string.
export const APP_JS = String.raw`
(function () {
  'use strict';
  var stat = window.GROWSET_STATIC;
  var PAGE = 100;
  var meta = null;
  var state = { q: '', sort: [], group: '', sample: '', offset: 0 };
  var shown = [];
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (attrs[k] === undefined || attrs[k] === null) continue;
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'class') node.className = attrs[k];
      else if (k.indexOf('on') === 0) node.addEventListener(k.slice(2), attrs[k]);
      else node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function readUrl() {
    var p = new URLSearchParams(location.search);
    state.q = p.get('q') || '';
    state.sort = (p.get('sort') || '').split(',').filter(Boolean);
    state.group = p.get('group') || '';
    state.sample = p.get('sample') || '';
  }
  function writeUrl(push) {
    var p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    if (state.sort.length) p.set('sort', state.sort.join(','));
    if (state.group) p.set('group', state.group);
    if (state.sample) p.set('sample', state.sample);
    var s = p.toString();
    var url = location.pathname + (s ? '?' + s : '');
    if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
  }
  function api(path, params) {
    if (stat) return Promise.resolve(stat.answer(path, params));
    var qs = new URLSearchParams(params || {}).toString();
    return fetch(path + (qs ? '?' + qs : '')).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(body.error || r.statusText);
        return body;
      });
    });
  }
  function thumbUrl(rid) { return stat ? stat.thumb(rid) : '/thumb/' + rid; }
  function mediaUrl(rid) { return stat ? stat.media(rid) : '/media/' + rid; }
  function showError(message) {
    var box = $('error');
    box.hidden = !message;
    box.textContent = message || '';
  }
  function fmt(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3);
    return String(v);
  }
  function quote(v) { return /^[A-Za-z0-9_.\/-]+$/.test(v) && !/^(and|or|not|in|is|null|contains)$/i.test(v) ? v : '"' + String(v).replace(/["\\]/g, '\\$&') + '"'; }
  function addFilter(clause) {
    state.q = state.q.trim() ? '(' + state.q.trim() + ') and ' + clause : clause;
    $('filter').value = state.q;
    state.sample = '';
    writeUrl(true);
    render();
  }

  var gridColumns = function () {
    var skip = { file: 1, depth: 1 };
    return meta.columns.filter(function (c) { return !skip[c.name]; });
  };

  function renderFacets() {
    return api('/api/facets', { q: state.q }).then(function (body) {
      var aside = $('facets');
      aside.textContent = '';
      Object.keys(body.facets).forEach(function (name) {
        var values = body.facets[name];
        if (!values.length || (values.length === 1 && values[0].value === null)) return;
        aside.appendChild(el('h3', { text: name }));
        values.forEach(function (f) {
          aside.appendChild(el('button', {
            type: 'button', 'data-testid': 'facet', title: name + ' = ' + f.value,
            onclick: function () { addFilter(f.value === null ? name + ' is null' : name + ' = ' + quote(f.value)); }
          }, [el('span', { text: f.value === null ? '(none)' : f.value }), el('span', { class: 'n', text: String(f.count) })]));
        });
      });
    });
  }

  function headerCell(c) {
    var at = -1, desc = false;
    state.sort.forEach(function (s, i) { if (s === c.name || s === '-' + c.name) { at = i; desc = s[0] === '-'; } });
    return el('th', {
      'data-column': c.name,
      title: 'click to sort, shift-click to add a sort key',
      onclick: function (e) {
        ask();
        var key = at >= 0 && !desc ? '-' + c.name : c.name;
        if (e.shiftKey) {
          var rest = state.sort.filter(function (s) { return s !== c.name && s !== '-' + c.name; });
          state.sort = at >= 0 ? state.sort.map(function (s) { return s === c.name || s === '-' + c.name ? key : s; }) : rest.concat([key]);
        } else state.sort = [key];
        writeUrl(true);
        renderGrid(false);
      }
    }, [c.name, at >= 0 ? el('span', { class: 'dir', text: (desc ? ' \u25bc' : ' \u25b2') + (state.sort.length > 1 ? at + 1 : '') }) : null]);
  }

  function rowNode(row) {
    var cols = gridColumns();
    var cells = [el('td', { class: 'thumb', 'data-testid': 'cell', 'data-column': 'image' }, [
      row.file ? el('img', { src: thumbUrl(row.rid), alt: row.id, loading: 'lazy', width: null }) : null
    ])];
    cols.forEach(function (c) {
      cells.push(el('td', {
        'data-testid': 'cell', 'data-column': c.name,
        class: (c.type === 'number' ? 'num' : '') + (c.name === 'reason' ? ' reason' : ''),
        title: fmt(row[c.name]), text: fmt(row[c.name])
      }));
    });
    return el('tr', { 'data-rid': String(row.rid), onclick: function () { openSample(row.rid); } }, cells);
  }

  function renderGrid(append) {
    if (!append) state.offset = 0;
    var started = performance.now();
    return api('/api/rows', { q: state.q, sort: state.sort.join(','), offset: String(state.offset), limit: String(PAGE) }).then(function (body) {
      showError('');
      var content = $('content');
      if (!append) {
        content.textContent = '';
        shown = [];
        if (state.group) content.appendChild(el('div', { class: 'groups', id: 'groups' }));
        var cols = gridColumns();
        content.appendChild(el('table', { 'data-testid': 'grid', id: 'grid' }, [
          el('thead', null, [el('tr', null, [el('th', { text: '' })].concat(cols.map(headerCell)))]),
          el('tbody', { id: 'rows' })
        ]));
        content.appendChild(el('div', { class: 'more', id: 'more' }));
      }
      var tbody = $('rows');
      body.rows.forEach(function (r) { shown.push(r); tbody.appendChild(rowNode(r)); });
      $('count').textContent = body.count.toLocaleString('en') + ' of ' + body.total.toLocaleString('en') + ' samples';
      $('count').setAttribute('data-count', String(body.count));
      var more = $('more');
      more.textContent = '';
      if (shown.length < body.count) {
        more.appendChild(el('button', { class: 'link', type: 'button', text: 'show ' + Math.min(PAGE, body.count - shown.length) + ' more',
          onclick: function () { state.offset = shown.length; renderGrid(true); } }));
      }
      document.body.setAttribute('data-ms', String(Math.round(performance.now() - started)));
      if (!append) painted();
      if (!append && state.group) renderGroups();
      if (!append && meta.confusion) renderConfusion();
    }, function (e) { showError(e.message); });
  }

  function renderGroups() {
    return api('/api/groups', { by: state.group, q: state.q }).then(function (body) {
      var box = $('groups');
      if (!box) return;
      box.appendChild(el('table', { 'data-testid': 'groups' }, [
        el('thead', null, [el('tr', null, [el('th', { text: state.group }), el('th', { text: 'samples' })])]),
        el('tbody', null, body.groups.map(function (g) {
          return el('tr', { onclick: function () { addFilter(g.value === null ? state.group + ' is null' : state.group + ' = ' + quote(g.value)); } },
            [el('td', { text: g.value === null ? '(none)' : g.value }), el('td', { class: 'num', text: String(g.count) })]);
        }))
      ]));
    });
  }

  function renderConfusion() {
    return api('/api/confusion', { q: '' }).then(function (body) {
      var cells = body.cells || [];
      var labels = [], seen = {};
      cells.forEach(function (c) { [c.label, c.predicted].forEach(function (v) { if (!seen[v]) { seen[v] = 1; labels.push(v); } }); });
      labels.sort();
      var at = {};
      cells.forEach(function (c) { at[c.label + '\u0000' + c.predicted] = c.count; });
      var box = el('div', { class: 'groups', 'data-testid': 'confusion' }, [el('h3', { text: 'Confusion (true label \u00d7 most common prediction); click a cell for its samples' })]);
      box.appendChild(el('table', null, [
        el('thead', null, [el('tr', null, [el('th', { text: 'true \\ predicted' })].concat(labels.map(function (l) { return el('th', { text: l }); })))]),
        el('tbody', null, labels.map(function (t) {
          return el('tr', null, [el('th', { text: t })].concat(labels.map(function (p) {
            var n = at[t + '\u0000' + p] || 0;
            return el('td', { class: 'num' + (t === p ? '' : ' reason'), 'data-cell': t + '>' + p, text: n ? String(n) : '',
              onclick: n ? function () { addFilter('label = ' + quote(t) + ' and predicted = ' + quote(p)); } : null });
          })));
        }))
      ]));
      var content = $('content');
      content.insertBefore(box, content.firstChild);
    });
  }

  function openSample(rid) {
    state.sample = String(rid);
    writeUrl(true);
    render();
  }

  function overlay(row, img) {
    var m = (row.extra && row.extra.meta) || {};
    var w = row.width || img.naturalWidth, h = row.height || img.naturalHeight;
    if (!w || !h) return null;
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('data-testid', 'overlay');
    var add = function (tag, attrs) {
      var n = document.createElementNS(ns, tag);
      for (var k in attrs) n.setAttribute(k, attrs[k]);
      svg.appendChild(n);
      return n;
    };
    (m.boxes || []).forEach(function (b) {
      var x = b.x !== undefined ? b.x : b[0], y = b.y !== undefined ? b.y : b[1];
      var bw = b.width !== undefined ? b.width : b.w !== undefined ? b.w : b[2], bh = b.height !== undefined ? b.height : b.h !== undefined ? b.h : b[3];
      add('rect', { x: x, y: y, width: bw, height: bh, fill: 'none', stroke: '#ff3b30', 'stroke-width': Math.max(1, w / 200), 'vector-effect': 'non-scaling-stroke' });
    });
    (m.keypoints || []).forEach(function (k) {
      var x = k.x !== undefined ? k.x : k[0], y = k.y !== undefined ? k.y : k[1];
      add('circle', { cx: x, cy: y, r: Math.max(0.5, w / 60), fill: '#34c759', stroke: '#fff', 'stroke-width': Math.max(0.2, w / 300) });
    });
    (m.polygons || (m.mask && m.mask.polygons) || []).forEach(function (p) {
      add('polygon', { points: p.map(function (pt) { return pt.join(','); }).join(' '), fill: 'rgba(43,98,217,0.3)', stroke: '#2b62d9' });
    });
    return svg.childNodes.length ? svg : null;
  }

  function renderSample() {
    return api('/api/sample/' + state.sample, {}).then(function (body) {
      var row = body.row;
      var content = $('content');
      content.textContent = '';
      $('count').textContent = 'sample ' + row.id;
      var figure = el('div', { class: 'figure' });
      if (row.file) {
        var img = el('img', { src: mediaUrl(row.rid), alt: row.id, 'data-testid': 'full-image' });
        img.addEventListener('load', function () {
          // Small images are scaled up (pixelated) to a readable size; the overlay follows the image box.
          var scale = Math.max(1, Math.min(640 / img.naturalWidth, 420 / img.naturalHeight));
          img.style.width = Math.round(img.naturalWidth * scale) + 'px';
          var svg = overlay(row, img);
          if (svg) figure.appendChild(svg);
        });
        figure.appendChild(img);
      }
      var rows = meta.columns.map(function (c) {
        var v = row[c.name];
        return v === null || v === undefined ? null : el('tr', null, [el('td', { text: c.name }), el('td', { text: fmt(v) })]);
      });
      var details = el('div', { class: 'details' }, [
        el('table', { 'data-testid': 'details' }, [el('tbody', null, rows)]),
        row.extra.quarantine ? el('h3', { text: 'Quarantine' }) : null,
        row.extra.quarantine ? el('pre', { 'data-testid': 'quarantine', text: JSON.stringify(row.extra.quarantine, null, 2) }) : null,
        row.extra.meta && row.extra.meta.suspiciousLabel ? el('h3', { text: 'Label issue' }) : null,
        row.extra.meta && row.extra.meta.suspiciousLabel ? el('pre', { text: JSON.stringify(row.extra.meta.suspiciousLabel, null, 2) }) : null,
        row.extra.wrongByVariant ? el('h3', { text: 'Wrong, by variant' }) : null,
        row.extra.wrongByVariant ? el('pre', { text: JSON.stringify(row.extra.wrongByVariant, null, 2) }) : null,
        row.extra.trial ? el('pre', { text: JSON.stringify(row.extra.trial, null, 2) }) : null
      ]);
      var lineage = el('div', { class: 'lineage', 'data-testid': 'lineage' }, body.family.map(function (f) {
        return el('a', {
          href: '?sample=' + f.rid, 'data-rid': String(f.rid),
          class: (String(f.rid) === String(row.rid) ? 'current ' : '') + (f.depth ? '' : 'original'),
          onclick: function (e) { e.preventDefault(); openSample(f.rid); }
        }, [f.file ? el('img', { src: thumbUrl(f.rid), alt: f.id }) : null, el('div', { text: f.id }),
          el('div', { class: 'ops', text: f.depth ? f.ops : 'original' })]);
      }));
      content.appendChild(el('p', null, [el('button', { class: 'link', type: 'button', text: '\u2190 back to the grid',
        onclick: function () { state.sample = ''; writeUrl(true); render(); } })]));
      content.appendChild(el('div', { class: 'sample' }, [figure, details]));
      content.appendChild(el('h3', { text: 'Lineage: ' + (row.root || row.id) + ' and ' + Math.max(0, body.family.length - 1) + ' derived' }));
      content.appendChild(lineage);
    }, function (e) { showError(e.message); });
  }

  // A query's time as a person sees it: from the key that asked for it to the first frame painted
  // with its rows (data-query-ms on <body>, data-query-seq counts answered queries).
  var asked = 0, answered = 0;
  function ask() { asked = performance.now(); }
  function painted() {
    if (!asked) return;
    var from = asked;
    asked = 0;
    requestAnimationFrame(function () {
      setTimeout(function () {
        answered += 1;
        document.body.setAttribute('data-query-ms', String(Math.round(performance.now() - from)));
        document.body.setAttribute('data-query-seq', String(answered));
      }, 0);
    });
  }

  function render() {
    $('filter').value = state.q;
    $('group').value = state.group;
    // Rows first, facets once they are on screen: the server answers one query at a time, and a
    // facet count over every row must not hold up the grid a person waits for.
    var main = state.sample ? renderSample() : renderGrid(false);
    return main.then(function () { renderFacets().catch(function (e) { showError(e.message); }); });
  }

  function start() {
    readUrl();
    api('/api/meta', {}).then(function (m) {
      meta = m;
      m.groupable.forEach(function (g) { $('group').appendChild(el('option', { value: g, text: g })); });
      if (m.report) $('count').parentNode.appendChild(el('a', { class: 'report', href: '/report.html', 'data-testid': 'report-link', text: 'report' }));
      var notes = $('notes');
      m.notes.forEach(function (n) { notes.appendChild(el('p', { text: n })); });
      var timer = null;
      $('filter').addEventListener('input', function () {
        clearTimeout(timer);
        timer = setTimeout(function () { ask(); state.q = $('filter').value; state.sample = ''; writeUrl(false); render(); }, 200);
      });
      $('filter').addEventListener('keydown', function (e) {
        if (e.key === 'Enter') { ask(); clearTimeout(timer); state.q = $('filter').value; state.sample = ''; writeUrl(true); render(); }
      });
      $('group').addEventListener('change', function () { state.group = $('group').value; writeUrl(true); render(); });
      window.addEventListener('popstate', function () { readUrl(); render(); });
      render();
    }, function (e) { showError(e.message); });
  }
  start();
})();
`;
