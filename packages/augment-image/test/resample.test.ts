import { readFileSync } from 'node:fs';
import type { RawImage } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { compileWat } from '../scripts/wat.ts';
import { resampleAffine } from '../src/internals/engine/js/resample.ts';
import { RESAMPLE_WASM_BASE64 } from '../src/internals/engine/js/resample-wasm.generated.ts';
import { about, chain, rotation, scaling, translation } from '../src/internals/geometry/matrix.ts';
import { brightnessStep, foldColour, saturationStep } from '../src/internals/ops/colour.ts';
import { picture } from './helpers/images.ts';

describe('resampleAffine (8-bit RGB, bilinear)', () => {
  it('gives the same bytes in WebAssembly as the JavaScript loop: rotations, crops, shrinks, borders, colour', () => {
    const image = picture(97, 61) as RawImage;
    const matrices = [
      about(rotation(13), 48.5, 30.5),
      chain(translation(-20.25, -7.5), scaling(1.7)),
      chain(about(rotation(-31), 48.5, 30.5), scaling(0.45)),
      about(chain(rotation(90), scaling(1.1)), 48.5, 30.5),
      translation(-200, 0),
    ] as const;
    const colours = [
      undefined,
      foldColour([brightnessStep(1.18), saturationStep(0.83)]),
      foldColour([brightnessStep(3.5)]),
      foldColour([brightnessStep(0)]),
    ];
    for (const [k, matrix] of matrices.entries())
      for (const [c, colour] of colours.entries()) {
        const options = {
          matrix,
          width: 64,
          height: 48,
          fill: [10, 200, 30],
          interpolation: 'bilinear' as const,
          ...(colour ? { colour } : {}),
        };
        const wasm = resampleAffine(image, options);
        const js = resampleAffine(image, { ...options, javascript: true });
        expect([wasm.width, wasm.height, wasm.channels]).toEqual([64, 48, 3]);
        expect(
          Buffer.from(wasm.data as Uint8Array).equals(Buffer.from(js.data as Uint8Array)),
          `matrix ${k}, colour ${c}`,
        ).toBe(true);
      }
  });

  it('ships the module compiled from resample.wat', async () => {
    const wat = readFileSync(new URL('../src/internals/engine/js/resample.wat', import.meta.url), 'utf8');
    expect(Buffer.from(await compileWat(wat)).toString('base64')).toBe(RESAMPLE_WASM_BASE64);
  });
});
