import { type EncodedImage, Rng } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { augment, leafTransform, paramsToJson, parseRecipe, registerTransform } from '../src/index.ts';
import { AugmentThreads } from '../src/internals/threads/pool.ts';
import { encode, picture } from './helpers/images.ts';
import { issueRecipe } from './helpers/recipes.ts';

const RECIPE = issueRecipe(40);

describe('AugmentThreads', () => {
  it('gives the bytes, params and plan of the calling thread, and quarantine reasons as DataErrors', async () => {
    const recipe = parseRecipe(RECIPE);
    const threads = new AugmentThreads(recipe.toJSON(), 2);
    try {
      expect(await threads.whenReady()).toBe(true);
      const jpeg = await encode(picture(96, 72), 'jpeg');
      for (let k = 0; k < 6; k++) {
        const target = { image: { kind: 'encoded' as const, data: jpeg, format: 'jpeg' } };
        const rng = Rng.create(9).fork(k);
        const there = await threads.run(target, rng, { output: 'jpeg' });
        const here = await augment(recipe, target, rng, { output: 'jpeg' });
        expect(there).toBeDefined();
        expect(Buffer.from((there!.target.image as EncodedImage).data)).toEqual(
          Buffer.from((here.target.image as EncodedImage).data),
        );
        expect(there!.params).toEqual(paramsToJson(here.params));
        expect(there!.plan).toEqual(here.plan);
      }
      const broken = { image: { kind: 'encoded' as const, data: jpeg.slice(0, 200), format: 'jpeg' } };
      const failure = await threads.run(broken, Rng.create(1), { output: 'jpeg' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failure).toMatchObject({ name: 'DataError', reason: 'undecodable image' });
    } finally {
      await threads.close();
    }
  });

  it('fails the tasks of a thread closed while they run, instead of leaving them pending', async () => {
    const threads = new AugmentThreads(parseRecipe(RECIPE).toJSON(), 1);
    expect(await threads.whenReady()).toBe(true);
    const jpeg = await encode(picture(400, 300), 'jpeg');
    const task = threads.run({ image: { kind: 'encoded', data: jpeg, format: 'jpeg' } }, Rng.create(2), {
      output: 'jpeg',
    });
    await threads.close();
    await expect(task).rejects.toThrow(/augmentation thread stopped/);
  });

  it('declines a recipe with a transform registered only in the calling thread (the caller runs it)', async () => {
    const local = leafTransform({
      type: 'threadsTestIdentity',
      version: 1,
      kind: 'pixel',
      optionsType: 'ThreadsTestIdentityOptions',
      options: z.strictObject({ p: z.number().min(0).max(1).default(1) }),
      params: z.strictObject({}),
      sample: () => ({}),
      ops: () => [],
    });
    registerTransform(local);
    const threads = new AugmentThreads(parseRecipe({ type: 'threadsTestIdentity' }).toJSON(), 1);
    try {
      expect(await threads.whenReady()).toBe(false);
      const image = { kind: 'encoded' as const, data: await encode(picture(8, 8), 'png'), format: 'png' };
      expect(await threads.run({ image }, Rng.create(1), {})).toBeUndefined();
    } finally {
      await threads.close();
    }
  });
});
