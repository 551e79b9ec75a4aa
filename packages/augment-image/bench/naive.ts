import sharp from 'sharp';
import type { AppliedParams } from '../src/index.ts';

/**
 * The benchmark recipe run the way one would write it by hand: one sharp call and one JPEG
 * encode per transform, with the same drawn params as the planner (so both do the same work).
 */
export async function runNaive(jpeg: Uint8Array, params: AppliedParams, quality: number): Promise<Buffer> {
  let buf = Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.length);
  let width = 0;
  let height = 0;
  ({ width, height } = await sharp(buf).metadata());
  for (const child of params.children ?? []) {
    if (!child.applied) continue;
    const p = child.params ?? {};
    let img = sharp(buf);
    switch (child.type) {
      case 'horizontalFlip':
        img = img.flop();
        break;
      case 'rotate': {
        const angle = p.angle as number;
        const t = (Math.abs(angle) * Math.PI) / 180;
        const rw = Math.round(width * Math.cos(t) + height * Math.sin(t));
        const rh = Math.round(width * Math.sin(t) + height * Math.cos(t));
        // sharp rotates clockwise for positive angles; the recipe's angles are counter-clockwise.
        img = img
          .rotate(-angle, { background: { r: 0, g: 0, b: 0 } })
          .extract({ left: Math.floor((rw - width) / 2), top: Math.floor((rh - height) / 2), width, height });
        break;
      }
      case 'randomResizedCrop':
        img = img
          .extract({
            left: p.x as number,
            top: p.y as number,
            width: p.width as number,
            height: p.height as number,
          })
          .resize(224, 224, { fit: 'fill' });
        width = 224;
        height = 224;
        break;
      case 'colorJitter':
        img = img.modulate({
          brightness: (p.brightness as number) ?? 1,
          saturation: (p.saturation as number) ?? 1,
        });
        break;
      case 'gaussianBlur':
        img = img.blur(Math.max(0.3, p.sigma as number));
        break;
      default:
        throw new Error(`runNaive: no naive form for ${child.type}`);
    }
    buf = await img.jpeg({ quality }).toBuffer();
  }
  return buf;
}
