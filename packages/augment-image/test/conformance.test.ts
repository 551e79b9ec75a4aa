import { OptionsError, type RawImage, Rng } from '@growset/core';
import { describe, expect, it } from 'vitest';
import {
  type ApplyOptions,
  augment,
  defaultRegistry,
  isMixTransform,
  type MixTransform,
  paramsFromJson,
  paramsToJson,
  type Transform,
} from '../src/index.ts';
import { isGeometric } from '../src/internals/ops/types.ts';
import { CASES } from './helpers/cases.ts';
import { bytesOf, encode, picture } from './helpers/images.ts';
import { PIXEL_CHECKS } from './pixel/checks.ts';

const registry = defaultRegistry();
const build = (type: string, options: { [k: string]: unknown }) => registry.fromJSON({ type, ...options });

describe('the transform registry', () => {
  it('has test arguments for every registered transform (a transform added without them fails here)', () => {
    const missing = registry.types.filter((type) => !CASES[type]);
    expect(missing).toEqual([]);
  });

  it('has a pixel check for every registered transform (a transform added without one fails here)', () => {
    const missing = registry.types.filter((type) => !PIXEL_CHECKS[type]);
    expect(missing).toEqual([]);
  });
});

const sources = {
  grey8: picture(64, 48, 1, 'uint8'),
  rgb8: picture(64, 48, 3, 'uint8'),
  rgba8: picture(64, 48, 4, 'uint8'),
  rgb16: picture(64, 48, 3, 'uint16'),
};

for (const type of registry.types) {
  const cases = CASES[type];
  if (!cases) continue;
  describe(`${type} (conformance)`, () => {
    it('accepts its documented options and round-trips through JSON and the registry', () => {
      for (const options of cases.valid) {
        const t = build(type, options);
        const json = t.toJSON();
        expect(json.type).toBe(type);
        expect(json.version).toBeGreaterThanOrEqual(1);
        const again = registry.fromJSON(JSON.parse(JSON.stringify(json)));
        expect(again.toJSON()).toEqual(json);
      }
    });

    it('rejects bad options with an OptionsError naming the field', () => {
      for (const { options, field } of cases.invalid) {
        let error: unknown;
        try {
          build(type, options);
        } catch (e) {
          error = e;
        }
        expect(error, `${JSON.stringify(options)} should be rejected`).toBeInstanceOf(OptionsError);
        expect((error as OptionsError).field).toBe(field);
        expect((error as OptionsError).message).toContain(`\`${field}\``);
      }
    });

    const pixelCheck = PIXEL_CHECKS[type];
    if (pixelCheck) {
      it('matches its pixel reference (closed form or OpenCV golden) on both engines', async () => {
        for (const engine of ['js', 'libvips'] as const) await pixelCheck(engine);
      });
    }

    const sample = build(type, cases.valid[0]!);
    if (isMixTransform(sample)) {
      mixingChecks(cases.valid.map((o) => build(type, o) as MixTransform));
      return;
    }

    it('gives identical bytes for the same seed, and replaying the recorded params reproduces them', async () => {
      const png = await encode(sources.rgb8, 'png');
      for (const options of cases.valid) {
        const t = build(type, options) as Transform;
        for (const engine of ['libvips', 'js'] as const) {
          const opts: ApplyOptions = { output: type === 'normalize' ? 'float32' : 'png', engine };
          const first = await augment(
            t,
            { image: { kind: 'encoded', data: png } },
            Rng.create(`conformance:${type}`),
            opts,
          );
          const second = await augment(
            t,
            { image: { kind: 'encoded', data: png } },
            Rng.create(`conformance:${type}`),
            opts,
          );
          expect(bytesOf(second.target.image)).toEqual(bytesOf(first.target.image));
          const params = paramsFromJson(JSON.parse(JSON.stringify(paramsToJson(first.params))));
          const replayed = await t.apply({ image: { kind: 'encoded', data: png } }, params, opts);
          expect(bytesOf(replayed.target.image)).toEqual(bytesOf(first.target.image));
        }
      }
    });

    it('produces the size its params say, keeping channels and dtype (grey, RGB, RGBA, 16-bit)', async () => {
      const t = build(type, cases.valid[cases.valid.length - 1]!) as Transform;
      for (const [name, source] of Object.entries(sources)) {
        const shape = {
          width: source.width,
          height: source.height,
          channels: source.channels,
          dtype: source.dtype,
        };
        for (const input of [source, { kind: 'encoded' as const, data: await encode(source, 'png') }]) {
          const rng = Rng.create(`shape:${type}:${name}`);
          const result = await augment(t, { image: input }, rng, { output: 'raw' });
          const out = result.target.image as RawImage;
          const expected = t.outputShape(result.params, shape);
          expect({
            name,
            width: out.width,
            height: out.height,
            channels: out.channels,
            dtype: out.dtype,
          }).toEqual({
            name,
            width: expected.width,
            height: expected.height,
            channels: source.channels,
            dtype: expected.dtype,
          });
          expect(out.data.length).toBe(out.width * out.height * out.channels);
        }
      }
    });

    if (sample.kind === 'geometric') {
      it('moves a box with the image: the drawn rectangle stays within 2 px of the moved box', async () => {
        for (let seed = 0; seed < 6; seed++)
          await expectBoxAligned(build(type, cases.valid[0]!) as Transform, `${type}:${seed}`);
      });
    }
  });
}

