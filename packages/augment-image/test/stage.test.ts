import {
  type EncodedImage,
  type ImagePayload,
  type JsonObject,
  MemoryQuarantine,
  OptionsError,
  pipeline,
  readImageFolder,
  rootIds,
  type Sample,
} from '@growset/core';
import { describe, expect, it } from 'vitest';
import {
  augmentImages,
  compose,
  horizontalFlip,
  mixImages,
  mixup,
  paramsFromJson,
  parseRecipe,
  rotate,
} from '../src/index.ts';
import { imageFolder } from './helpers/folder.ts';
import { bytesOf, encode, picture } from './helpers/images.ts';
import { issueRecipe } from './helpers/recipes.ts';

const RECIPE = issueRecipe(48);

async function run(dir: string, options: Parameters<typeof augmentImages>[0]) {
  const quarantine = new MemoryQuarantine();
  const { items, summary } = await pipeline(readImageFolder(dir), augmentImages(options)).collect({
    seed: 11,
    quarantine,
  });
  return { items, summary, quarantine };
}

describe('augmentImages', () => {
  it('writes originals and copies with lineage to their root, quarantines bad input with its file and reason, and counts add up', async () => {
    const { dir, good, bad } = await imageFolder();
    const { items, summary, quarantine } = await run(dir, { recipe: RECIPE, copies: 2, seed: 7 });
    const stage = summary.stages[1]!;
    const files = good.length + Object.keys(bad).length;
    expect(stage).toMatchObject({
      in: files,
      out: good.length * 3,
      created: good.length * 2,
      quarantined: Object.keys(bad).length,
    });
    expect(stage.in + stage.created).toBe(stage.out + stage.filtered + stage.quarantined);
    expect(stage.quarantinedBy).toEqual({
      'empty file': 1,
      'not an image': 1,
      'undecodable image': 2,
      'pixel limit exceeded': 1,
    });
    for (const record of quarantine.records) {
      expect(bad[record.id], record.id).toBe(record.reason);
      expect(record.source?.file).toContain(record.id.split('/').pop());
      expect(record.detail).toBeTruthy();
    }
    expect(items.map((s) => s.id)).toEqual([
      'cat/a.jpg',
      'cat/a_aug0.jpg',
      'cat/a_aug1.jpg',
      'cat/b.png',
      'cat/b_aug0.png',
      'cat/b_aug1.png',
      'dog/c.jpg',
      'dog/c_aug0.jpg',
      'dog/c_aug1.jpg',
    ]);
    for (const copy of items.filter((s) => s.id.includes('_aug'))) {
      const root = copy.id.replace(/_aug\d/, '');
      expect(rootIds(copy)).toEqual([root]);
      expect(copy.label).toBe(root.split('/')[0]);
      const step = copy.lineage[0]!;
      expect(step).toMatchObject({ op: 'augment', version: 1, parents: [root], roots: [root] });
      const transforms = (step.params as { transforms: JsonObject }).transforms;
      expect(transforms).toMatchObject({ type: 'compose', applied: true });
      expect((transforms as { children: { type: string }[] }).children.map((c) => c.type)).toEqual([
        'horizontalFlip',
        'rotate',
        'randomResizedCrop',
        'colorJitter',
        'gaussianBlur',
      ]);
    }
  });

  it('reproduces every copy byte for byte from the params in its lineage', async () => {
    const { dir } = await imageFolder(false);
    const { items } = await run(dir, { recipe: RECIPE, copies: 2, seed: 3 });
    const recipe = parseRecipe(RECIPE);
    for (const copy of items.filter((s) => s.id.includes('_aug'))) {
      const original = items.find((s) => s.id === copy.lineage[0]!.parents[0])!;
      const params = paramsFromJson((copy.lineage[0]!.params as { transforms: JsonObject }).transforms);
      const replayed = await recipe.apply({ image: original.payload }, params);
      expect(bytesOf(replayed.target.image), copy.id).toEqual(bytesOf(copy.payload as EncodedImage));
    }
  });

  it('gives the same bytes for the same seed whatever the concurrency, and other bytes for another seed', async () => {
    const { dir } = await imageFolder(false);
    const one = await run(dir, { recipe: RECIPE, copies: 2, seed: 5, concurrency: 1 });
    const many = await run(dir, { recipe: RECIPE, copies: 2, seed: 5, concurrency: 8 });
    const other = await run(dir, { recipe: RECIPE, copies: 2, seed: 6, concurrency: 8 });
    const bytes = (items: Sample<ImagePayload>[]) =>
      items.map((s) => Buffer.from(bytesOf(s.payload as EncodedImage)).toString('base64'));
    expect(bytes(many.items)).toEqual(bytes(one.items));
    expect(bytes(other.items)).not.toEqual(bytes(one.items));
  });

  it('gives the same bytes, lineage and quarantine reasons on worker threads as on the calling thread', async () => {
    const { dir } = await imageFolder();
    const here = await run(dir, { recipe: RECIPE, copies: 2, seed: 5 });
    const threaded = await run(dir, { recipe: RECIPE, copies: 2, seed: 5, threads: 2, concurrency: 4 });
    const view = (items: Sample<ImagePayload>[]) =>
      items.map((s) => ({
        id: s.id,
        lineage: s.lineage,
        bytes: Buffer.from(bytesOf(s.payload as EncodedImage)).toString('base64'),
      }));
    expect(threaded.items.length).toBeGreaterThan(0);
    expect(view(threaded.items)).toEqual(view(here.items));
    expect(threaded.summary.stages[1]!.quarantinedBy).toEqual(here.summary.stages[1]!.quarantinedBy);
    expect(threaded.quarantine.records.map((r) => [r.id, r.reason])).toEqual(
      here.quarantine.records.map((r) => [r.id, r.reason]),
    );
  });

  it('uses the run seed when the stage has none, and can leave the originals out', async () => {
    const { dir } = await imageFolder(false);
    const { items, summary } = await run(dir, {
      recipe: compose([horizontalFlip({ p: 1 }), rotate({ limit: 5 })]),
      copies: 3,
      keepOriginal: false,
    });
    expect(items).toHaveLength(9);
    expect(items.every((s) => s.lineage.length === 1)).toBe(true);
    expect(summary.stages[1]).toMatchObject({ in: 3, out: 9, created: 6 });
  });

  it('moves boxes and keypoints kept in the sample meta and records the dropped ones', async () => {
    const image = { kind: 'encoded' as const, data: await encode(picture(80, 60), 'png'), format: 'png' };
    const sample: Sample<ImagePayload> = {
      id: 'street/1.png',
      label: 'street',
      payload: image,
      lineage: [],
      meta: {
        boxFormat: 'coco',
        boxes: [
          { coords: [10, 10, 30, 20], label: 'car' },
          { coords: [75, 50, 5, 10], label: 'edge' },
        ],
        keypoints: [{ x: 40.5, y: 30.5, label: 'centre' }],
      },
    };
    const { items } = await pipeline(
      {
        name: 'one',
        async *run() {
          yield sample;
        },
      },
      augmentImages({
        recipe: { type: 'affine', translateX: 0.1 },
        copies: 1,
        keepOriginal: false,
        minVisibility: 0.5,
      }),
    ).collect();
    const meta = items[0]!.meta!;
    expect(meta.boxes).toEqual([{ coords: [18, 10, 30, 20], label: 'car' }]);
    expect(meta.keypoints).toEqual([{ x: 48.5, y: 30.5, label: 'centre' }]);
    expect(meta.dropped).toEqual({ boxes: [{ index: 1, label: 'edge', visibility: 0 }], keypoints: [] });
  });

  it('rejects bad options at construction, naming the field (inside the recipe too)', () => {
    expect(() => augmentImages({ recipe: RECIPE, copies: -1 })).toThrow(OptionsError);
    try {
      augmentImages({ recipe: { type: 'compose', transforms: [{ type: 'rotate', limit: 'x' }] } });
    } catch (error) {
      expect((error as OptionsError).field).toBe('recipe.transforms[0].limit');
    }
    expect(() => augmentImages({ recipe: RECIPE, copies: 0, keepOriginal: false })).toThrow(/copies/);
  });
});

