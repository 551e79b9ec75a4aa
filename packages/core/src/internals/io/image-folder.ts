import { constants, type Dirent } from 'node:fs';
import { mkdir, open, readdir, realpath, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, sep } from 'node:path';
import { z } from 'zod';
import { errorMessage } from '../errors.ts';
import { parseOptions } from '../options.ts';
import {
  type EncodedImage,
  extensionForFormat,
  hardLabel,
  type ImagePayload,
  isRawImage,
  type Sample,
  sniffImageFormat,
} from '../sample.ts';
import { filtered, mapStage, quarantined, type Source, type Stage } from '../stage.ts';
import { AtomicFileWriter, writeFileAtomic } from './atomic.ts';
import { encodeRawAsPng } from './encode.ts';
import { toManifestEntry } from './jsonl.ts';
import { safeFileName, safeJoin } from './sanitize.ts';

/** Extensions read as images (torchvision's ImageFolder list plus GIF and AVIF). */
export const IMAGE_EXTENSIONS: readonly string[] = [
  '.jpg',
  '.jpeg',
  '.png',
  '.ppm',
  '.bmp',
  '.pgm',
  '.tif',
  '.tiff',
  '.webp',
  '.gif',
  '.avif',
];

const readOptionsSchema = z.strictObject({
  extensions: z
    .array(z.string().regex(/^\.[a-z0-9]+$/i))
    .min(1)
    .optional(),
  limit: z.int().min(0).optional(),
  followLinksOutside: z.boolean().default(false),
});

export interface ReadImageFolderOptions {
  /** File extensions (with the dot, any case) read as images. @default IMAGE_EXTENSIONS */
  extensions?: string[];
  /** Stop after this many files (in sorted order). */
  limit?: number;
  /**
   * Read the files that symbolic links outside the folder point to. By default such a link is
   * quarantined (`link outside the folder`), never followed silently. Links inside the folder
   * are always followed. @default false
   */
  followLinksOutside?: boolean;
}

interface FolderFile {
  path: string;
  label: string;
  rel: string;
  entry: Dirent;
}

/**
 * A source over an ImageFolder (`root/<class>/**\/<image>`), in sorted, reproducible order.
 * Each image becomes a sample with id `<class>/<relative path>`, its class as label and its bytes
 * as payload. Files outside class folders, hidden files and non-image files are filtered with a
 * reason; unreadable files are quarantined. Decoding is left to later stages.
 *
 * Every entry that is not a folder is an input and is counted. A symbolic link is followed when
 * it resolves to a regular file inside the folder; a link out of the folder (unless
 * `followLinksOutside`), a broken link, a link loop and a link to a folder are quarantined with
 * the reason. A FIFO, socket or device is quarantined (`not a regular file`) without being
 * opened, so it cannot hang the run; files are opened non-blocking and checked again.
 */
