import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from '@growset/core';
import { DIRTY_PENGUINS_CSV, DIRTY_PENGUINS_DEFECTS } from '@growset/fixtures';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  cleaningSummary,
  dedupeRows,
  dropMissing,
  impute,
  normalizeLabels,
  readCsv,
  validate,
} from '../src/index.ts';
import { tempDir } from './helpers.ts';

type RunGrowset = (
  argv: string[],
  options: { cwd: string },
) => Promise<{ code: number; stdout: string; stderr: string }>;

// Loaded by name so that this package's type check does not walk every command's package.
const cliModule = '@growset/cli';
const { runGrowset } = (await import(cliModule)) as { runGrowset: RunGrowset };

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runGrowset(argv, { cwd });
  return { code, stdout, stderr };
}

const lastJson = (stdout: string) =>
  JSON.parse(stdout.trim().split('\n').pop()!) as { [key: string]: unknown };

describe('cleaning summary', () => {
  it('adds up per stage and gathers missing rates, invalid cells, imputations and duplicates per column', async () => {
    const source = readCsv(DIRTY_PENGUINS_CSV, { label: 'species' });
    const stages = [
      validate(
        z.object({
          island: z.string(),
          bill_length_mm: z.number().nullable(),
          bill_depth_mm: z.number().nullable(),
          flipper_length_mm: z.number().nullable(),
          body_mass_g: z.number().nullable(),
          sex: z.string().nullable(),
        }),
      ),
      normalizeLabels<never>(),
      dedupeRows(),
      dropMissing({ columns: ['bill_length_mm'] }),
      impute(),
    ] as const;
    const run = await pipeline(source, ...stages).run({ name: 'penguins' });
    const summary = cleaningSummary(run, [source, ...stages]);
    expect(summary.totals).toEqual({ in: 55, out: 47, filtered: 3, quarantined: 5, created: 0 });
    expect(summary.totals.in).toBe(summary.totals.out + summary.totals.filtered + summary.totals.quarantined);
    expect(summary.rows).toBe(52);
    expect(summary.columns.sex).toEqual({
      missing: 5,
      missingRate: 5 / 52,
      imputed: 4,
      invalid: 0,
      outliers: 0,
    });
    expect(summary.columns.bill_length_mm).toMatchObject({ missing: 1, invalid: 1 });
    expect(summary.duplicates).toMatchObject({ exact: 3, near: 0, conflictingLabels: 1 });
    expect(summary.duplicates.groups.map((g) => g.kept)).toEqual([
      'penguins-dirty.csv#3',
      'penguins-dirty.csv#5',
      'penguins-dirty.csv#39',
    ]);
    expect(summary.labels.classes).toEqual({ Adelie: 25, Gentoo: 14, Chinstrap: 12 });
    expect(summary.reasons[0]).toEqual({
      stage: 'dedupe-rows',
      outcome: 'filtered',
      reason: 'duplicate',
      count: 2,
    });
    expect(summary.reports.map((r) => r.kind)).toEqual([
      'csv',
      'validate',
      'labels',
      'dedupe-rows',
      'drop-missing',
      'impute',
    ]);
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });
});

describe('growset clean-csv', () => {
  it('writes clean rows, one quarantine line per rejected input and the summary, with every fixture defect', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const { code, stdout } = await cli(
        ['clean-csv', DIRTY_PENGUINS_CSV, '--out', 'out', '--infer', '--label', 'species', '--json'],
        dir,
      );
      expect(code).toBe(0);
      const result = lastJson(stdout);
      expect(result).toMatchObject({
        ok: true,
        command: 'clean-csv',
        in: 55,
        out: 48,
        filtered: 2,
        quarantined: 5,
      });
      const quarantine = (await readFile(join(dir, 'out/quarantine.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { reason: string; source: { line: number } });
      expect(quarantine).toHaveLength(5);
      const byLine = new Map(quarantine.map((r) => [r.source.line, r.reason]));
      for (const defect of DIRTY_PENGUINS_DEFECTS.filter((d) => d.outcome === 'quarantined')) {
        expect([defect.where, byLine.get(defect.where as number)]).toEqual([defect.where, defect.reason]);
      }
      const clean = (await readFile(join(dir, 'out/clean.csv'), 'utf8')).trim().split('\n');
      expect(clean[0]).toBe('island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,species');
      expect(clean).toHaveLength(49);
      expect(await readFile(join(dir, 'out/schema.ts'), 'utf8')).toContain(
        'export const schema = z.object({',
      );
      const summary = JSON.parse(await readFile(join(dir, 'out/cleaning-summary.json'), 'utf8'));
      expect(summary.totals).toEqual({ in: 55, out: 48, filtered: 2, quarantined: 5, created: 0 });
    } finally {
      await cleanup();
    }
  });

  it('validates with a schema module and imputes, and exits 2 with one line on bad usage', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(
        join(dir, 'schema.ts'),
        "import { z } from 'zod';\nexport const rows = z.object({ island: z.string(), bill_length_mm: z.number().nullable(), bill_depth_mm: z.number().nullable(), flipper_length_mm: z.number().nullable(), body_mass_g: z.number().nullable(), sex: z.enum(['MALE', 'FEMALE']).nullable() });\n",
      );
      const ok = await cli(
        [
          'clean-csv',
          DIRTY_PENGUINS_CSV,
          '--out',
          'o',
          '--schema',
          'schema.ts#rows',
          '--label',
          'species',
          '--impute',
          'median',
          '--json',
        ],
        dir,
      );
      expect(ok.code).toBe(0);
      const summary = JSON.parse(await readFile(join(dir, 'o/cleaning-summary.json'), 'utf8'));
      expect(summary.columns.sex.imputed).toBe(5);
      const bad = [
        [
          ['clean-csv', DIRTY_PENGUINS_CSV, '--out', 'o', '--label', 'kind'],
          /--label: column `kind` is not in/,
        ],
        [['clean-csv', 'missing.csv', '--out', 'o'], /CSV file not found/],
        [['clean-csv', DIRTY_PENGUINS_CSV], /Missing `--out <dir>`/],
        [
          ['clean-csv', DIRTY_PENGUINS_CSV, '--out', 'o', '--impute', 'average'],
          /one of mean, median, mode, none/,
        ],
        [
          ['clean-csv', DIRTY_PENGUINS_CSV, '--out', 'o', '--schema', 'schema.ts#nope'],
          /no zod schema export `nope`/,
        ],
        [
          ['clean-csv', DIRTY_PENGUINS_CSV, '--out', 'o', '--infer', '--schema', 'schema.ts'],
          /either `--schema` or `--infer`/,
        ],
      ] as const;
      for (const [argv, message] of bad) {
        const result = await cli([...argv], dir);
        expect(result.code).toBe(2);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toMatch(message);
      }
    } finally {
      await cleanup();
    }
  });
});
