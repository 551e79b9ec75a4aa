import { constants as fsConstants } from 'node:fs';
import { type FileHandle, mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let tempCounter = 0;

/** Name of a temporary sibling of `path`: hidden, unique per process and call. */
export function tempPathFor(path: string): string {
  tempCounter += 1;
  return join(dirname(path), `.${basename(path)}.growset-tmp-${process.pid}-${tempCounter}`);
}

export interface AtomicWriteOptions {
  /**
   * Flush file contents (and the directory entry) to disk before and after the rename, so the new
   * file survives a power loss too. A killed process never leaves a torn file either way.
   * @default true
   */
  durable?: boolean;
  /** Create missing parent folders. @default true */
  mkdirs?: boolean;
}

/**
 * Writes a file so that readers (and a process killed mid-write) see either the previous complete
 * file or the new complete one, never a torn one: the data goes to a temporary sibling that is
 * renamed over the target in one step.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const writer = await AtomicFileWriter.open(path, options);
  try {
    await writer.write(data);
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/**
 * A streaming atomic writer: chunks go to a temporary file; `commit()` renames it over the target,
 * `abort()` deletes it. Writes are buffered into 256 KiB chunks.
 */
export class AtomicFileWriter {
  readonly path: string;
  readonly tempPath: string;
  readonly #handle: FileHandle;
  readonly #durable: boolean;
  #buffer: Uint8Array[] = [];
  #buffered = 0;
  #closed = false;
  #bytes = 0;

  private constructor(path: string, tempPath: string, handle: FileHandle, durable: boolean) {
    this.path = path;
    this.tempPath = tempPath;
    this.#handle = handle;
    this.#durable = durable;
  }

  static async open(path: string, options: AtomicWriteOptions = {}): Promise<AtomicFileWriter> {
    if (options.mkdirs ?? true) await mkdir(dirname(path), { recursive: true });
    const tempPath = tempPathFor(path);
    const handle = await open(
      tempPath,
      fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY | fsConstants.O_TRUNC,
      0o644,
    );
    return new AtomicFileWriter(path, tempPath, handle, options.durable ?? true);
  }

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.#bytes;
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.#closed) throw new Error(`AtomicFileWriter for ${this.path} is already closed`);
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.#buffer.push(bytes);
    this.#buffered += bytes.length;
    this.#bytes += bytes.length;
    if (this.#buffered >= 256 * 1024) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#buffered === 0) return;
    const data = this.#buffer.length === 1 ? this.#buffer[0]! : Buffer.concat(this.#buffer);
    this.#buffer = [];
    this.#buffered = 0;
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await this.#handle.write(data, offset, data.length - offset);
      offset += bytesWritten;
    }
  }

  /** Makes the new content visible at `path` in one step. */
  async commit(): Promise<void> {
    if (this.#closed) throw new Error(`AtomicFileWriter for ${this.path} is already closed`);
    this.#closed = true;
    try {
      await this.#flush();
      if (this.#durable) await this.#handle.sync();
    } finally {
      await this.#handle.close();
    }
    await rename(this.tempPath, this.path);
    if (this.#durable) await syncDirectory(dirname(this.path));
  }

  /** Discards the new content; the previous file, if any, is untouched. */
  async abort(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      await this.#handle.close().catch(() => {});
    }
    await unlink(this.tempPath).catch(() => {});
  }
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on directories; the rename itself is still atomic.
  } finally {
    await handle?.close().catch(() => {});
  }
}
