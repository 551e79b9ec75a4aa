import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { describeDecodeError, lacksEndMarker } from '../src/internals/images/decode-errors.ts';

describe('decode errors', () => {
  it('calls a JPEG without its end marker truncated even when libvips loses the message', async () => {
    // Under concurrent decodes libvips' shared error buffer can leave sharp with only this text.
    const generic = new Error('Warning treated as error due to failOn setting');
    const jpeg = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#abc' } })
      .jpeg()
      .toBuffer();
    const cut = new Uint8Array(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)));
    expect(lacksEndMarker(new Uint8Array(jpeg), 'jpeg')).toBe(false);
    expect(lacksEndMarker(cut, 'jpeg')).toBe(true);
    expect(describeDecodeError(generic, 'jpeg', cut)).toMatchObject({
      reason: 'truncated image',
      detail: 'jpeg: no jpeg end marker; Warning treated as error due to failOn setting',
    });
    expect(describeDecodeError(generic, 'jpeg', new Uint8Array(jpeg))).toMatchObject({
      reason: 'undecodable image',
    });
  });

  it('checks PNG and GIF end markers too, and knows nothing of other formats', async () => {
    const png = new Uint8Array(
      await sharp({ create: { width: 8, height: 8, channels: 3, background: 'red' } })
        .png()
        .toBuffer(),
    );
    expect(lacksEndMarker(png, 'png')).toBe(false);
    expect(lacksEndMarker(png.subarray(0, png.length - 12), 'png')).toBe(true);
    expect(lacksEndMarker(new Uint8Array([1, 2, 3]), 'webp')).toBe(false);
  });
});
