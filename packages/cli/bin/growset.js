#!/usr/bin/env node
// The `growset` command: runs the built CLI (dist/), with no TypeScript loader.
// In the growset repository, where the TypeScript sources sit beside this file (the published
// package holds only bin/ and dist/), it runs the sources instead when nothing is built yet or
// when GROWSET_SOURCE=1 (the tests set it): through tsx, a development dependency of the
// repository, with growset's packages resolved to their sources (`@growset/source` condition).
import { existsSync } from 'node:fs';

const built = new URL('../dist/main.js', import.meta.url);
const source = new URL('../src/main.ts', import.meta.url);
const fromSource = existsSync(source) && (process.env.GROWSET_SOURCE === '1' || !existsSync(built));
if (fromSource) {
  const { register } = await import('node:module');
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  // Registered last, so it runs first: every resolution (tsx's too) sees the condition.
  const hook =
    'export const resolve = (specifier, context, next) => next(specifier, ' +
    "{ ...context, conditions: ['@growset/source', ...context.conditions] });";
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  process.env.GROWSET_SOURCE = '1';
}
const { main } = await import(fromSource ? source.href : built.href);
process.exitCode = await main(process.argv.slice(2));
