import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng } from '@growset/core';
import sharp from 'sharp';

/**
 * A clean-images style output folder: `images/` (ImageFolder with manifest.jsonl: originals,
 * augmented copies with lineage, boxes and keypoints on one) and `quarantine.jsonl` with the
 * saved bytes of a truncated image. Sizes differ per image so that sorting by width is visible.
 */
export async function writeFixture(
  dir: string,
): Promise<{ originals: number; copies: number; quarantined: number }> {
  const rng = Rng.create(7);
  const labels = ['cat', 'dog', 'bird'];
  const lines: string[] = [];
  let originals = 0;
  let copies = 0;
  for (const [li, label] of labels.entries()) {
    await mkdir(join(dir, 'images', label), { recursive: true });
    for (let i = 0; i < 4; i++) {
      const width = 16 + li * 8 + i * 4;
      const height = 20;
      const colour = { r: rng.int(0, 255), g: rng.int(0, 255), b: rng.int(0, 255) };
      const png = await sharp({ create: { width, height, channels: 3, background: colour } })
        .png()
        .toBuffer();
      const id = `${label}/${label}${i}`;
      await writeFile(join(dir, 'images', label, `${label}${i}.png`), png);
      const meta: { [k: string]: unknown } = { width, height };
      if (i === 0) {
        meta.boxes = [{ x: 2, y: 3, width: 8, height: 9 }];
        meta.keypoints = [{ x: 5, y: 6 }];
      }
      if (label === 'dog' && i === 3) meta.suspiciousLabel = { suggested: 'cat', selfConfidence: 0.1 };
      lines.push(
        JSON.stringify({
          id,
          label,
          file: `${label}/${label}${i}.png`,
          source: { url: `https://example.test/${label}${i}.png` },
          lineage: [],
          meta,
        }),
      );
      originals += 1;
      if (i < 2) {
        for (let k = 0; k < 2; k++) {
          const child = `${id}~aug${k}`;
          const flipped = await sharp(png).flop().png().toBuffer();
          await writeFile(join(dir, 'images', label, `${label}${i}~aug${k}.png`), flipped);
          const params = { angle: 5 * (k + 1), flip: k === 0 };
          lines.push(
            JSON.stringify({
              id: child,
              label,
              file: `${label}/${label}${i}~aug${k}.png`,
              lineage: [{ op: 'augment', version: 1, params, parents: [id], roots: [id] }],
              meta: { width, height },
            }),
          );
          copies += 1;
        }
      }
    }
  }
  await writeFile(join(dir, 'images', 'manifest.jsonl'), `${lines.join('\n')}\n`);
  await mkdir(join(dir, 'files'), { recursive: true });
  const good = await sharp({ create: { width: 30, height: 30, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
  await writeFile(join(dir, 'files', 'check-truncated.jpg'), good.subarray(0, good.length >> 1));
  const quarantine = [
    {
      stage: 'check-images',
      id: 'cat/broken',
      reason: 'truncated image',
      detail: 'premature end of JPEG',
      label: 'cat',
      file: 'files/check-truncated.jpg',
      source: { file: 'cat/broken.jpg' },
    },
    {
      stage: 'check-images',
      id: 'dog/empty',
      reason: 'empty file',
      label: 'dog',
      source: { file: 'dog/empty.png' },
    },
  ];
  await writeFile(join(dir, 'quarantine.jsonl'), `${quarantine.map((q) => JSON.stringify(q)).join('\n')}\n`);
  await writeFile(join(dir, 'secret-outside.txt'), 'not for the page');
  return { originals, copies, quarantined: quarantine.length };
}
