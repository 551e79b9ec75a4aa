import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { imageFolder } from '../../augment-image/test/helpers/folder.ts';
import { encode, picture } from '../../augment-image/test/helpers/images.ts';
import { issueRecipe } from '../../augment-image/test/helpers/recipes.ts';
import { augmentPreviewCommand } from '../src/commands/augment-preview.ts';
import { runInProcess, UsageError } from './helpers/in-process.ts';

const ISSUE_RECIPE = `${JSON.stringify(issueRecipe(), null, 2)}\n`;

describe('growset augment-preview', () => {
  it('writes a grid of the original and N augmented copies', async () => {
    const { dir } = await imageFolder(false);
    await writeFile(join(dir, 'recipe.json'), ISSUE_RECIPE);
    await writeFile(join(dir, 'photo.jpg'), await encode(picture(320, 240), 'jpeg'));
    const result = (await runInProcess(
      augmentPreviewCommand,
      ['photo.jpg', '--recipe', 'recipe.json', '--n', '8', '--out', 'grid.png', '--cell', '64'],
      dir,
    )) as { summary: { n: number; out: string } };
    expect(result.summary).toMatchObject({ n: 8, out: join(dir, 'grid.png') });
    const grid = await sharp(join(dir, 'grid.png')).metadata();
    // 9 cells in 3 columns of 64 px with 6 px gaps.
    expect([grid.format, grid.width, grid.height]).toEqual(['png', 6 + 3 * 70, 6 + 3 * 70]);
  });

  it('names the image file when it is not an image', async () => {
    const { dir } = await imageFolder(false);
    await writeFile(join(dir, 'recipe.json'), ISSUE_RECIPE);
    await writeFile(join(dir, 'notes.png'), 'hello');
    await expect(
      runInProcess(augmentPreviewCommand, ['notes.png', '--recipe', 'recipe.json'], dir),
    ).rejects.toThrow(/not an image: .*notes\.png/);
  });

  it('exits with a usage error naming a missing image file', async () => {
    const { dir } = await imageFolder(false);
    await writeFile(join(dir, 'recipe.json'), ISSUE_RECIPE);
    const error = await runInProcess(
      augmentPreviewCommand,
      ['nothing.jpg', '--recipe', 'recipe.json'],
      dir,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/Cannot read image `nothing.jpg`/);
  });
});
