import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JsonObject, type Logger, Rng } from '@growset/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ResampleOptions, runAugmentTableJob } from '../src/index.ts';
import { COLUMNAR_METHODS } from '../src/internals/jobs/columnar-path.ts';
import { CONFORMANCE } from './helpers/tables.ts';

let dir: string;
let plain: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-columnar-'));
  // Three classes (one of a single row, copied rather than interpolated), 6-decimal numbers, an
  // integer column, and numbers not written as String() writes them (`+1.50`, `1e3`, `.5`).
  const rng = Rng.create('columnar');
  const lines = ['x0,x1,label,count,x3'];
  const classes: [string, number][] = [
    ['major', 70],
    ['minor', 18],
    ['single', 1],
  ];
  for (const [label, size] of classes) {
    for (let i = 0; i < size; i++) {
      const centre = label === 'major' ? 0 : 0.8;
      const odd =
        ['+1.50', '1e3', '.5', '2.'][rng.int(0, 12)] ?? String(Math.round(rng.normal() * 1e6) / 1e6);
      lines.push(
        [
          String(Math.round((centre + rng.normal()) * 1e6) / 1e6),
          odd,
          label,
          String(rng.int(0, 20)),
          String(centre + rng.normal() * 3),
        ].join(','),
      );
    }
  }
  plain = join(dir, 'plain.csv');
  await writeFile(plain, `${lines.join('\r\n')}\r\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function recorder(): Logger & { debugs: string[]; warnings: string[] } {
  const debugs: string[] = [];
  const warnings: string[] = [];
  return {
    debugs,
    warnings,
    debug: (m) => debugs.push(m),
    info: () => {},
    warn: (m) => warnings.push(m),
    error: () => {},
  };
}

/** The summary and text without wall times. */
function timeless(job: { summary: JsonObject; text: string }): unknown {
  const { wallTimeMs: _w, stages, out, input, ...rest } = job.summary;
  return {
    ...rest,
    out: String(out).replace(/-(columnar|rows)\.csv$/, '.csv'),
    input: String(input).replace(/-blank\.csv$/, '.csv'),
    stages: (stages as JsonObject[]).map(({ timeMs: _t, ...stage }) => stage),
    text: job.text
      .replace(/-(columnar|rows|blank)\.csv/g, '.csv')
      .split('\n')
      // The run summary's last column is the time (its width too).
      .map((line) =>
        /^(stage |-{13} |read-csv |augment-table |write-csv )/.test(line)
          ? line.replace(/\s+\S+\s*$/, '')
          : line,
      ),
  };
}

async function both(input: string, resample: ResampleOptions, name: string) {
  // The row path reads a copy ending in a blank line: not a plain file, so readCsvTable reads it
  // row by row with readCsv too (same rows; a blank line is only counted).
  const rowByRow = input.replace(/\.csv$/, '-blank.csv');
  await writeFile(rowByRow, `${await readFile(input, 'utf8')}\r\n`);
  const run = async (columnar: boolean) => {
    const logger = recorder();
    const out = join(dir, `${name}-${columnar ? 'columnar' : 'rows'}.csv`);
    const job = await runAugmentTableJob(
      { input: columnar ? input : rowByRow, out, label: 'label', resample, seed: 4, columnar },
      { logger },
    );
    return { job, bytes: await readFile(out), logger };
  };
  return { columnar: await run(true), rows: await run(false) };
}

describe('the columnar path of augment-table', () => {
  // Every method the columnar path takes, with the conformance suite's options (all columns).
  const cases: [string, ResampleOptions][] = [
    ...[...COLUMNAR_METHODS].map((method): [string, ResampleOptions] => {
      const { columns: _all, ...options } = CONFORMANCE[method] as ResampleOptions & { columns?: string[] };
      return [method, options as ResampleOptions];
    }),
    ['smote-round', { method: 'smote', k: 3, roundIntegers: true }],
    ['smote-ratio', { method: 'smote', k: 3, strategy: 0.5, standardize: false }],
  ];
  for (const [name, resample] of cases) {
    it(`writes the bytes, counts and report of the row path: ${name}`, async () => {
      const { columnar, rows } = await both(plain, resample, name);
      expect(columnar.logger.debugs.some((m) => m.includes('columnar path'))).toBe(true);
      expect(rows.logger.debugs.some((m) => m.includes('columnar path'))).toBe(false);
      expect(columnar.bytes.equals(rows.bytes)).toBe(true);
      expect(timeless(columnar.job)).toEqual(timeless(rows.job));
      expect(columnar.logger.warnings).toEqual(rows.logger.warnings);
      // The table really was resampled: classes grown, and rows removed by the cleaning ones.
      const stage = (columnar.job.summary.stages as { created: number; filtered: number }[])[1]!;
      expect(stage.created + stage.filtered).toBeGreaterThan(0);
      if (name === 'smoteEnn' || name === 'smoteTomek') expect(stage.filtered).toBeGreaterThan(0);
    });
  }

  it('leaves a file with a missing value to the row path, which quarantines the row', async () => {
    const text = await readFile(plain, 'utf8');
    const input = join(dir, 'missing.csv');
    await writeFile(input, text.replace(/\r\n[^,]+,/, '\r\nNA,'));
    const { columnar, rows } = await both(input, { method: 'smote', k: 3 }, 'missing');
    expect(columnar.logger.debugs.some((m) => m.includes('columnar path'))).toBe(false);
    expect(columnar.bytes.equals(rows.bytes)).toBe(true);
    expect(columnar.job.summary.quarantined).toBe(1);
  });
});
