import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeRawAsPng } from '@growset/core';
import { loadVegaDataset } from '@growset/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Train's own synthetic data generators (Gaussian blobs, tiny images), shared rather than copied.
import { blobs, tinyImages } from '../../train/test/helpers/data.ts';
import { runGrowset } from '../src/index.ts';

const bin = fileURLToPath(new URL('../bin/growset.js', import.meta.url));
let dir: string;

/** Runs `growset train` in this process (the CLI's own `main`, its output captured). */
async function growset(...args: string[]) {
  return runGrowset(['train', ...args], { cwd: dir });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'growset-train-cli-'));
  const data = blobs(120, 3, 3, 'cli', 0.8);
  const rows = ['width,height,depth,species'];
  for (let i = 0; i < 120; i++) {
    // Features on very different scales: standardization matters.
    rows.push(
      `${data.x[i * 3]! * 1000},${data.x[i * 3 + 1]!},${data.x[i * 3 + 2]! * 0.001},${data.classes[data.y[i]!]}`,
    );
  }
  rows.push('1,2,oops,c0');
  rows.push('1,2,3');
  writeFileSync(join(dir, 'table.csv'), `${rows.join('\n')}\n`);
  const images = tinyImages(36, 8, 'cli');
  for (let i = 0; i < 36; i++) {
    const folder = join(dir, 'images', images.classes[images.y[i]!]!);
    mkdirSync(folder, { recursive: true });
    const pixels = Uint8Array.from(images.x.subarray(i * 64, (i + 1) * 64), (v) =>
      Math.max(0, Math.min(255, Math.round(v * 255))),
    );
    writeFileSync(
      join(folder, `${i}.png`),
      await encodeRawAsPng({ kind: 'raw', data: pixels, width: 8, height: 8, channels: 1, dtype: 'uint8' }),
    );
  }
  writeFileSync(join(dir, 'images', 'top', 'broken.png'), Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('growset train', () => {
  it('runs as the installed binary: trains on a CSV and prints backend, samples/s and train/test metrics as JSON, naming skipped rows', () => {
    const run = spawnSync(
      process.execPath,
      [
        bin,
        'train',
        'table.csv',
        '--label',
        'species',
        '--model',
        'logistic',
        '--epochs',
        '30',
        '--seed',
        '1',
        '--json',
      ],
      {
        encoding: 'utf8',
        cwd: dir,
        timeout: 120_000,
        // Pinned, so the expected backend holds whether or not tfjs-node is installed.
        env: { ...process.env, GROWSET_BACKEND: 'wasm' },
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]!);
    expect(summary).toMatchObject({
      ok: true,
      command: 'train',
      backend: 'wasm',
      model: 'logistic',
      kind: 'csv',
    });
    expect(summary.samplesPerSecond).toBeGreaterThan(0);
    expect(summary.samples).toEqual({ total: 120, train: 96, test: 24, skipped: 2 });
    expect(summary.skipped.map((s: { where: string }) => s.where)).toEqual(
      ['table.csv line 122', 'table.csv line 123'].map((w) => join(dir, w)),
    );
    expect(summary.skipped[0].reason).toMatch(/invalid value: depth.*oops/);
    expect(summary.skipped[1].reason).toMatch(/ragged row: expected 4 fields/);
    expect(summary.test.accuracy).toBeGreaterThan(0.8);
    expect(summary.test.confusion).toHaveLength(3);
    expect(run.stderr).toMatch(/Backend: wasm/);
  });

  it('trains a cnn on an ImageFolder and skips an undecodable image with its reason', async () => {
    const run = await growset(
      'images',
      '--model',
      'cnn',
      '--conv',
      '4',
      '--epochs',
      '15',
      '--batch',
      '8',
      '--learning-rate',
      '0.01',
      '--seed',
      '2',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Backend: wasm$/m);
    expect(run.stdout).toMatch(/36 samples \(images, features \[8, 8, 1\], 3 classes\), 1 skipped/);
    expect(run.stdout).toMatch(/Skipped .*broken\.png: undecodable image/);
    expect(run.stdout).toMatch(/samples\/s/);
    expect(run.stdout).toMatch(/^test\s+\d\.\d{4}/m);
  });

  it('trains on the penguins table as a study reads it: categorical columns one-hot, missing values imputed', async () => {
    const rows = await loadVegaDataset('penguins');
    const columns = Object.keys(rows[0]!);
    const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    writeFileSync(
      join(dir, 'penguins.csv'),
      `${[columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n')}\n`,
    );
    const run = await growset('penguins.csv', '--label', 'Species', '--model', 'knn', '--json');
    expect(run.code, run.stderr).toBe(0);
    const summary = run.json();
    // 344 penguins: the one whose Sex is `.` is quarantined by the inferred schema, as in a study.
    expect(summary.samples.total + summary.samples.skipped).toBe(rows.length);
    expect(summary.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(summary.skipped[0].reason).toMatch(/Sex/);
    expect(summary.test.accuracy).toBeGreaterThan(0.9);
  });

  it('exits 2 with one clear line on bad usage, 1 on bad data', async () => {
    const unknown = await growset('table.csv', '--model', 'forest');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toMatch(
      /^growset train: Unknown --model `forest`: expected one of mlp, cnn, logistic, knn, majority/,
    );
    const missing = await growset('nope.csv', '--json');
    expect(missing.code).toBe(2);
    expect(missing.json()).toMatchObject({ ok: false, error: { code: 'ERR_USAGE' } });
    const epochs = await growset('table.csv', '--label', 'species', '--model', 'knn', '--epochs', '3');
    expect(epochs.code).toBe(2);
    expect(epochs.stderr).toMatch(/--epochs applies to --model mlp, cnn, logistic, not knn/);
    const hidden = await growset('table.csv', '--label', 'species', '--hidden', '12,x');
    expect(hidden.code).toBe(2);
    expect(hidden.stderr).toMatch(/`--hidden` to be positive integers/);
    // A --label naming no column is bad usage (exit 2), as with `growset study`.
    const label = await growset('table.csv', '--label', 'kind');
    expect(label.code).toBe(2);
    expect(label.stderr).toMatch(/`label`.*columns: width, height, depth, species.*kind/);
  });
});
