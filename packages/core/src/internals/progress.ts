/** Counts of one stage at a point in time. */
export interface StageProgress {
  /** Unique stage name within the run. */
  stage: string;
  in: number;
  out: number;
  created: number;
  filtered: number;
  quarantined: number;
  /** Total items the stage expects to handle, when it knows (a source that counted its files). */
  total?: number;
  /** Bytes read so far, for a source that reads a file (a CSV): with `totalBytes`, its progress. */
  bytes?: number;
  /** Size of what a source reads, when it knows it before it counts items (a CSV file's size). */
  totalBytes?: number;
  /** Latest message from the stage (current URL, epoch, ...). */
  message?: string;
}

/** Events a run emits; front ends turn them into progress bars or log lines. */
export type ProgressEvent =
  | { type: 'run-start'; run: string; stages: string[] }
  | { type: 'stage-progress'; run: string; progress: StageProgress }
  | { type: 'run-end'; run: string; stages: StageProgress[]; ok: boolean }
  /** Free-form work outside pipelines (a study's trials, a crawl's pages). */
  | { type: 'task'; task: string; done: number; total?: number; message?: string };

export type ProgressListener = (event: ProgressEvent) => void;

/**
 * Calls `listener` at most once per `intervalMs` per key, always delivering the latest value;
 * `flush()` delivers whatever is pending. Keeps progress cheap on million-item streams.
 */
export class ThrottledProgress {
  readonly #listener: ProgressListener;
  readonly #intervalMs: number;
  readonly #last = new Map<string, number>();
  readonly #pending = new Map<string, ProgressEvent | (() => ProgressEvent)>();

  constructor(listener: ProgressListener, intervalMs = 100) {
    this.#listener = listener;
    this.#intervalMs = intervalMs;
  }

  /**
   * `event` may be a function that builds it: it is called only when the event is delivered, so
   * a caller can report every item of a stream without building an event per item.
   */
  emit(key: string, event: ProgressEvent | (() => ProgressEvent), force = false): void {
    const now = performance.now();
    const last = this.#last.get(key) ?? Number.NEGATIVE_INFINITY;
    if (force || now - last >= this.#intervalMs) {
      this.#last.set(key, now);
      this.#pending.delete(key);
      this.#listener(typeof event === 'function' ? event() : event);
    } else {
      this.#pending.set(key, event);
    }
  }

  flush(): void {
    for (const [key, event] of this.#pending) {
      this.#last.set(key, performance.now());
      this.#listener(typeof event === 'function' ? event() : event);
    }
    this.#pending.clear();
  }
}