export function readImageFolder(
  dir: string,
  options: ReadImageFolderOptions = {},
): Source<Sample<EncodedImage>> {
  const opts = parseOptions(readOptionsSchema, options, 'ReadImageFolderOptions');
  const extensions = new Set((opts.extensions ?? IMAGE_EXTENSIONS).map((e) => e.toLowerCase()));
  return {
    name: 'read-image-folder',
    async *run(ctx) {
      const entries = await readdir(dir, { withFileTypes: true });
      const root = await realpath(dir);
      const files: FolderFile[] = [];
      const skipped: { id: string; reason: string; path: string }[] = [];
      for (const entry of sortByName(entries)) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name.startsWith('.')) continue; // .git, .cache: not classes
          for (const file of await walk(path)) {
            const rel = relative(path, file.path).split(sep).join('/');
            files.push({ path: file.path, label: entry.name, rel, entry: file.entry });
          }
        } else {
          // growset's own sidecar (manifest.jsonl) is expected beside the class folders.
          const reason = entry.name.endsWith('.jsonl')
            ? 'manifest beside the class folders'
            : 'not in a class folder';
          skipped.push({ id: entry.name, reason, path });
        }
      }
      const limited = opts.limit === undefined ? files : files.slice(0, opts.limit);
      ctx.progress({ total: limited.length + skipped.length });
      for (const s of skipped) {
        ctx.filter({ id: s.id }, s.reason, s.path);
      }
      for (const file of limited) {
        const id = `${file.label}/${file.rel}`;
        const base = file.rel.split('/').pop() ?? file.rel;
        if (base.startsWith('.')) {
          ctx.filter({ id }, 'hidden file', file.path);
          continue;
        }
        if (!extensions.has(extname(base).toLowerCase())) {
          ctx.filter({ id }, 'not an image file', file.path);
          continue;
        }
        const read = await readEntry(file, root, opts.followLinksOutside);
        if ('reason' in read) {
          ctx.quarantine({ id }, read.reason, { detail: read.detail, source: { file: file.path } });
          continue;
        }
        const data = read.data;
        const format = sniffImageFormat(data);
        yield {
          id,
          label: file.label,
          payload: { kind: 'encoded', data, ...(format ? { format } : {}) },
          source: { file: file.path },
          lineage: [],
        };
      }
    },
  };
}

function sortByName<T extends { name: string }>(entries: T[]): T[] {
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Every entry under `dir` that is not a folder (files, links, FIFOs, devices), sorted. */
async function walk(dir: string): Promise<{ path: string; entry: Dirent }[]> {
  const out: { path: string; entry: Dirent }[] = [];
  for (const entry of sortByName(await readdir(dir, { withFileTypes: true }))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else out.push({ path, entry });
  }
  return out;
}

function specialKind(s: {
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isDirectory(): boolean;
}): string {
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isDirectory()) return 'a folder';
  return 'not a regular file';
}

type EntryRead = { data: Uint8Array } | { reason: string; detail: string };

/**
 * The bytes of a folder entry, or why it is not read: links are resolved and checked against the
 * folder first, special files are refused from their type without being opened, and the file is
 * opened non-blocking and checked again (a FIFO swapped in meanwhile cannot hang the read).
 */
async function readEntry(file: FolderFile, root: string, followOutside: boolean): Promise<EntryRead> {
  let target = file.path;
  if (file.entry.isSymbolicLink()) {
    try {
      target = await realpath(file.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP')
        return { reason: 'link loop', detail: 'the symbolic link points (in the end) to itself' };
      if (code === 'ENOENT') return { reason: 'broken link', detail: 'the symbolic link points to nothing' };
      return { reason: 'unreadable file', detail: errorMessage(error) };
    }
    const inside = target === root || target.startsWith(root.endsWith(sep) ? root : root + sep);
    if (!inside && !followOutside) {
      return {
        reason: 'link outside the folder',
        detail: `the symbolic link points to ${target}, outside ${root}; not followed (allow it with followLinksOutside / --follow-links)`,
      };
    }
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(target);
    } catch (error) {
      return { reason: 'unreadable file', detail: errorMessage(error) };
    }
    if (info.isDirectory())
      return {
        reason: 'link to a folder',
        detail: `the symbolic link points to the folder ${target}; not followed`,
      };
    if (!info.isFile())
      return {
        reason: 'not a regular file',
        detail: `the symbolic link points to ${specialKind(info)}: ${target}`,
      };
  } else if (!file.entry.isFile()) {
    return { reason: 'not a regular file', detail: `the entry is ${specialKind(file.entry)}` };
  }
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(target, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = await handle.stat();
    if (!info.isFile()) return { reason: 'not a regular file', detail: `the entry is ${specialKind(info)}` };
    return { data: new Uint8Array(await handle.readFile()) };
  } catch (error) {
    return { reason: 'unreadable file', detail: errorMessage(error) };
  } finally {
    await handle?.close().catch(() => {});
  }
}

const writeOptionsSchema = z.strictObject({
  manifest: z.union([z.boolean(), z.string().min(1)]).default(true),
  concurrency: z.int().min(1).max(64).default(4),
  durable: z.boolean().default(false),
});

