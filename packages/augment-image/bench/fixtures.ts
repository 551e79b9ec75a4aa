import { Rng } from '@growset/core';
import sharp from 'sharp';

/**
 * Deterministic photo-like test images: a two-colour gradient, a dozen soft-edged discs and
 * boxes, and mild noise (so the JPEGs carry texture, not flat areas that decode for free).
 */
export async function generateJpegs(count: number, size: number, seed = 1): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let k = 0; k < count; k++) {
    const rng = Rng.create(seed).fork(k);
    const px = new Uint8Array(size * size * 3);
    const a = [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)];
    const b = [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)];
    const shapes = Array.from({ length: 12 }, () => ({
      x: rng.uniform(0, size),
      y: rng.uniform(0, size),
      r: rng.uniform(size / 20, size / 5),
      disc: rng.bool(),
      colour: [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)],
    }));
    // Gradient, then the shapes in order (the last one drawn wins), then noise: painted by each
    // shape's bounding box, so 600 photos take seconds, not minutes.
    const rgb = new Float64Array(size * size * 3);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const t = (x + y) / (2 * size);
        const i = (y * size + x) * 3;
        for (let c = 0; c < 3; c++) rgb[i + c] = a[c]! * (1 - t) + b[c]! * t;
      }
    }
    for (const s of shapes) {
      const ry = s.disc ? s.r : s.r * 0.6;
      for (let y = Math.max(0, Math.floor(s.y - ry)); y <= Math.min(size - 1, Math.ceil(s.y + ry)); y++) {
        for (let x = Math.max(0, Math.floor(s.x - s.r)); x <= Math.min(size - 1, Math.ceil(s.x + s.r)); x++) {
          const inside = s.disc
            ? Math.hypot(x - s.x, y - s.y) < s.r
            : Math.abs(x - s.x) < s.r && Math.abs(y - s.y) < s.r * 0.6;
          if (!inside) continue;
          const i = (y * size + x) * 3;
          for (let c = 0; c < 3; c++) rgb[i + c] = s.colour[c]!;
        }
      }
    }
    for (let i = 0; i < size * size * 3; i += 3) {
      const noise = (rng.nextUint32() / 4294967296 - 0.5) * 24;
      for (let c = 0; c < 3; c++) px[i + c] = Math.max(0, Math.min(255, Math.round(rgb[i + c]! + noise)));
    }
    const jpeg = await sharp(px, { raw: { width: size, height: size, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer();
    out.push(new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.length));
  }
  return out;
}

/** Runs `fn` over `items` with `concurrency` calls in flight; returns images per second. */
export async function throughput<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= items.length) return;
      await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return items.length / ((performance.now() - start) / 1000);
}
