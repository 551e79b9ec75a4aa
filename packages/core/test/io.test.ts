import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  derive,
  encodeRawAsPng,
  fromIterable,
  type ImagePayload,
  type JsonlLine,
  pipeline,
  QuarantineFolder,
  type RawImage,
  readImageFolder,
  readJsonl,
  readManifest,
  rootIds,
  type Sample,
  safeFileName,
  safeJoin,
  type TabularPayload,
  writeCsv,
  writeFileAtomic,
  writeImageFolder,
  writeJsonl,
} from '../src/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-core-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const grey = (id: string, label: string | undefined, value: number): Sample<RawImage> => ({
  id,
  ...(label === undefined ? {} : { label }),
  payload: {
    kind: 'raw',
    data: new Uint8Array(16).fill(value),
    width: 4,
    height: 4,
    channels: 1,
    dtype: 'uint8',
  },
  lineage: [],
});

describe('safeFileName', () => {
  const hostile = [
    '../../etc/passwd',
    '..',
    '.',
    '/absolute/path',
    'C:\\Windows\\system32',
    'nul\u0000byte',
    'CON',
    'nul',
    'Lpt1.txt',
    'com9',
    'x'.repeat(300),
    '',
    ' spaces and dots. ',
    'a/b',
    'a_b',
    'café\u0301',
  ];

  it.each(hostile)('turns %j into one safe path segment', (input) => {
    const name = safeFileName(input);
    expect(/[/\\:*?"<>|]/.test(name) || name.includes('\u0000')).toBe(false);
    expect(name).not.toMatch(/^\.+$/);
    expect(name).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(120);
    expect(name.length).toBeGreaterThan(0);
    const target = safeJoin(dir, name);
    expect(relative(dir, target)).toBe(name);
  });

  it('keeps ordinary names and never maps two different labels to the same name', () => {
    expect(safeFileName('cat')).toBe('cat');
    expect(safeFileName('7')).toBe('7');
    expect(safeFileName('mnist-3-0001')).toBe('mnist-3-0001');
    const names = hostile.map((h) => safeFileName(h));
    expect(new Set(names).size).toBe(hostile.length);
    expect(safeFileName('a/b')).not.toBe(safeFileName('a_b'));
  });

  it('refuses to join a path that escapes the root', () => {
    expect(() => safeJoin(dir, '..', 'x')).toThrow(/outside the output folder/);
    expect(() => safeJoin(dir, '/etc/passwd')).toThrow(/outside the output folder/);
    expect(() => safeJoin(dir, '')).toThrow(/outside the output folder/);
    expect(safeJoin(dir, 'a', 'b.png')).toBe(resolve(dir, 'a', 'b.png'));
  });
});

describe('ImageFolder', () => {
  it('writes raw and encoded images one folder per class with a manifest, and reads them back', async () => {
    const out = join(dir, 'folder');
    const jpeg = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#3366cc' } })
      .jpeg()
      .toBuffer();
    const samples: Sample<ImagePayload>[] = [
      grey('a', 'zero', 0),
      grey('b', 'one', 255),
      { id: 'photo', label: 'one', payload: { kind: 'encoded', data: new Uint8Array(jpeg) }, lineage: [] },
      grey('../../escape', '../../../etc', 7),
    ];
    const child = derive(samples[0]!, {
      id: 'a-aug',
      op: 'flip',
      params: { horizontal: true },
      payload: samples[0]!.payload,
    });
    samples.push(child);
    const { summary } = await pipeline(fromIterable('samples', samples), writeImageFolder(out)).collect();
    expect(summary.out).toBe(5);

    const classes = (await readdir(out)).sort();
    expect(classes).toContain('zero');
    expect(classes).toContain('one');
    expect(classes).toContain('manifest.jsonl');
    for (const name of classes) expect(resolve(out, name).startsWith(resolve(out))).toBe(true);
    expect(existsSync(join(dir, 'etc'))).toBe(false);

    const manifest = (await readFile(join(out, 'manifest.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(manifest.map((m: { id: string }) => m.id)).toEqual(['a', 'b', 'photo', '../../escape', 'a-aug']);
    expect(manifest[4]).toMatchObject({
      id: 'a-aug',
      label: 'zero',
      lineage: [{ op: 'flip', parents: ['a'], roots: ['a'] }],
    });
    expect(manifest[2].file).toMatch(/^one\/photo\.jpg$/);

    expect(await sharp(join(out, manifest[1].file)).metadata()).toMatchObject({
      width: 4,
      height: 4,
      channels: 1,
      format: 'png',
    });
    const decoded = await sharp(join(out, manifest[1].file))
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([...decoded.data].every((v) => v === 255)).toBe(true);

    const { items: back } = await pipeline(readImageFolder(out)).collect();
    expect(back.map((s) => s.label).sort()).toEqual(
      [safeFileName('../../../etc'), 'one', 'one', 'zero', 'zero'].sort(),
    );
    expect(back.every((s) => s.payload.kind === 'encoded' && s.payload.data.length > 0)).toBe(true);
    expect(back.find((s) => s.id.startsWith('one/photo'))?.payload.format).toBe('jpeg');

    const fromManifest = await pipeline(
      readManifest(join(out, 'manifest.jsonl'), { loadFiles: true }),
    ).collect();
    expect(fromManifest.items).toHaveLength(5);
    expect(rootIds(fromManifest.items[4]!)).toEqual(['a']);
    expect(fromManifest.items[2]!.payload?.format).toBe('jpeg');
  });

  it('quarantines unlabeled samples and repeated ids instead of overwriting', async () => {
    const out = join(dir, 'folder-bad');
    const quarantine = new QuarantineFolder(join(out, 'quarantine'));
    const summary = await pipeline(
      fromIterable<Sample<ImagePayload>>('samples', [
        grey('x', 'a', 1),
        grey('y', undefined, 2),
        grey('x', 'a', 3),
      ]),
      writeImageFolder(out),
    ).run({ quarantine });
    expect(summary.stages[1]).toMatchObject({
      out: 1,
      quarantined: 2,
      quarantinedBy: { 'missing label': 1, 'duplicate id': 1 },
    });
    const lines = (await readFile(join(out, 'quarantine', 'quarantine.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).reason)).toEqual(['missing label', 'duplicate id']);
  });

  it('filters files outside class folders, hidden files and non-images, and reads images in sorted order', async () => {
    const root = join(dir, 'reader');
    await mkdir(join(root, 'b', 'nested'), { recursive: true });
    await mkdir(join(root, 'a'), { recursive: true });
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: 'red' } })
      .png()
      .toBuffer();
    await writeFile(join(root, 'a', '2.png'), png);
    await writeFile(join(root, 'a', '1.png'), png);
    await writeFile(join(root, 'b', 'nested', 'deep.PNG'), png);
    await writeFile(join(root, 'b', 'notes.txt'), 'hello');
    await writeFile(join(root, 'b', '.DS_Store'), 'junk');
    await writeFile(join(root, 'README.md'), 'not a class');
    const { items, summary } = await pipeline(readImageFolder(root)).collect();
    expect(items.map((s) => s.id)).toEqual(['a/1.png', 'a/2.png', 'b/nested/deep.PNG']);
    expect(items.map((s) => s.label)).toEqual(['a', 'a', 'b']);
    expect(summary.stages[0]).toMatchObject({
      in: 6,
      out: 3,
      filtered: 3,
      filteredBy: { 'not in a class folder': 1, 'hidden file': 1, 'not an image file': 1 },
    });
  });
});

describe('JSONL and CSV', () => {
  it('reads JSONL line by line and quarantines invalid lines with their line number', async () => {
    const path = join(dir, 'lines.jsonl');
    await writeFile(path, '{"a":1}\n\nnot json\n{"a":2}\n');
    const sink = new QuarantineFolder(join(dir, 'jsonl-q'));
    const { items, summary } = await pipeline(readJsonl(path)).collect({ quarantine: sink });
    expect(items.map((l: JsonlLine) => [l.line, l.value])).toEqual([
      [1, { a: 1 }],
      [4, { a: 2 }],
    ]);
    expect(summary.stages[0]).toMatchObject({ out: 2, quarantined: 1 });
    const record = JSON.parse((await readFile(join(dir, 'jsonl-q', 'quarantine.jsonl'), 'utf8')).trim());
    expect(record).toMatchObject({
      reason: 'invalid JSON line',
      source: { file: path, line: 3 },
      raw: 'not json',
    });
  });

  it('writes JSONL atomically: a failed run leaves the previous file', async () => {
    const path = join(dir, 'atomic.jsonl');
    await writeFile(path, 'previous\n');
    const failing = pipeline(
      fromIterable('items', [{ id: '1' }, { id: '2' }]),
      writeJsonl<{ id: string }>(path),
      {
        name: 'explode',
        async *run(input: AsyncIterable<{ id: string }>) {
          for await (const x of input) {
            if (x.id === '2') throw new Error('late failure');
            yield x;
          }
        },
      },
    ).run();
    await expect(failing).rejects.toThrow(/late failure/);
    expect(await readFile(path, 'utf8')).toBe('previous\n');
    expect((await readdir(dir)).filter((f) => f.includes('growset-tmp'))).toEqual([]);
  });

  it('writes CSV with quoting, missing values, label and extra columns', async () => {
    const path = join(dir, 'rows.csv');
    const rows: Sample<TabularPayload>[] = [
      {
        id: 'r1',
        label: 'x',
        payload: { kind: 'tabular', values: { name: 'plain', n: 1, ok: true } },
        lineage: [],
      },
      {
        id: 'r2',
        label: 'y',
        payload: { kind: 'tabular', values: { name: 'has, comma "and quotes"', n: null, ok: false } },
        lineage: [],
      },
      {
        id: 'r3',
        label: 'y',
        payload: { kind: 'tabular', values: { name: 'new\nline', n: 2.5, ok: null, extra: 1 } },
        lineage: [],
      },
    ];
    const summary = await pipeline(
      fromIterable('rows', rows),
      writeCsv(path, { idColumn: 'id', extra: (s) => ({ synthetic: s.id === 'r2' }) }),
    ).run();
    expect(summary.stages[1]).toMatchObject({
      out: 2,
      quarantined: 1,
      quarantinedBy: { 'unexpected column': 1 },
    });
    expect(await readFile(path, 'utf8')).toBe(
      'id,name,n,ok,label,synthetic\nr1,plain,1,true,x,false\nr2,"has, comma ""and quotes""",,false,y,true\n',
    );
  });
});

describe('writeFileAtomic', () => {
  it('leaves the previous or the new complete file when the writer is killed with SIGKILL', async () => {
    const target = join(dir, 'killed.bin');
    const script = fileURLToPath(new URL('./helpers/atomic-writer.ts', import.meta.url));

    const complete = (data: Buffer) => {
      // Files are <payload><sha256 of payload as hex>: a torn file fails the check.
      if (data.length < 64) return false;
      const payload = data.subarray(0, data.length - 64);
      return (
        createHash('sha256').update(payload).digest('hex') === data.subarray(data.length - 64).toString()
      );
    };
    for (let round = 0; round < 4; round++) {
      // node itself (not a wrapper script) so that SIGKILL hits the writing process.
      const child = spawn(process.execPath, ['--import', 'tsx', script, target], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let writes = 0;
      await new Promise<void>((resolveWrites) => {
        child.stdout.on('data', (chunk: Buffer) => {
          writes += chunk
            .toString()
            .split('\n')
            .filter((l) => l === 'wrote').length;
          if (writes >= 2 + round) resolveWrites();
        });
      });
      // Kill in the middle of the next write (each write is ~8 MB).
      await new Promise((r) => setTimeout(r, 3 + round * 7));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const data = await readFile(target);
      expect(complete(data)).toBe(true);
    }
    const leftovers = (await readdir(dir)).filter((f) => f.startsWith('.killed.bin.growset-tmp'));
    // A killed writer may leave its hidden temporary file behind, never a torn target.
    expect(leftovers.every((f) => f.startsWith('.killed.bin.growset-tmp-'))).toBe(true);
  }, 60_000);

  it('writes new content and replaces old content', async () => {
    const path = join(dir, 'nested', 'deeper', 'file.txt');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    expect(await readFile(path, 'utf8')).toBe('two');
  });
});

describe('encodeRawAsPng', () => {
  it('keeps grey images grey, alpha, and 16-bit depth exactly', async () => {
    const cases: { channels: 1 | 2 | 3 | 4; dtype: 'uint8' | 'uint16'; space: string }[] = [
      { channels: 1, dtype: 'uint8', space: 'b-w' },
      { channels: 2, dtype: 'uint8', space: 'b-w' },
      { channels: 3, dtype: 'uint8', space: 'srgb' },
      { channels: 4, dtype: 'uint8', space: 'srgb' },
      { channels: 1, dtype: 'uint16', space: 'grey16' },
      { channels: 3, dtype: 'uint16', space: 'rgb16' },
    ];
    for (const { channels, dtype, space } of cases) {
      const n = 3 * 2 * channels;
      const data =
        dtype === 'uint16'
          ? new Uint16Array(n).map((_, i) => i * 3001)
          : new Uint8Array(n).map((_, i) => i * 7);
      const png = await encodeRawAsPng({ kind: 'raw', data, width: 3, height: 2, channels, dtype });
      const meta = await sharp(png).metadata();
      expect({ channels: meta.channels, space: meta.space }).toEqual({ channels, space });
      // sharp reads grey+alpha back as RGBA: keep (grey, alpha) of each pixel.
      const back =
        channels === 2
          ? Buffer.from((await sharp(png).raw().toBuffer()).filter((_, i) => i % 4 === 0 || i % 4 === 3))
          : await sharp(png)
              .toColourspace(space as 'srgb')
              .raw({ depth: dtype === 'uint16' ? 'ushort' : 'uchar' })
              .toBuffer();
      const values =
        dtype === 'uint16' ? new Uint16Array(back.buffer, back.byteOffset, back.length / 2) : back;
      expect([...values]).toEqual([...data]);
    }
  });
});
