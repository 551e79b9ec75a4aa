import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { encode, picture } from './images.ts';

/** A PNG whose header claims `width` x `height` pixels but carries no image data (a pixel bomb's header). */
export function pngClaiming(width: number, height: number): Uint8Array {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(
    Buffer.concat([
      signature,
      chunk('IHDR', ihdr),
      chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/** The bad inputs the issue lists, by file name and the reason they must be quarantined with. */
export async function badFiles(): Promise<{ [path: string]: { data: Uint8Array; reason: string } }> {
  const good = await encode(picture(80, 60), 'jpeg');
  const corrupt = new Uint8Array(good);
  for (let i = 600; i < corrupt.length - 2; i += 7) corrupt[i] = 0xff;
  return {
    'cat/empty.jpg': { data: new Uint8Array(0), reason: 'empty file' },
    'dog/notes.png': {
      data: new TextEncoder().encode('these are my notes, not a picture\n'),
      reason: 'not an image',
    },
    'cat/truncated.jpg': { data: good.subarray(0, Math.floor(good.length / 2)), reason: 'undecodable image' },
    'dog/corrupt.jpg': { data: corrupt, reason: 'undecodable image' },
    'cat/bomb.png': { data: pngClaiming(100_000, 100_000), reason: 'pixel limit exceeded' },
  };
}

/** Writes `files` (relative path -> bytes) into a new temporary folder. */
export async function tempFolder(files: { [path: string]: Uint8Array }): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'growset-augment-'));
  for (const [path, data] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), data);
  }
  return root;
}

/** A small ImageFolder: three good images in two classes, plus the bad inputs. */
export async function imageFolder(
  withBad = true,
): Promise<{ dir: string; good: string[]; bad: { [path: string]: string } }> {
  const files: { [path: string]: Uint8Array } = {
    'cat/a.jpg': await encode(picture(96, 72), 'jpeg'),
    'cat/b.png': await encode(picture(64, 64, 4), 'png'),
    'dog/c.jpg': await encode(picture(120, 90, 1), 'jpeg'),
  };
  const bad: { [path: string]: string } = {};
  if (withBad) {
    for (const [path, { data, reason }] of Object.entries(await badFiles())) {
      files[path] = data;
      bad[path] = reason;
    }
  }
  return { dir: await tempFolder(files), good: ['cat/a.jpg', 'cat/b.png', 'dog/c.jpg'], bad };
}
