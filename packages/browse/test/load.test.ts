import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback, loadDataset, startBrowseServer } from '../src/index.ts';
import { writeFixture } from './helpers/fixture.ts';
import { penguinStudy } from './helpers/penguins.ts';

type Row = { id: string; reason: string | null; [column: string]: unknown };
interface Api {
  cells: { label: string | null; predicted: string | null; count: number }[];
  rows: Row[];
  kind: string;
  columns: { name: string; type: string }[];
  total: number;
}
/** GETs a browse API route. */
async function api(url: string): Promise<Api> {
  return (await (await fetch(url)).json()) as Api;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-browse-load-'));
  await writeFixture(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('study output', () => {
  it('counts, per test item, the trials that got it wrong by variant, from trial predictions', async () => {
    const study = join(dir, 'study');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(study);
    const trial = (variant: string, seed: number, predicted: string[]) => ({
      key: `${variant}/10/${seed}`,
      variant,
      trainSize: 10,
      seed,
      ok: true,
      wallTimeMs: 5,
      predictions: ['a', 'b', 'c'].map((id, i) => ({
        id,
        label: ['x', 'y', 'x'][i],
        predicted: predicted[i],
      })),
    });
    const trials = [
      trial('base', 1, ['x', 'x', 'y']),
      trial('base', 2, ['x', 'y', 'y']),
      trial('aug', 1, ['x', 'x', 'x']),
    ];
    await writeFile(join(study, 'results.json'), JSON.stringify({ trials }));
    const loaded = await loadDataset(study);
    expect(loaded.kind).toBe('study');
    const byId = Object.fromEntries(loaded.rows.map((r) => [r.id, r]));
    expect(byId.a?.wrong).toBe(0);
    expect(byId.b?.wrong).toBe(2);
    expect(byId.b?.fields).toMatchObject({ 'wrong:base': 1, 'wrong:aug': 1 });
    expect(byId.c?.fields).toMatchObject({ 'wrong:base': 2, 'wrong:aug': 0, predicted: 'y' });

    const server = await startBrowseServer(study, { cacheDir: join(study, '.cache') });
    try {
      const cells = (await api(`${server.url}api/confusion`)).cells;
      // a: x->x (3 of 3); b: y->x (2 of 3); c: x->y (2 of 3).
      expect(cells).toEqual([
        { label: 'x', predicted: 'x', count: 1 },
        { label: 'x', predicted: 'y', count: 1 },
        { label: 'y', predicted: 'x', count: 1 },
      ]);
      const q = encodeURIComponent('label = y and predicted = x');
      const rows = (await api(`${server.url}api/rows?q=${q}`)).rows;
      expect(rows.map((r) => r.id)).toEqual(['b']);
    } finally {
      await server.close();
    }
  });

  it("reads a real study: per test item errors from its trials' compact predictions", async () => {
    const out = join(dir, 'real-study');
    const results = await penguinStudy({ out });
    await writeFile(join(out, 'results.json'), JSON.stringify(results));
    const loaded = await loadDataset(out);
    expect(loaded.kind).toBe('study');
    // One row per test item, each with its true label and, per variant, how many trials missed it.
    expect(loaded.rows.map((r) => r.id).sort()).toEqual([...results.testIds].sort());
    const labels = new Map(results.testIds.map((id, k) => [id, results.testLabels?.[k]]));
    for (const row of loaded.rows) expect(row.label).toBe(labels.get(row.id));
    // Majority class predicts one class for every item: 2 sizes x 2 seeds = 4 trials, so each
    // item of another class is missed 4 times by it, and the misses add up to its errors.
    const majorityMisses = loaded.rows.reduce((n, r) => n + Number(r.fields['wrong:majority'] ?? 0), 0);
    const majorityErrors = results.trials
      .filter((t) => t.variant === 'majority')
      .reduce((n, t) => n + Math.round((1 - (t.test?.accuracy ?? 0)) * results.testIds.length), 0);
    expect(majorityMisses).toBe(majorityErrors);
    expect(majorityMisses).toBeGreaterThan(0);
  }, 120_000);

  it('lists trials, with a note, when the trials hold no per-item predictions', async () => {
    const study = join(dir, 'study2');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(study);
    const trials = [
      {
        key: 'base/10/1',
        variant: 'base',
        trainSize: 10,
        seed: 1,
        ok: true,
        wallTimeMs: 5,
        test: { accuracy: 0.5 },
      },
    ];
    await writeFile(join(study, 'results.json'), JSON.stringify({ trials }));
    const loaded = await loadDataset(study);
    expect(loaded.rows).toHaveLength(1);
    expect(loaded.rows[0]).toMatchObject({ kind: 'trial', fields: { testAccuracy: 0.5, variant: 'base' } });
    expect(loaded.notes.join(' ')).toMatch(/no per-item predictions/);
  });
});

describe('CSV input', () => {
  it('makes every CSV column a typed grid column, and marks ragged rows with a reason', async () => {
    const csv = join(dir, 'iris.csv');
    await writeFile(csv, 'id,petal length,label,note\nr1,1.4,0,"a, quoted"\nr2,4.7,1,\nr3,5.9,2,x,extra\n');
    const server = await startBrowseServer(csv, { cacheDir: join(dir, '.csv-cache') });
    try {
      const meta = await api(`${server.url}api/meta`);
      expect(meta.kind).toBe('csv');
      expect(meta.columns).toContainEqual({ name: 'petal length', type: 'number' });
      const q = encodeURIComponent('[petal length] > 2 and label in (1, 2)');
      const body = await api(`${server.url}api/rows?q=${q}&sort=-label`);
      expect(body.rows.map((r) => r.id)).toEqual(['r3', 'r2']);
      expect(body.rows[0]?.reason).toBe('ragged row (5 of 4 fields)');
      const first = await api(`${server.url}api/rows?q=r1`);
      expect(first.rows[0]?.note).toBe('a, quoted');
    } finally {
      await server.close();
    }
  });
});

describe('isLoopback', () => {
  it('tells loopback hosts from exposed ones (the command warns for the latter)', () => {
    expect(['127.0.0.1', 'localhost', '::1', '127.1.2.3'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.5'].some(isLoopback)).toBe(false);
  });
});
