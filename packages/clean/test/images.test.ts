import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type EncodedImage,
  fromIterable,
  type ImagePayload,
  isEncodedImage,
  Rng,
  readImageFolder,
  type Sample,
} from '@growset/core';
import { type DirtyImage, writeDirtyImages } from '@growset/fixtures';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BkTree,
  checkImages,
  dedupeImages,
  dhashFromPixels,
  hamming,
  hexToHash,
  perceptualHash,
  phashFromPixels,
} from '../src/index.ts';
import { runAll, tempDir } from './helpers.ts';

type ImageSample = Sample<ImagePayload>;

const state = { dir: '', cleanup: async () => {}, images: [] as DirtyImage[] };
beforeAll(async () => {
  const t = await tempDir();
  state.dir = t.dir;
  state.cleanup = t.cleanup;
  state.images = await writeDirtyImages(t.dir);
});
afterAll(() => state.cleanup());

const encoded = async (id: string, data: Buffer, label = 'x'): Promise<Sample<EncodedImage>> => ({
  id,
  label,
  payload: { kind: 'encoded', data: new Uint8Array(data) },
  lineage: [],
});

describe('checkImages + dedupeImages on the dirty image folder', () => {
  it('puts every defect in quarantine with its reason, converts what can be fixed, and drops copies naming the kept image', async () => {
    const check = checkImages();
    const dedupe = dedupeImages();
    const { items, quarantine, summary } = await runAll<ImageSample>(
      readImageFolder(state.dir),
      check,
      dedupe,
    );
    const outcome = new Map<string, { outcome: string; reason?: string; detail?: string }>();
    for (const r of quarantine.records)
      outcome.set(r.id, { outcome: 'quarantined', reason: r.reason, detail: r.detail });
    for (const s of items) outcome.set(s.id, { outcome: 'pass' });
    const filtered = state.images.filter((i) => i.outcome === 'filtered');
    for (const image of state.images) {
      if (image.outcome === 'filtered') continue;
      expect({ file: image.file, ...outcome.get(image.file) }).toMatchObject({
        file: image.file,
        outcome: image.outcome,
        ...(image.reason ? { reason: image.reason } : {}),
      });
    }
    expect(summary.stages[2]!.filteredBy).toEqual({ 'near duplicate': 2, duplicate: 1 });
    expect(summary.stages.every((s) => s.in + s.created === s.out + s.filtered + s.quarantined)).toBe(true);
    expect(summary.out + summary.filtered + summary.quarantined).toBe(state.images.length);
    const groups = dedupe.report().groups;
    for (const copy of [
      ...filtered,
      ...state.images.filter((i) => i.reason === 'conflicting duplicate label'),
    ]) {
      const group = groups.find((g) => g.duplicates.some((d) => d.id === copy.file));
      expect(group?.kept).toBe(copy.duplicateOf);
    }
    expect(dedupe.report()).toMatchObject({ exact: 2, near: 2, conflictingLabels: 1 });
    const converted = Object.fromEntries(items.map((s) => [s.id, s.meta?.converted]));
    expect(converted['logo/gimp-cmyk.jpg']).toContain('cmyk');
    expect(converted['logo/zip-16bit.png']).toContain('16-bit');
    expect(converted['logo/animated.gif']).toContain('animated');
    expect(check.report()).toMatchObject({ checked: 23, converted: { cmyk: 1, '16-bit': 1, animated: 1 } });
    expect(outcome.get('logo/bomb.png')!.detail).toBe(
      '40000x40000 = 1600000000 pixels is more than maxPixels (40000000); not decoded',
    );
    expect(outcome.get('digit-7/z-notes.png')!.detail).toContain('"These are my not", which is text');
  });

  it('outputs 8-bit sRGB for the CMYK JPEG and the 16-bit PNG, and the first frame of the GIF', async () => {
    const { items } = await runAll<ImageSample>(readImageFolder(state.dir), checkImages());
    const byId = new Map(items.map((s) => [s.id, s]));
    for (const id of ['logo/gimp-cmyk.jpg', 'logo/zip-16bit.png', 'logo/animated.gif']) {
      const payload = byId.get(id)!.payload;
      if (!isEncodedImage(payload)) throw new Error('expected encoded output');
      const meta = await sharp(payload.data).metadata();
      expect({ id, space: meta.space, depth: meta.depth, pages: meta.pages ?? 1 }).toEqual({
        id,
        space: 'srgb',
        depth: 'uchar',
        pages: 1,
      });
    }
    const cmyk = byId.get('logo/gimp-cmyk.jpg')!;
    expect(cmyk.meta).toMatchObject({ format: 'jpeg', width: 100, height: 100 });
    const untouched = byId.get('logo/ffox.png')!;
    expect((untouched.payload as EncodedImage).data).toEqual(
      new Uint8Array(await readFile(join(state.dir, 'logo/ffox.png'))),
    );
  });

  it('flattens alpha onto white, emits raw pixels, and quarantines animations on request', async () => {
    const ffox = await readFile(join(state.dir, 'logo/ffox.png'));
    const gif = await readFile(join(state.dir, 'logo/animated.gif'));
    const { items, quarantine } = await runAll<ImageSample>(
      fromIterable('images', [await encoded('ffox', ffox), await encoded('gif', gif)]),
      checkImages({ alpha: 'flatten', output: 'raw', animated: 'quarantine' }),
    );
    expect(quarantine.records.map((r) => [r.id, r.reason, r.detail])).toEqual([
      ['gif', 'animated image', "2 frames (animated: 'quarantine')"],
    ]);
    const raw = items[0]!.payload;
    expect(raw).toMatchObject({ kind: 'raw', width: 100, height: 100, channels: 3, dtype: 'uint8' });
    expect(items[0]!.meta?.converted).toEqual(['alpha']);
    // The top-left corner of the logo is transparent: flattened onto white.
    expect(Array.from((raw as { data: Uint8Array }).data.subarray(0, 3))).toEqual([255, 255, 255]);
  });

  it('finds the near copies with pHash too, and keeps everything when both checks are off', async () => {
    const read = async (file: string) => encoded(file, await readFile(join(state.dir, file)), 'digit-3');
    const files = [
      'digit-3/a-2.png',
      'digit-3/z-near-recompressed.jpg',
      'digit-3/a-0.png',
      'digit-3/z-near-resized.png',
    ];
    const samples = await Promise.all(files.map(read));
    const phash = await runAll<ImageSample>(
      fromIterable('images', samples),
      dedupeImages({ near: 'phash', threshold: 6 }),
    );
    expect(phash.items.map((s) => s.id)).toEqual(['digit-3/a-2.png', 'digit-3/a-0.png']);
    const off = await runAll<ImageSample>(
      fromIterable('images', samples),
      dedupeImages({ near: false, exact: false }),
    );
    expect(off.items.map((s) => s.id)).toEqual(files);
  });
});

