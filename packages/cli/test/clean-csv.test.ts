import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIRTY_PENGUINS_CSV, DIRTY_PENGUINS_DEFECTS } from '@growset/fixtures';
import { describe, expect, it } from 'vitest';
import { runGrowset } from '../src/index.ts';

async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runGrowset(argv, { cwd });
  return { code, stdout, stderr };
}

async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'growset-clean-csv-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

const lastJson = (stdout: string) =>
  JSON.parse(stdout.trim().split('\n').pop()!) as { [key: string]: unknown };

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const european =
  'species;bill_length_mm;body_mass_g;note\nAdelie;39,1;3750;"a, b"\nGentoo;46,5;5200;x\nChinstrap;-0,5;3800;"1,5"\n';

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

describe('hostile CSV through the CLI', () => {
  it('exits 0 with counts and a warning for an empty, a BOM-only and a bad-header file; detects a European export', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const files: [string, Buffer][] = [
        ['empty.csv', Buffer.alloc(0)],
        ['bom.csv', Buffer.from([0xef, 0xbb, 0xbf])],
        ['bad-header.csv', Buffer.concat([utf8('spe'), Buffer.from([0xff]), utf8('cies,x\na,1\n')])],
        ['european.csv', utf8(european)],
      ];
      const results: { [file: string]: { code: number; json: { [key: string]: unknown } } } = {};
      for (const [name, bytes] of files) {
        await writeFile(join(dir, name), bytes);
        const { code, stdout } = await runGrowset(
          ['clean-csv', name, '--out', `out-${name}`, '--label', 'species', '--json'],
          { cwd: dir },
        );
        results[name] = { code, json: lastJson(stdout) };
      }
      for (const name of ['empty.csv', 'bom.csv', 'bad-header.csv']) {
        const { code, json } = results[name]!;
        expect(code).toBe(0);
        expect(Number(json.in)).toBe(Number(json.out) + Number(json.filtered) + Number(json.quarantined));
        expect(json.warnings).toEqual([expect.stringContaining(join(dir, name))]);
      }
      expect(results['bad-header.csv']!.json).toMatchObject({ in: 2, out: 0, quarantined: 2 });
      expect(results['european.csv']).toMatchObject({
        code: 0,
        json: {
          in: 3,
          out: 3,
          csv: { delimiter: ';', decimal: ',', detected: { delimiter: true, decimal: true } },
        },
      });
      const bad = await runGrowset(['clean-csv', 'european.csv', '--out', 'o', '--decimal', 'x'], {
        cwd: dir,
      });
      expect(bad.code).toBe(2);
    } finally {
      await cleanup();
    }
  });
});

describe('hostile CSV through every command that reads a table', () => {
  it('augment-table and train read mixed line endings and a European export like clean-csv, and refuse an empty file with one line (exit 1)', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const endings = ['\n', '\r\n', '\r'];
      const rows = Array.from(
        { length: 150 },
        (_, i) => `${i % 3 === 0 ? 'a' : i % 3 === 1 ? 'b' : 'c'},${i % 7},${(i * 13) % 11}${endings[i % 3]}`,
      );
      await writeFile(join(dir, 'mixed.csv'), `species,x,y\n${rows.join('')}`);
      await writeFile(join(dir, 'european.csv'), utf8(european));
      await writeFile(join(dir, 'empty.csv'), Buffer.alloc(0));
      const table = (file: string) =>
        cli(
          [
            'augment-table',
            file,
            '--label',
            'species',
            '--method',
            'random-over-sample',
            '--out',
            `o-${file}`,
            '--json',
          ],
          dir,
        );
      const train = (file: string) =>
        cli(
          ['train', file, '--label', 'species', '--model', 'majority', '--test-fraction', '0.34', '--json'],
          dir,
        );

      const mixed = await table('mixed.csv');
      expect(mixed.code, mixed.stderr).toBe(0);
      expect(lastJson(mixed.stdout)).toMatchObject({ rowsIn: 150, quarantined: 0 });
      const mixedTrain = await train('mixed.csv');
      expect(mixedTrain.code, mixedTrain.stderr).toBe(0);
      expect(lastJson(mixedTrain.stdout)).toMatchObject({ samples: { total: 150, skipped: 0 } });

      const eu = await table('european.csv');
      expect(eu.code, eu.stderr).toBe(0);
      expect(lastJson(eu.stdout)).toMatchObject({
        rowsIn: 3,
        columns: { numeric: ['bill_length_mm', 'body_mass_g'] },
      });
      // The output keeps the input's dialect (semicolons), numbers read with their decimal comma.
      const written = await readFile(join(dir, 'o-european.csv'), 'utf8');
      expect(written.split('\n')[0]).toBe('species;bill_length_mm;body_mass_g;note;synthetic');
      expect(written).toContain('39.1');
      const euTrain = await train('european.csv');
      expect(euTrain.code, euTrain.stderr).toBe(0);
      expect(lastJson(euTrain.stdout)).toMatchObject({ samples: { total: 3 } });

      for (const run of [await table('empty.csv'), await train('empty.csv')]) {
        expect(run.code).toBe(1);
        expect(
          run.stderr
            .trim()
            .split('\n')
            .filter((l) => l.startsWith('growset')),
        ).toEqual([expect.stringMatching(/empty\.csv: the file is empty/)]);
      }
    } finally {
      await cleanup();
    }
  });
});