export interface WriteImageFolderOptions {
  /**
   * Also write a JSONL manifest (file, label, source, lineage per image) into the folder: `true`
   * for `manifest.jsonl`, or a file name. @default true
   */
  manifest?: boolean | string;
  /** Images encoded and written at once. Output order stays the input order. @default 4 */
  concurrency?: number;
  /** fsync every image (survives power loss; slower). Files are atomic either way. @default false */
  durable?: boolean;
}

/**
 * A pass-through stage that writes images as an ImageFolder (`dir/<class>/<id>.<ext>`), readable
 * by torchvision's `ImageFolder` and Keras' `image_dataset_from_directory`. Class and file names
 * are sanitized (a label can never write outside `dir`); encoded payloads are written as they are,
 * raw pixels as PNG. A sample without a label or with an id already written is quarantined.
 * Each output sample gets `meta.file`, its path relative to `dir`.
 */
export function writeImageFolder(
  dir: string,
  options: WriteImageFolderOptions = {},
): Stage<Sample<ImagePayload>, Sample<ImagePayload>> {
  const opts = parseOptions(writeOptionsSchema, options, 'WriteImageFolderOptions');
  const manifestName =
    opts.manifest === true ? 'manifest.jsonl' : opts.manifest === false ? undefined : opts.manifest;
  return {
    name: 'write-image-folder',
    async *run(input, ctx) {
      const seen = new Set<string>();
      // Each class folder is created once per run, not once per image (a recursive mkdir per file
      // was a measurable part of writing small images).
      const folders = new Map<string, Promise<unknown>>();
      const ensureFolder = (folder: string) => {
        let made = folders.get(folder);
        if (!made) {
          made = mkdir(folder, { recursive: true });
          folders.set(folder, made);
        }
        return made;
      };
      const writeOne = mapStage<Sample<ImagePayload>, Sample<ImagePayload>>(
        'write-image-folder',
        async (sample) => {
          const label = hardLabel(sample.label);
          if (label === undefined)
            return quarantined('missing label', { detail: 'an ImageFolder needs a class per image' });
          if (seen.has(sample.id))
            return quarantined('duplicate id', { detail: `id ${sample.id} was already written` });
          seen.add(sample.id);
          let bytes: Uint8Array;
          let ext: string;
          if (isRawImage(sample.payload)) {
            bytes = await encodeRawAsPng(sample.payload);
            ext = 'png';
          } else {
            bytes = sample.payload.data;
            if (bytes.length === 0) return quarantined('empty image', { detail: 'the payload has no bytes' });
            ext = extensionForFormat(sample.payload.format ?? sniffImageFormat(bytes));
            if (ext === 'bin')
              return filtered('unknown image format', 'the payload is not a recognised image');
          }
          const classDir = safeFileName(label);
          const stem = sample.id.startsWith(`${label}/`) ? sample.id.slice(label.length + 1) : sample.id;
          const fileName = `${safeFileName(stem.replace(/\.[a-z0-9]{2,5}$/i, ''))}.${ext}`;
          const path = safeJoin(dir, classDir, fileName);
          await ensureFolder(dirname(path));
          await writeFileAtomic(path, bytes, { durable: opts.durable, mkdirs: false });
          return { ...sample, meta: { ...(sample.meta ?? {}), file: `${classDir}/${fileName}` } };
        },
        { concurrency: opts.concurrency, ordered: true },
      );
      const manifest = manifestName ? await AtomicFileWriter.open(join(dir, manifestName)) : undefined;
      let committed = false;
      try {
        for await (const sample of writeOne.run(input, ctx)) {
          await manifest?.write(`${JSON.stringify(toManifestEntry(sample))}\n`);
          yield sample;
        }
        await manifest?.commit();
        committed = true;
      } finally {
        if (manifest && !committed) await manifest.abort();
      }
    },
  };
}
