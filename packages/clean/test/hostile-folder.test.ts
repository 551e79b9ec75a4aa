import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ImagePayload, readImageFolder, type Sample } from '@growset/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImages, dedupeImages } from '../src/index.ts';
import { runAll, tempDir } from './helpers.ts';

/** A 32x32 grey PNG with its own pattern (distinct perceptual hashes, so no near copies). */
const png = (k: number) => {
  const pixels = Buffer.alloc(32 * 32);
  for (let y = 0; y < 32; y++)
    for (let x = 0; x < 32; x++) pixels[y * 32 + x] = ((x * k) ^ (y * 3 * k)) & 255;
  return sharp(pixels, { raw: { width: 32, height: 32, channels: 1 } })
    .png()
    .toBuffer();
};

/**
 * An ImageFolder with every kind of entry that is not a plain image file: symbolic links inside,
 * outside, to nowhere, to themselves, to a system file, to a device, to a folder; a FIFO and a
 * link to it. Nothing here may hang the run or go uncounted.
 */
const state = { dir: '', root: '', outside: '', cleanup: async () => {} };
beforeAll(async () => {
  const t = await tempDir();
  state.dir = t.dir;
  state.cleanup = t.cleanup;
  const root = join(t.dir, 'folder');
  state.root = root;
  await mkdir(join(root, 'cat'), { recursive: true });
  await mkdir(join(root, 'dog'), { recursive: true });
  await writeFile(join(root, 'cat', 'a.png'), await png(5));
  await writeFile(join(root, 'dog', 'b.png'), await png(11));
  state.outside = join(t.dir, 'outside.png');
  await writeFile(state.outside, await png(23));
  const cat = join(root, 'cat');
  await symlink('../dog/b.png', join(cat, 'inside.png'));
  await symlink(state.outside, join(cat, 'outside.png'));
  await symlink(join(t.dir, 'missing.png'), join(cat, 'nowhere.png'));
  await symlink('self.png', join(cat, 'self.png'));
  await symlink('/etc/passwd', join(cat, 'passwd.png'));
  await symlink('/dev/zero', join(cat, 'zero.png'));
  await symlink('../dog', join(cat, 'folder.png'));
  execFileSync('mkfifo', [join(cat, 'pipe.png')]);
  await symlink('pipe.png', join(cat, 'to-pipe.png'));
  execFileSync('mkfifo', [join(cat, 'pipe-no-extension')]);
});
afterAll(() => state.cleanup());

describe('readImageFolder on links and special files', () => {
  it('counts every entry and quarantines each link out of the folder, broken link, loop and special file with its reason', async () => {
    const source = readImageFolder(state.root);
    const { items, quarantine, summary } = await runAll<Sample<ImagePayload>>(source);
    const read = summary.stages[0]!;
    expect(read.in).toBe(12);
    expect(read.out + read.filtered + read.quarantined).toBe(read.in);
    expect(items.map((s) => s.id).sort()).toEqual(['cat/a.png', 'cat/inside.png', 'dog/b.png']);
    const reasons = Object.fromEntries(quarantine.records.map((r) => [r.id, r.reason]));
    expect(reasons).toEqual({
      'cat/outside.png': 'link outside the folder',
      'cat/passwd.png': 'link outside the folder',
      'cat/zero.png': 'link outside the folder',
      'cat/nowhere.png': 'broken link',
      'cat/self.png': 'link loop',
      'cat/folder.png': 'link to a folder',
      'cat/pipe.png': 'not a regular file',
      'cat/to-pipe.png': 'not a regular file',
    });
    const passwd = quarantine.records.find((r) => r.id === 'cat/passwd.png')!;
    expect(passwd.detail).toMatch(/points to \/etc\/passwd, outside .*not followed/);
    expect(passwd.source?.file).toBe(join(state.root, 'cat', 'passwd.png'));
    expect(quarantine.records.find((r) => r.id === 'cat/pipe.png')!.detail).toMatch(/FIFO/);
    // The FIFO without an image extension is filtered by name, never opened.
    expect(read.filtered).toBe(1);
  });

  it('follows links out of the folder only when told, still refusing a device, and checks what it reads', async () => {
    const { items, quarantine, summary } = await runAll<Sample<ImagePayload>>(
      readImageFolder(state.root, { followLinksOutside: true }),
      checkImages(),
      dedupeImages(),
    );
    const reasons = new Map(quarantine.records.map((r) => [r.id, r.reason]));
    expect(reasons.get('cat/zero.png')).toBe('not a regular file');
    expect(quarantine.records.find((r) => r.id === 'cat/zero.png')!.detail).toMatch(/character device/);
    expect(reasons.get('cat/passwd.png')).toBe('not an image');
    expect(items.map((s) => s.id)).toContain('cat/outside.png');
    expect(summary.stages[0]!.in).toBe(12);
    expect(summary.out + summary.filtered + summary.quarantined).toBe(12);
  });
});
