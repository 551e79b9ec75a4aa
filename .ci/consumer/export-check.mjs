// Checks a static site written by the installed `growset browse --export` (run by .ci/consumer/run):
// its files are there, and its data.js, run as the page runs it, answers the filter language with
// the parser the package ships (filter-syntax.js, copied into dist/ at build time).
// Usage: node export-check.mjs SITE_DIR SUMMARY_JSON
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';

const [site, summaryJson] = process.argv.slice(2);
const summary = JSON.parse(summaryJson);
assert.equal(summary.ok, true, summaryJson);
assert.equal(summary.rows, 3, 'rows matching --filter `label = a`');
for (const file of ['index.html', 'app.js', 'app.css', 'data.js'])
  assert.ok((await stat(join(site, file))).size > 0, `${file} written`);
const html = await readFile(join(site, 'index.html'), 'utf8');
assert.match(html, /<script src="data\.js"><\/script>/);
assert.doesNotMatch(html, /https?:\/\//, 'the page loads nothing from the network');

// data.js is a classic script for a page opened from disk: run it with a `window` of its own.
const window = {};
runInNewContext(await readFile(join(site, 'data.js'), 'utf8'), { window });
const page = window.GROWSET_STATIC;
// Arrays made in the page's context: copied into this one to compare.
const ids = (q) => Array.from(page.answer('/api/rows', { q }).rows, (r) => r.id);
assert.deepEqual(ids(''), ['r1', 'r3', 'r5']);
assert.deepEqual(ids('x >= 3 and id in (r3, r5)'), ['r3', 'r5']);
assert.deepEqual(ids('not (x > 4) or id = "r5"'), ['r1', 'r3', 'r5']);
assert.deepEqual(ids('r5'), ['r5']);
assert.throws(() => ids('x >= '), { name: 'FilterSyntaxError' });
console.log(`export check: ${summary.rows} rows; the page's filter parser answers from data.js`);
