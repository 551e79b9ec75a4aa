import { readFileSync } from 'node:fs';
import { fromIterable, pipeline, Rng, rootIds, type TabularSample } from '@growset/core';
import { describe, expect, it } from 'vitest';
import {
  augmentTable,
  kebabCase,
  METHODS,
  type MethodKind,
  type MethodName,
  methodNames,
  REGISTRY,
  type ResampleOptions,
  resample,
  type SamplingStrategy,
} from '../src/index.ts';
import { CONFORMANCE, classCounts, makeTable } from './helpers/tables.ts';

const classTable = makeTable({
  classes: { A: 50, B: 20, C: 8 },
  numeric: 3,
  categorical: { color: ['red', 'green', 'blue'], size: ['S', 'M', 'L', 'XL'] },
  seed: 3,
});
/** Regression: the label is a skewed numeric target (high values are rare). */
const regressionTable = relabel(
  makeTable({ classes: { all: 80 }, numeric: 3, categorical: { color: ['red', 'green'] }, seed: 4 }),
  (s) => String(Math.exp(1.2 * (s.payload.values.x0 as number))),
);
/** Multilabel: labels joined by `|`; `c` is rare. */
const multilabelTable = relabel(
  makeTable({ classes: { all: 80 }, numeric: 3, categorical: { color: ['red', 'green'] }, seed: 5 }),
  (s) => {
    const [x0, x1] = [s.payload.values.x0 as number, s.payload.values.x1 as number];
    return ['a', ...(x1 > 0 ? ['b'] : []), ...(x0 > 1 ? ['c'] : [])].join('|');
  },
);

function relabel(samples: TabularSample[], label: (s: TabularSample) => string): TabularSample[] {
  return samples.map((s) => ({ ...s, label: label(s) }));
}

const dataOf = (kind: MethodKind) =>
  kind === 'regression' ? regressionTable : kind === 'multilabel' ? multilabelTable : classTable;

/** Expected counts per strategy, from the definitions in the README (A: 50, B: 20, C: 8). */
const EXPECTED: {
  [kind in 'over' | 'under' | 'any']: [SamplingStrategy, { A: number; B: number; C: number }][];
} = {
  over: [
    ['auto', { A: 50, B: 50, C: 50 }],
    [0.5, { A: 50, B: 25, C: 25 }],
    [{ counts: { C: 30 } }, { A: 50, B: 20, C: 30 }],
    [{ factor: 2 }, { A: 100, B: 40, C: 16 }],
  ],
  under: [
    ['auto', { A: 8, B: 8, C: 8 }],
    [0.5, { A: 16, B: 16, C: 8 }],
    [{ counts: { A: 10 } }, { A: 10, B: 20, C: 8 }],
    [{ factor: 0.5 }, { A: 25, B: 10, C: 4 }],
  ],
  any: [
    ['auto', { A: 50, B: 50, C: 50 }],
    [{ factor: 1.5 }, { A: 75, B: 30, C: 12 }],
    [{ counts: { A: 5, C: 20 } }, { A: 5, B: 20, C: 20 }],
  ],
};

const kindOf = (method: MethodName) => REGISTRY[method].kind;

function run(method: MethodName, seed: number | string, extra: Partial<ResampleOptions> = {}) {
  return resample(
    dataOf(kindOf(method)),
    { ...CONFORMANCE[method], ...extra } as ResampleOptions,
    Rng.create(seed),
  );
}

const synthetic = (samples: readonly TabularSample[]) => samples.filter((s) => s.lineage.length > 0);

