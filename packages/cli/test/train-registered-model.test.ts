import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@growset/core';
import { registerEstimator } from '@growset/train';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { centroidDefinition } from '../../train/test/helpers/centroid.ts';
import { runMain } from './helpers/run-main.ts';

// An estimator registered in the process (as `node --import ./register.js growset train ...`
// does) is a `--model` of `growset train`, with no edit to growset.
let dir: string;

beforeAll(() => {
  registerEstimator(centroidDefinition);
  dir = mkdtempSync(join(tmpdir(), 'growset-registered-model-'));
  const rng = Rng.create('registered-model');
  const rows = ['a,b,label'];
  for (let i = 0; i < 90; i++) {
    const c = i % 3;
    rows.push(`${(c * 3 + rng.normal() * 0.5).toFixed(4)},${(c - rng.normal() * 0.5).toFixed(4)},k${c}`);
  }
  writeFileSync(join(dir, 'table.csv'), `${rows.join('\n')}\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('growset train --model NAME trains an estimator registered with registerEstimator', async () => {
  const run = await runMain(['train', 'table.csv', '--model', 'test-centroid', '--seed', '1', '--json'], dir);
  expect(run.code, run.stderr).toBe(0);
  const summary = run.json();
  expect(summary.model).toBe('test-centroid');
  expect(summary.spec).toEqual({ model: 'test-centroid', temperature: 1 });
  expect(summary.test.accuracy).toBeGreaterThan(0.8);
});

it('lists registered models beside the built-in ones when --model is unknown', async () => {
  const run = await runMain(['train', 'table.csv', '--model', 'forest'], dir);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/expected one of mlp, cnn, logistic, knn, majority, test-centroid/);
});
