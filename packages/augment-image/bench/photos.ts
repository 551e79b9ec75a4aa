import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateJpegs } from './fixtures.ts';

/**
 * An ImageFolder of `count` deterministic photo-like 512x512 JPEGs (quality 90, see
 * {@link generateJpegs}) in four classes, cached under the system's temp folder.
 */
export async function photoFolder(count: number, size = 512): Promise<string> {
  const dir = join(tmpdir(), `growset-bench-photos-${count}-${size}`);
  if (existsSync(dir)) {
    const classes = await readdir(dir);
    let n = 0;
    for (const c of classes) n += (await readdir(join(dir, c))).length;
    if (n === count) return dir;
    await rm(dir, { recursive: true, force: true });
  }
  const partial = `${dir}.partial-${process.pid}`;
  const jpegs = await generateJpegs(count, size);
  for (const [i, jpeg] of jpegs.entries()) {
    const folder = join(partial, `class${i % 4}`);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, `${String(i).padStart(4, '0')}.jpg`), jpeg);
  }
  await rename(partial, dir);
  return dir;
}
