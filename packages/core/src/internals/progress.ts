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
  readonly #pending = new Map<string, ProgressEvent>();

  constructor(listener: ProgressListener, intervalMs = 100) {
    this.#listener = listener;
    this.#intervalMs = intervalMs;
  }

  emit(key: string, event: ProgressEvent, force = false): void {
    const now = performance.now();
    const last = this.#last.get(key) ?? Number.NEGATIVE_INFINITY;
    if (force || now - last >= this.#intervalMs) {
      this.#last.set(key, now);
      this.#pending.delete(key);
      this.#listener(event);
    } else {
      this.#pending.set(key, event);
    }
  }

  flush(): void {
    for (const [key, event] of this.#pending) {
      this.#last.set(key, performance.now());
      this.#listener(event);
    }
    this.#pending.clear();
  }
}
