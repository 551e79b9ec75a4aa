// Build step after tsc: filter-syntax.js is plain JavaScript (the static export ships it to the page
// as is) with hand-written types, so tsc neither emits nor copies it; copy both into dist.
import { copyFileSync } from 'node:fs';

for (const file of ['filter-syntax.js', 'filter-syntax.d.ts'])
  copyFileSync(
    new URL(`../src/internals/${file}`, import.meta.url),
    new URL(`../dist/internals/${file}`, import.meta.url),
  );