describe('perceptual hashes', () => {
  const gradient = (width: number, height: number, rising: boolean) => {
    const data = Buffer.alloc(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++)
        data[y * width + x] = Math.round(((rising ? x : width - 1 - x) / (width - 1)) * 255);
    }
    return sharp(data, { raw: { width, height, channels: 1 } })
      .png()
      .toBuffer();
  };

  it('gives all ones for a left-to-right rising gradient and all zeros for a falling one (dHash)', async () => {
    const up = await perceptualHash({ kind: 'encoded', data: await gradient(90, 80, true) }, 'dhash');
    const down = await perceptualHash({ kind: 'encoded', data: await gradient(90, 80, false) }, 'dhash');
    expect(up).toBe('ffffffffffffffff');
    expect(down).toBe('0000000000000000');
    expect(dhashFromPixels(new Uint8Array(72))).toEqual({ hi: 0, lo: 0 });
  });

  it('sets half the pHash bits (above the median) and is stable under resizing', async () => {
    const photo = await readFile(join(state.dir, 'logo/ffox.png'));
    const small = await sharp(photo).resize(50, 50).png().toBuffer();
    const a = hexToHash(await perceptualHash({ kind: 'encoded', data: photo }, 'phash'))!;
    const b = hexToHash(await perceptualHash({ kind: 'encoded', data: small }, 'phash'))!;
    expect(hamming(a, b)).toBeLessThanOrEqual(4);
    const ones = hamming(a, { hi: 0, lo: 0 });
    expect(ones).toBeGreaterThan(20);
    expect(ones).toBeLessThan(44);
    expect(phashFromPixels(new Uint8Array(1024).map((_, i) => i % 32))).toEqual(
      phashFromPixels(new Uint8Array(1024).map((_, i) => (i % 32) * 2)),
    );
  });

  it('finds the same nearest hash with the BK-tree as a brute-force scan', () => {
    const rng = Rng.create('bk');
    const tree = new BkTree<number>();
    const stored = Array.from({ length: 2000 }, () => ({ hi: rng.nextUint32(), lo: rng.nextUint32() }));
    stored.forEach((h, i) => {
      tree.add(h, i);
    });
    for (let q = 0; q < 200; q++) {
      const base = stored[rng.int(0, stored.length - 1)]!;
      const query = {
        hi: (base.hi ^ (1 << rng.int(0, 31))) >>> 0,
        lo: q % 2 === 0 ? base.lo : rng.nextUint32(),
      };
      let best: { index: number; d: number } | undefined;
      stored.forEach((h, index) => {
        const d = hamming(h, query);
        if (d <= 12 && (best === undefined || d < best.d)) best = { index, d };
      });
      const found = tree.nearest(query, 12);
      expect(found === undefined ? undefined : { index: found.value, d: found.distance }).toEqual(best);
    }
  });
});