function mixingChecks(transforms: MixTransform[]): void {
  it('mixes two images deterministically, with a label weight in [0, 1] and the first image shape', () => {
    const a = picture(32, 24, 3);
    const b = picture(32, 24, 3, 'uint8');
    const bFlipped: RawImage = { ...b, data: b.data.slice().reverse() };
    for (const t of transforms) {
      const shape = { width: 32, height: 24, channels: 3 as const, dtype: 'uint8' as const };
      const params = t.sampleParams(Rng.create(1), shape, true);
      expect(t.sampleParams(Rng.create(1), shape, true)).toEqual(params);
      const first = t.mix(a, bFlipped, params);
      const second = t.mix(a, bFlipped, paramsFromJson(JSON.parse(JSON.stringify(paramsToJson(params)))));
      expect(bytesOf(second.image)).toEqual(bytesOf(first.image));
      expect(first.weight).toBeGreaterThanOrEqual(0);
      expect(first.weight).toBeLessThanOrEqual(1);
      expect([first.image.width, first.image.height, first.image.channels]).toEqual([32, 24, 3]);
    }
  });
}

/**
 * Draws a filled rectangle (red channel of the image, and the mask), transforms, and compares the
 * rectangle's extent with the moved box: in the mask always, in the image when every op drawn is
 * geometric (colour ops, as in policies, may hide the red rectangle).
 */
async function expectBoxAligned(t: Transform, seed: string): Promise<void> {
  const box = { x0: 20, y0: 14, x1: 44, y1: 34 };
  const image: RawImage = picture(64, 48, 3);
  const drawn = new Uint8Array(image.data.length);
  const mask = new Uint8Array(64 * 48);
  for (let y = 0; y < 48; y++)
    for (let x = 0; x < 64; x++) {
      const inside = x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1;
      drawn[(y * 64 + x) * 3] = inside ? 255 : 0;
      mask[y * 64 + x] = inside ? 255 : 0;
    }
  const result = await augment(
    t,
    {
      image: { ...image, data: drawn },
      mask: { kind: 'raw', data: mask, width: 64, height: 48, channels: 1, dtype: 'uint8' },
      boxes: [{ coords: [box.x0, box.y0, box.x1, box.y1] }],
    },
    Rng.create(seed),
    { output: 'raw', minVisibility: 0.5 },
  );
  const moved = result.target.boxes?.[0];
  if (!moved) {
    expect(result.dropped.boxes).toHaveLength(1);
    return;
  }
  const shape = { width: 64, height: 48, channels: 3 as const, dtype: 'uint8' as const };
  const onlyGeometry = t.ops(result.params, shape).every(isGeometric);
  const planes: [string, RawImage][] = [['mask', result.target.mask!]];
  if (onlyGeometry) planes.push(['image', result.target.image as RawImage]);
  for (const [name, out] of planes) {
    let [x0, y0, x1, y1] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, -1, -1];
    for (let y = 0; y < out.height; y++)
      for (let x = 0; x < out.width; x++) {
        if (out.data[(y * out.width + x) * out.channels]! < 128) continue;
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x + 1);
        y1 = Math.max(y1, y + 1);
      }
    const [bx0, by0, bx1, by1] = moved.coords;
    for (const [drawnEdge, boxEdge] of [
      [x0, bx0],
      [y0, by0],
      [x1, bx1],
      [y1, by1],
    ] as const)
      expect(
        Math.abs(drawnEdge - boxEdge),
        `${t.type} ${seed} (${name}): drawn ${[x0, y0, x1, y1]} vs box ${moved.coords}`,
      ).toBeLessThanOrEqual(2);
  }
}
