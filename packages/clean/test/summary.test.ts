import { pipeline } from '@growset/core';
import { DIRTY_PENGUINS_CSV } from '@growset/fixtures';
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