describe('mixImages', () => {
  it('mixes each sample with a batch partner: soft labels, two parents, both roots, deterministic', async () => {
    const { dir } = await imageFolder(false);
    const runMix = () =>
      pipeline(
        readImageFolder(dir),
        mixImages({ method: mixup({ alpha: 0.4 }), batchSize: 3, seed: 2 }),
      ).collect();
    const { items, summary } = await runMix();
    expect(items).toHaveLength(3);
    expect(summary.stages[1]).toMatchObject({ in: 3, out: 3, created: 0, quarantined: 0 });
    for (const mixed of items) {
      const label = mixed.label as { [name: string]: number };
      expect(Object.values(label).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      const step = mixed.lineage[0]!;
      expect(step.op).toBe('mixup');
      expect(step.parents).toHaveLength(2);
      expect(rootIds(mixed)).toEqual([...new Set(step.parents)]);
    }
    const again = await runMix();
    expect(again.items.map((s) => bytesOf(s.payload as EncodedImage))).toEqual(
      items.map((s) => bytesOf(s.payload as EncodedImage)),
    );
  });

  it('quarantines undecodable samples and keeps originals when asked', async () => {
    const { dir, bad } = await imageFolder();
    const quarantine = new MemoryQuarantine();
    const { items, summary } = await pipeline(
      readImageFolder(dir),
      mixImages({ method: { type: 'cutmix' }, batchSize: 4, keepOriginal: true, seed: 1 }),
    ).collect({ quarantine });
    expect(summary.stages[1]).toMatchObject({ out: 6, created: 3, quarantined: Object.keys(bad).length });
    expect(items.filter((s) => s.lineage.length === 0)).toHaveLength(3);
    expect(quarantine.records.map((r) => r.reason).sort()).toEqual(Object.values(bad).sort());
  });
});
