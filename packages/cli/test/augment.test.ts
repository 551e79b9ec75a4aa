import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { imageFolder } from '../../augment-image/test/helpers/folder.ts';
import { issueRecipe } from '../../augment-image/test/helpers/recipes.ts';
import { augmentCommand } from '../src/commands/augment.ts';
import { runInProcess, UsageError } from './helpers/in-process.ts';

const BIN = resolve(fileURLToPath(import.meta.url), '../../bin/growset.js');

/** Runs the real `growset` binary (through its tsx loader), as a user would. */
function growset(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const ISSUE_RECIPE = `${JSON.stringify(issueRecipe(), null, 2)}\n`;

describe('growset augment', () => {
  it('runs the issue recipe exactly as written: writes an ImageFolder, manifest and quarantine, prints counts as JSON', async () => {
    const { dir, good, bad } = await imageFolder();
    await writeFile(join(dir, 'recipe.json'), ISSUE_RECIPE);
    const { code, stdout, stderr } = await growset(
      ['augment', '.', '--out', 'out', '--recipe', 'recipe.json', '--copies', '2', '--seed', '7', '--json'],
      dir,
    );
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({
      ok: true,
      command: 'augment',
      seed: 7,
      copies: 2,
      images: good.length + Object.keys(bad).length,
      originals: good.length,
      augmented: good.length * 2,
      written: good.length * 3,
      quarantined: Object.keys(bad).length,
      quarantinedBy: {
        'empty file': 1,
        'not an image': 1,
        'undecodable image': 2,
        'pixel limit exceeded': 1,
      },
    });
    expect((await readdir(join(dir, 'out', 'cat'))).sort()).toEqual([
      'a.jpg',
      'a_aug0.jpg',
      'a_aug1.jpg',
      'b.png',
      'b_aug0.png',
      'b_aug1.png',
    ]);
    const copy = await sharp(join(dir, 'out', 'dog', 'c_aug1.jpg')).metadata();
    expect([copy.width, copy.height]).toEqual([224, 224]);
    const manifest = (await readFile(join(dir, 'out', 'manifest.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(manifest).toHaveLength(good.length * 3);
    expect(manifest.find((m) => m.id === 'cat/a_aug0.jpg').lineage[0]).toMatchObject({
      op: 'augment',
      roots: ['cat/a.jpg'],
    });
    const recipe = JSON.parse(await readFile(join(dir, 'out', 'recipe.json'), 'utf8'));
    expect(recipe.type).toBe('compose');
    const quarantine = (await readFile(join(dir, 'out.quarantine', 'quarantine.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(quarantine.map((q) => [q.id, q.reason]).sort()).toEqual(Object.entries(bad).sort());
  });

  it('writes the same bytes and manifest on worker threads as on the main thread', async () => {
    const { dir } = await imageFolder();
    await writeFile(join(dir, 'recipe.json'), ISSUE_RECIPE);
    const argv = (out: string, threads: string) => [
      '.',
      '--out',
      out,
      '--recipe',
      'recipe.json',
      '--copies',
      '2',
      '--seed',
      '3',
      '--threads',
      threads,
    ];
    // Outside the input folder: a second run must not read the first one's output.
    const outs = await mkdtemp(join(tmpdir(), 'growset-augment-threads-'));
    const main = (await runInProcess(augmentCommand, argv(join(outs, 'main'), '0'), dir)) as {
      summary: object;
    };
    const threaded = (await runInProcess(augmentCommand, argv(join(outs, 'threaded'), '2'), dir)) as {
      summary: object;
    };
    const strip = ({ out, manifest, quarantineDir, wallTimeMs, ...rest }: { [k: string]: unknown }) => rest;
    expect(strip(threaded.summary as never)).toEqual(strip(main.summary as never));
    for (const file of ['cat/a_aug0.jpg', 'cat/b_aug1.png', 'dog/c_aug1.jpg'])
      expect(await readFile(join(outs, 'threaded', file)), file).toEqual(
        await readFile(join(outs, 'main', file)),
      );
    expect(await readFile(join(outs, 'threaded', 'manifest.jsonl'), 'utf8')).toBe(
      await readFile(join(outs, 'main', 'manifest.jsonl'), 'utf8'),
    );
    await rm(outs, { recursive: true, force: true });
  });

  it('exits 2 with one clear line for a recipe naming an unknown transform', async () => {
    const { dir } = await imageFolder(false);
    await writeFile(join(dir, 'typo.json'), '{"type":"compose","transforms":[{"type":"rotat","limit":15}]}');
    const cases: [string[], RegExp][] = [
      [['augment', '.', '--recipe', 'typo.json'], /Missing `--out DIR`/],
      [
        ['augment', '.', '--out', 'o', '--recipe', 'typo.json'],
        /`transforms\[0\]\.type`.*did you mean `rotate`/,
      ],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await growset(args, dir);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
    }
  });

  it('names the problem for every other bad argument (checked in process: a usage error is exit code 2)', async () => {
    const { dir } = await imageFolder(false);
    await writeFile(
      join(dir, 'bad.json'),
      '{"type":"compose","transforms":[{"type":"rotate","limit":"15 degrees"}]}',
    );
    await writeFile(join(dir, 'broken.json'), '{"type": "compose",');
    await writeFile(join(dir, 'ok.json'), ISSUE_RECIPE);
    const cases: [string[], RegExp][] = [
      [
        ['.', '--out', 'o', '--recipe', 'bad.json'],
        /Recipe `bad.json`: .*`transforms\[0\]\.limit` in RotateOptions/,
      ],
      [['.', '--out', 'o', '--recipe', 'broken.json'], /Recipe `broken.json` is not valid JSON/],
      [['.', '--out', 'o', '--recipe', 'missing.json'], /Cannot read recipe `missing.json`/],
      [['nowhere', '--out', 'o', '--recipe', 'ok.json'], /`nowhere` is not a folder/],
      [['.', '--out', 'o', '--recipe', 'ok.json', '--copies', 'many'], /`--copies` to be an integer/],
      [
        ['.', '--out', 'o', '--recipe', 'ok.json', '--format', 'gif'],
        /`--format` to be one of same, jpeg, png, webp/,
      ],
      [['.', '--out', 'o', '--recipe', 'ok.json', '--copies', '0', '--no-originals'], /would write nothing/],
      [['.', '--out', 'o', '--recipe', 'ok.json', '--threads', '-1'], /`--threads`/],
    ];
    for (const [argv, message] of cases) {
      const error = await runInProcess(augmentCommand, argv, dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, argv.join(' ')).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
    }
  });
});