describe('the method registry', () => {
  it('is the one list: the README catalogue has a row for every method, with its kebab-case names', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = readme.split('\n').filter((line) => line.startsWith('| `'));
    for (const method of METHODS) {
      const catalogue = rows.filter((line) => {
        const cells = line.split('|').map((cell) => cell.trim());
        return cells[1] === `\`${method}\`` && (cells[2] ?? '').includes(`\`${kebabCase(method)}\``);
      });
      expect(catalogue, method).toHaveLength(1);
    }
    const names = methodNames().map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe.each(METHODS)('%s conformance', (method) => {
  const kind = kindOf(method);
  const deterministic = REGISTRY[method].deterministic === true;
  const table = dataOf(kind);
  const ids = new Set(table.map((s) => s.id));

  it(`gives identical rows for the same seed and ${deterministic ? 'the same' : 'different'} rows for another seed`, () => {
    const a = run(method, 7);
    const b = run(method, 7);
    const c = run(method, 8);
    expect(b.samples).toEqual(a.samples);
    expect(b.report).toEqual(a.report);
    if (deterministic) expect(c.samples).toEqual(a.samples);
    else expect(c.samples).not.toEqual(a.samples);
  });

  it('validates its options: an unknown field is named, a JSON round trip gives the same rows', () => {
    expect(() => run(method, 1, { notAnOption: 1 } as Partial<ResampleOptions>)).toThrow(/notAnOption/);
    const json = JSON.parse(JSON.stringify(CONFORMANCE[method])) as ResampleOptions;
    expect(resample(table, json, Rng.create(4)).samples).toEqual(run(method, 4).samples);
  });

  if (kind === 'clean')
    it('only removes rows, and only from the classes it cleans, each counted', () => {
      for (const classes of ['not minority', 'all', ['A']] as const) {
        const { samples, removed, report } = run(method, 1, { classes } as Partial<ResampleOptions>);
        expect(report.created).toBe(0);
        expect(samples.length + removed.length).toBe(table.length);
        expect(report.removed).toBe(removed.length);
        expect(classCounts(samples)).toEqual(
          Object.fromEntries(Object.entries(report.after).filter(([, n]) => n > 0)),
        );
        const cleaned = classes === 'all' ? ['A', 'B', 'C'] : classes === 'not minority' ? ['A', 'B'] : ['A'];
        for (const sample of removed) expect(cleaned).toContain(sample.label);
      }
      expect(() => run(method, 1, { strategy: 'auto' } as Partial<ResampleOptions>)).toThrow(/strategy/);
      expect(() => run(method, 1, { classes: ['Z'] } as Partial<ResampleOptions>)).toThrow(/classes/);
    });

  if (kind === 'over-clean')
    it.each(EXPECTED.over)(
      'reaches strategy %j, then only removes rows (each accounted)',
      (strategy, expected) => {
        const { samples, removed, report } = run(method, 1, { strategy });
        const after = classCounts(samples);
        for (const name of ['A', 'B', 'C'] as const)
          expect(after[name] ?? 0).toBeLessThanOrEqual(expected[name]);
        expect(report.after).toEqual({ A: after.A ?? 0, B: after.B ?? 0, C: after.C ?? 0 });
        const wanted = expected.A + expected.B + expected.C - table.length;
        expect(report.created).toBeLessThanOrEqual(wanted);
        expect(report.created + report.removed).toBeGreaterThan(0);
        expect(samples.length).toBe(table.length - removed.length + report.created);
      },
    );

  if (kind === 'regression')
    it('grows the bins of rare targets, shrinks the normal ones, and gives new rows numeric targets', () => {
      const { samples, report } = run(method, 1);
      expect(report.classes.some((g) => g.startsWith('rare'))).toBe(true);
      for (const group of report.classes) {
        if (group.startsWith('rare'))
          expect(report.after[group]).toBeGreaterThanOrEqual(report.before[group]!);
        else expect(report.after[group]).toBeLessThanOrEqual(report.before[group]!);
      }
      const total = Object.values(report.after).reduce((a, b) => a + b, 0);
      expect(total).toBe(samples.length);
      expect(report.created).toBeGreaterThan(0);
      for (const sample of synthetic(samples)) expect(Number.isFinite(Number(sample.label))).toBe(true);
    });

  if (kind === 'multilabel')
    it('raises the counts of the minority labels and gives new rows labels that exist', () => {
      const { samples, report } = run(method, 1);
      expect(report.classes).toEqual(['a', 'b', 'c']);
      expect(report.after.c).toBeGreaterThan(report.before.c!);
      for (const label of report.classes)
        expect(report.after[label]).toBeGreaterThanOrEqual(report.before[label]!);
      for (const sample of synthetic(samples)) {
        for (const label of String(sample.label).split('|')) expect(['a', 'b', 'c']).toContain(label);
      }
    });

  if (kind === 'over' || kind === 'under' || kind === 'any')
    it.each(EXPECTED[kind])('matches strategy %j exactly', (strategy, expected) => {
      const { samples, report } = run(method, 1, { strategy });
      expect(classCounts(samples)).toEqual(expected);
      expect(report.after).toEqual(expected);
      expect(report.before).toEqual({ A: 50, B: 20, C: 8 });
      expect(report.created - report.removed).toBe(samples.length - table.length);
    });

  it('records lineage on every synthetic row: the method, version 1, parameters, parents and roots from the input', () => {
    const { samples, report } = run(
      method,
      2,
      kind === 'over' || kind === 'over-clean' || kind === 'any' ? { strategy: { factor: 2 } } : {},
    );
    const made = synthetic(samples);
    expect(made.length).toBe(report.created);
    for (const sample of made) {
      expect(sample.lineage).toHaveLength(1);
      const step = sample.lineage[0]!;
      expect(step.op).toBe(method);
      expect(step.version).toBe(1);
      expect(step.params).toBeTypeOf('object');
      expect(step.parents.length).toBeGreaterThanOrEqual(1);
      for (const parent of step.parents) expect(ids.has(parent)).toBe(true);
      expect(rootIds(sample)).toEqual(step.parents);
      expect(ids.has(sample.id)).toBe(false);
    }
    expect(new Set(samples.map((s) => s.id)).size).toBe(samples.length);
  });

  it("accounts for every row as a stage: removed originals are filtered with the method's reason", async () => {
    const { summary } = await pipeline(
      fromIterable('rows', table),
      augmentTable(CONFORMANCE[method]),
    ).collect({
      seed: 2,
    });
    const stage = summary.stages[1]!;
    expect(stage.in + stage.created).toBe(stage.out + stage.filtered + stage.quarantined);
    expect(stage.in).toBe(table.length);
    if (stage.filtered > 0) expect(Object.keys(stage.filteredBy)).toEqual([REGISTRY[method].removedReason]);
  });

  it('keeps originals untouched, in input order, and only takes categories that exist', () => {
    const before = structuredClone(table);
    const { samples } = run(method, 3);
    expect(table).toEqual(before);
    const originals = samples.filter((s) => s.lineage.length === 0);
    const positions = originals.map((s) => table.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((x, y) => x - y)).toEqual(positions);
    for (const sample of synthetic(samples)) {
      expect(['red', 'green', 'blue', null]).toContain(sample.payload.values.color ?? null);
      expect(['S', 'M', 'L', 'XL', null]).toContain(sample.payload.values.size ?? null);
    }
  });
});
