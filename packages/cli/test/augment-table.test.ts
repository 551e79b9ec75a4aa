import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { methodNames } from '@growset/augment-tabular';
import { loadVegaDataset } from '@growset/fixtures';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGrowset } from '../src/index.ts';

let dir: string;
let penguinsCsv: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-augment-table-'));
  const rows = await loadVegaDataset('penguins');
  const header = ['species', 'island', 'bill_length_mm', 'flipper_length_mm', 'body_mass_g', 'sex'];
  const keys = ['Species', 'Island', 'Beak Length (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex'];
  const lines = [header.join(','), ...rows.map((r) => keys.map((k) => r[k] ?? '').join(','))];
  lines.push('Gentoo,Biscoe,not-a-number,220,5000,MALE');
  penguinsCsv = join(dir, 'penguins.csv');
  await writeFile(penguinsCsv, `${lines.join('\n')}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const growset = (args: string[]) => runGrowset(args, { cwd: dir });
const lastJson = (text: string) => JSON.parse(text.trim().split('\n').pop()!) as { [key: string]: unknown };

describe('growset augment-table', () => {
  it('writes the original rows plus marked SMOTE-NC rows and prints class counts before and after', async () => {
    const out = join(dir, 'smote.csv');
    const { code, stdout } = await growset([
      'augment-table',
      'penguins.csv',
      '--label',
      'species',
      '--method',
      'smote-nc',
      '--k',
      '5',
      '--seed',
      '3',
      '--out',
      out,
      '--lineage',
      'lineage.jsonl',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('Chinstrap      68    151      83');
    expect(stdout).toMatch(/row 4, column bill_length_mm: missing value/);
    expect(stdout).toMatch(/row 345, column bill_length_mm: non-numeric value/);
    const rows = parse(await readFile(out), { columns: true }) as { [column: string]: string }[];
    expect(Object.keys(rows[0]!)).toEqual([
      'species',
      'island',
      'bill_length_mm',
      'flipper_length_mm',
      'body_mass_g',
      'sex',
      'synthetic',
    ]);
    expect(rows).toHaveLength(453);
    expect(rows.filter((r) => r.synthetic === 'true')).toHaveLength(111);
    expect(rows.slice(0, 342).every((r) => r.synthetic === 'false')).toBe(true);
    const lineage = (await readFile(join(dir, 'lineage.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lineage).toHaveLength(453);
    expect(lineage[400].lineage[0]).toMatchObject({ op: 'smoteNC', version: 1 });
  });

  it('ends --json output with a summary object and writes identical bytes for the same seed', async () => {
    const args = (out: string) => [
      'augment-table',
      penguinsCsv,
      '--label',
      'species',
      '--method',
      'mixup',
      '--seed',
      '9',
      '--out',
      out,
      '--json',
    ];
    const first = await growset(args(join(dir, 'a.csv')));
    const second = await growset(args(join(dir, 'b.csv')));
    expect(first.code).toBe(0);
    const summary = lastJson(first.stdout);
    expect(summary).toMatchObject({
      ok: true,
      command: 'augment-table',
      method: 'mixup',
      before: { Adelie: 151, Chinstrap: 68, Gentoo: 123 },
      after: { Adelie: 151, Chinstrap: 151, Gentoo: 151 },
      created: 111,
      quarantined: 3,
      quarantinedBy: { 'non-numeric value': 1, 'missing value': 2 },
    });
    expect(lastJson(second.stdout).rowsOut).toBe(453);
    expect(await readFile(join(dir, 'b.csv'))).toEqual(await readFile(join(dir, 'a.csv')));
    const header = (await readFile(join(dir, 'a.csv'), 'utf8')).split('\n')[0];
    expect(header).toBe(
      'species,island,bill_length_mm,flipper_length_mm,body_mass_g,sex,synthetic,species:Adelie,species:Chinstrap,species:Gentoo',
    );
  });

  it('lists every method name of the registry in --help, with its summary', async () => {
    const { code, stdout } = await growset(['augment-table', '--help']);
    expect(code).toBe(0);
    for (const { name, summary } of methodNames()) {
      expect(stdout).toMatch(new RegExp(`[ ,]${name}[,\\n]`));
      expect(stdout).toContain(summary);
    }
  });

  it.each([
    ['tomek-links', [], 'in a Tomek link'],
    ['enn', ['--kind-sel', 'mode', '--k', '5'], 'edited out: neighbours of another class'],
    ['nearmiss-3', [], 'under-sampled by NearMiss'],
    ['cnn', ['--classes', 'all'], 'not needed by the condensed set'],
  ])(
    'runs %s by its kebab-case name; removed rows are counted as filtered, with the reason',
    async (method, flags, reason) => {
      const { code, stdout } = await growset([
        'augment-table',
        penguinsCsv,
        '--label',
        'species',
        '--method',
        method,
        ...flags,
        '--columns',
        'bill_length_mm,flipper_length_mm,body_mass_g',
        '--out',
        join(dir, `${method}.csv`),
        '--json',
      ]);
      expect(code).toBe(0);
      const summary = lastJson(stdout) as {
        removed: number;
        stages: { filtered: number; in: number; out: number; quarantined: number; filteredBy: object }[];
      };
      expect(summary.removed).toBeGreaterThan(0);
      const stage = summary.stages[1]!;
      expect(stage.filtered).toBe(summary.removed);
      expect(stage.in).toBe(stage.out + stage.filtered + stage.quarantined);
      expect(stage.filteredBy).toEqual({ [reason]: summary.removed });
    },
  );

  it.each([
    ['smoter', 'body_mass_g', ['--amounts', '2,0.5']],
    ['mlsmote', 'species', ['--k', '3']],
  ])(
    'runs %s (label %s): new rows are written with their labels and counted as created',
    async (method, label, flags) => {
      const out = join(dir, `${method}.csv`);
      const { code, stdout } = await growset([
        'augment-table',
        penguinsCsv,
        '--label',
        label,
        '--method',
        method,
        ...flags,
        '--columns',
        'bill_length_mm,flipper_length_mm',
        '--out',
        out,
        '--json',
      ]);
      expect(code).toBe(0);
      const summary = lastJson(stdout) as { created: number; rowsOut: number };
      expect(summary.created).toBeGreaterThan(0);
      const rows = parse(await readFile(out), { columns: true }) as { [column: string]: string }[];
      expect(rows).toHaveLength(summary.rowsOut);
      const made = rows.filter((r) => r.synthetic === 'true');
      expect(made).toHaveLength(summary.created);
      for (const row of made) expect(row[label]).not.toBe('');
      if (method === 'smoter') for (const row of made) expect(Number.isFinite(Number(row[label]))).toBe(true);
    },
  );

  it('writes a plain numeric table through the columnar path with the same bytes as the row path', async () => {
    // Penguins' numeric columns without missing values: the columnar path; `--lineage` forces
    // the row path (lineage needs a sample per row), whose CSV must be the same bytes.
    const rows = (await readFile(penguinsCsv, 'utf8')).trim().split('\n').slice(1);
    const numeric = rows
      .map((line) => line.split(','))
      .filter((cells) => [2, 3, 4].every((i) => /^\d+(\.\d+)?$/.test(cells[i] ?? '')))
      .map((cells) => [cells[2], cells[0], cells[3], cells[4]].join(','));
    await writeFile(
      join(dir, 'numeric.csv'),
      `bill_length_mm,species,flipper_length_mm,body_mass_g\n${numeric.join('\n')}\n`,
    );
    const run = (out: string, extra: string[]) =>
      growset([
        'augment-table',
        'numeric.csv',
        '--label',
        'species',
        '--method',
        'smote',
        '--seed',
        '2',
        '--out',
        out,
        '--json',
        '--verbose',
        ...extra,
      ]);
    const columnar = await run('numeric-columnar.csv', []);
    const rowPath = await run('numeric-rows.csv', ['--lineage', 'numeric-lineage.jsonl']);
    expect([columnar.code, rowPath.code]).toEqual([0, 0]);
    expect(columnar.stderr).toContain('(columnar path)');
    expect(rowPath.stderr).not.toContain('(columnar path)');
    const [a, b] = await Promise.all(
      ['numeric-columnar.csv', 'numeric-rows.csv'].map((f) => readFile(join(dir, f))),
    );
    expect(a!.equals(b!)).toBe(true);
    const summary = lastJson(columnar.stdout);
    expect(summary).toMatchObject({ rowsIn: numeric.length, quarantined: 0 });
    expect(summary.created).toBeGreaterThan(0);
    expect(summary.after).toEqual(lastJson(rowPath.stdout).after);
  });

  it('exits 1 and says so when no row is usable, after quarantining each with its reason', async () => {
    await writeFile(join(dir, 'bad.csv'), 'species,x\n,1\nA,\nB,oops\n');
    const { code, stdout } = await growset([
      'augment-table',
      'bad.csv',
      '--label',
      'species',
      '--method',
      'smote',
      '--numeric',
      'x',
      '--out',
      'bad-out.csv',
      '--json',
    ]);
    expect(code).toBe(1);
    expect(lastJson(stdout)).toMatchObject({
      ok: false,
      error: 'no usable rows',
      rowsOut: 0,
      quarantinedBy: { 'missing label': 1, 'missing value': 1, 'non-numeric value': 1 },
    });
  });

  it.each([
    [
      ['--label', 'spcies', '--method', 'smote'],
      /`--label` names column `spcies`, which .* does not have; its columns: species, island/,
    ],
    [['--label', 'species', '--method', 'smot'], /Unknown method `smot`; methods: gaussian-noise/],
    [['--label', 'species', '--method', 'smote-nc', '--strategy', '2'], /write `x2`/],
    [
      ['--label', 'species', '--method', 'mixup', '--k', '3'],
      /Invalid option `k` in AugmentTableOptions \(method `mixup`\)/,
    ],
    [['--label', 'species', '--method', 'smote'], /use method `smoteNC` for categorical columns/],
    [['--method', 'smote'], /needs `--label`/],
    [
      ['--label', 'species', '--method', 'enn', '--version', '2', '--columns', 'body_mass_g'],
      /Invalid option `version` in AugmentTableOptions \(method `editedNearestNeighbours`\)/,
    ],
    [
      ['--label', 'species', '--method', 'nearmiss-2', '--version', '3', '--columns', 'body_mass_g'],
      /`--method nearmiss-2` sets version=2/,
    ],
    [
      [
        '--label',
        'species',
        '--method',
        'tomek-links',
        '--classes',
        'Gentoo,Dodo',
        '--columns',
        'body_mass_g',
      ],
      /Invalid option `classes`.*class names the data has/,
    ],
  ])('exits 2 with one line for bad usage %j', async (flags, message) => {
    const { code, stderr } = await growset([
      'augment-table',
      penguinsCsv,
      ...flags,
      '--out',
      join(dir, 'x.csv'),
    ]);
    expect(code).toBe(2);
    const errors = stderr.split('\n').filter((line) => line.startsWith('growset augment-table:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
