import { DataError } from '@growset/core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { compose, normalize, previewGrid, rotate } from '../src/index.ts';
import { encode, picture } from './helpers/images.ts';

describe('previewGrid', () => {
  it('lays out the original and n copies in a grid PNG, the same for the same seed', async () => {
    const image = { kind: 'encoded' as const, data: await encode(picture(160, 120), 'jpeg') };
    const recipe = compose([rotate({ limit: 30 })]);
    const png = await previewGrid(image, recipe, { n: 5, seed: 3, cellSize: 50, gap: 2 });
    const meta = await sharp(png).metadata();
    // 6 cells -> ceil(sqrt(6)) = 3 columns, 2 rows.
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 2 + 3 * 52, 2 + 2 * 52]);
    expect(await previewGrid(image, recipe, { n: 5, seed: 3, cellSize: 50, gap: 2 })).toEqual(png);
    expect(await previewGrid(image, recipe, { n: 5, seed: 4, cellSize: 50, gap: 2 })).not.toEqual(png);
  });

  it('shows float outputs (a recipe ending in normalize) stretched to the visible range', async () => {
    const png = await previewGrid(picture(40, 30), compose([normalize()]), {
      n: 1,
      cellSize: 32,
      columns: 2,
    });
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([6 + 2 * 38, 6 + 38]);
    expect(Math.max(...data)).toBe(255);
  });

  it('refuses bad input as a DataError naming the reason', async () => {
    await expect(
      previewGrid({ kind: 'encoded', data: new TextEncoder().encode('not a picture') }, rotate()),
    ).rejects.toThrow(DataError);
  });
});
