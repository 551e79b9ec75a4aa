import { fromIterable, MemoryQuarantine, OptionsError, pipeline, type TabularSample } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { augmentTable, type ResampleReport } from '../src/index.ts';
import { makeTable } from './helpers/tables.ts';

function withProblems(): TabularSample[] {
  const table = makeTable({ classes: { A: 30, B: 10 } });
  const broken = (id: string, values: TabularSample['payload']['values'], label?: string): TabularSample => ({
    id,
    ...(label === undefined ? {} : { label }),
    payload: { kind: 'tabular', values },
    source: { file: 'table.csv', row: 90 },
    lineage: [],
  });
  return [
    ...table,
    broken('bad-missing', { x0: 1, x1: null, x2: 3 }, 'B'),
    broken('bad-text', { x0: 1, x1: 'seven', x2: 3 }, 'A'),
    broken('bad-label', { x0: 1, x1: 2, x2: 3 }),
  ];
}

describe('augmentTable stage', () => {
  it('quarantines unusable rows with their column, resamples the rest, and the counts add up', async () => {
    const quarantine = new MemoryQuarantine();
    let report: ResampleReport | undefined;
    const { items, summary } = await pipeline(
      fromIterable('rows', withProblems()),
      augmentTable({ method: 'smote', k: 3, onReport: (r) => (report = r) }),
    ).collect({ seed: 4, quarantine });
    expect(summary.ok).toBe(true);
    const stage = summary.stages[1]!;
    expect(stage).toMatchObject({ in: 43, created: 20, out: 60, filtered: 0, quarantined: 3 });
    expect(stage.quarantinedBy).toEqual({ 'missing value': 1, 'non-numeric value': 1, 'missing label': 1 });
    expect(quarantine.records.map((r) => [r.id, r.source])).toEqual([
      ['bad-missing', { file: 'table.csv', row: 90, column: 'x1' }],
      ['bad-text', { file: 'table.csv', row: 90, column: 'x1' }],
      ['bad-label', { file: 'table.csv', row: 90 }],
    ]);
    expect(report?.after).toEqual({ A: 30, B: 30 });
    expect(items).toHaveLength(60);
  });

  it('filters the originals an under-sampler leaves out, with the reason', async () => {
    const { summary } = await pipeline(
      fromIterable('rows', makeTable({ classes: { A: 30, B: 10 } })),
      augmentTable({ method: 'randomUnderSample' }),
    ).collect({ seed: 1 });
    expect(summary.stages[1]).toMatchObject({
      in: 40,
      out: 20,
      filtered: 20,
      filteredBy: { 'under-sampled': 20 },
    });
  });

  it('gives the same rows for the same run seed and different rows for another', async () => {
    const run = (seed: number) =>
      pipeline(
        fromIterable('rows', makeTable({ classes: { A: 30, B: 10 } })),
        augmentTable({ method: 'adasyn' }),
      ).collect({ seed });
    const [a, b, c] = await Promise.all([run(5), run(5), run(6)]);
    expect(b.items).toEqual(a.items);
    expect(c.items).not.toEqual(a.items);
  });

  it('quarantines a row whose regression target is not a number, and resamples the rest', async () => {
    const rows = makeTable({ classes: { all: 40 }, seed: 2 }).map((s, i) => ({
      ...s,
      label: i === 7 ? 'n/a' : String(Math.exp(s.payload.values.x0 as number)),
    }));
    const quarantine = new MemoryQuarantine();
    const { summary } = await pipeline(
      fromIterable('rows', rows),
      augmentTable({ method: 'smoter', k: 3 }),
    ).collect({ seed: 1, quarantine });
    const stage = summary.stages[1]!;
    expect(stage.quarantinedBy).toEqual({ 'non-numeric target': 1 });
    expect(quarantine.records[0]!.id).toBe(rows[7]!.id);
    expect(stage.in + stage.created).toBe(stage.out + stage.filtered + stage.quarantined);
  });

  it('quarantines a sample that is not tabular', async () => {
    const image = {
      id: 'img',
      label: 'A',
      payload: { kind: 'raw' },
      lineage: [],
    } as unknown as TabularSample;
    const { summary } = await pipeline(
      fromIterable('rows', [...makeTable({ classes: { A: 5, B: 3 } }), image]),
      augmentTable({ method: 'randomOverSample' }),
    ).collect();
    expect(summary.stages[1]!.quarantinedBy).toEqual({ 'not tabular': 1 });
  });

  it('rejects bad options when the stage is built, before any data flows', () => {
    expect(() => augmentTable({ method: 'smote', k: -1 })).toThrow(OptionsError);
    expect(() => augmentTable({ method: 'smote', k: -1 })).toThrow(
      'Invalid option `k` in AugmentTableOptions (method `smote`): expected a number >= 1, got `-1` (number)',
    );
  });
});
