#!/usr/bin/env node
// Runs the TypeScript sources through tsx's loader, so `npx growset` works in a fresh clone
// right after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
