/**
 * A bounded async queue between the crawler (which pushes from many concurrent tasks) and the
 * pipeline (which pulls). `ready()` resolves when there is room, so producers slow down when the
 * consumer does: memory stays bounded by `capacity` items.
 */
export class Channel<T> implements AsyncIterable<T> {
  readonly #capacity: number;
  readonly #items: T[] = [];
  #closed = false;
  #error: unknown;
  #pull: (() => void) | undefined;
  #space: (() => void)[] = [];

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#items.length;
  }

  /** Resolves when the buffer has room (immediately if it has). */
  ready(): Promise<void> {
    if (this.#items.length < this.#capacity || this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.#space.push(resolve));
  }

  push(item: T): void {
    if (this.#closed) return;
    this.#items.push(item);
    this.#wake();
  }

  /** Ends the stream; with an error, the consumer's loop throws it after the buffered items. */
  close(error?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = error;
    this.#wake();
    for (const resolve of this.#space.splice(0)) resolve();
  }

  #wake(): void {
    const pull = this.#pull;
    this.#pull = undefined;
    pull?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) {
        if (this.#space.length > 0 && this.#items.length < this.#capacity) this.#space.shift()!();
        yield item;
        continue;
      }
      if (this.#closed) {
        if (this.#error !== undefined) throw this.#error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.#pull = resolve;
      });
    }
  }
}
