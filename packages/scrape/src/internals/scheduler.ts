import PQueue from 'p-queue';
import type { SharedFrontier } from './shared-frontier.ts';

export interface SchedulerOptions {
  /** Tasks running at once over all hosts. */
  concurrency: number;
  /** Tasks running at once per host. */
  perHostConcurrency: number;
  /** Politeness shared with other processes (delay, concurrency and pauses of each host). */
  shared?: Pick<SharedFrontier, 'hostSlot' | 'pauseHost'>;
  /** Stops waits for a shared host slot. */
  signal?: AbortSignal;
}

interface HostLane {
  queue: PQueue;
  delayMs: number;
  /** When the last request to this host started, in `performance.now()` time. */
  lastStart: number;
  /** Settles when the previous task has taken its start slot. */
  gate: Promise<void>;
  pausedUntil: number;
  resumeTimer: NodeJS.Timeout | undefined;
}

/**
 * Runs network tasks with p-queue: one queue per host (its own concurrency) feeding one global
 * queue, higher `priority` first. Once a task holds its global slot it waits for its host's
 * turn: starts to one host pass one at a time, each at least `delayMs` after the previous one
 * actually started (p-queue's `interval` counts starts per time window, which lets two starts
 * fall close together across a window edge). A host can be paused (Retry-After) without holding
 * global slots: its tasks wait in the host queue.
 */
export class Scheduler {
  readonly #global: PQueue;
  readonly #perHost: number;
  readonly #lanes = new Map<string, HostLane>();
  readonly #shared: SchedulerOptions['shared'];
  readonly #signal: AbortSignal;

  constructor(options: SchedulerOptions) {
    this.#global = new PQueue({ concurrency: options.concurrency });
    this.#perHost = options.perHostConcurrency;
    this.#shared = options.shared;
    this.#signal = options.signal ?? new AbortController().signal;
  }

  /** Sets a host's politeness delay (robots.txt Crawl-delay or the config's `delayMs`). */
  setDelay(host: string, delayMs: number): void {
    this.#lane(host).delayMs = delayMs;
  }

  /** The delay in force for a host. */
  delayOf(host: string): number {
    return this.#lanes.get(host)?.delayMs ?? 0;
  }

  #lane(host: string): HostLane {
    let lane = this.#lanes.get(host);
    if (!lane) {
      lane = {
        queue: new PQueue({ concurrency: this.#perHost }),
        delayMs: 0,
        lastStart: Number.NEGATIVE_INFINITY,
        gate: Promise.resolve(),
        pausedUntil: 0,
        resumeTimer: undefined,
      };
      this.#lanes.set(host, lane);
    }
    return lane;
  }

  /** Runs `task` when the host and the global queue have room and the host's delay has passed. */
  run<T>(host: string, task: () => Promise<T>, priority = 0): Promise<T> {
    const lane = this.#lane(host);
    const polite = async (): Promise<T> => {
      if (this.#shared) {
        // Across processes: the shared slot enforces the delay, concurrency and pauses.
        const release = await this.#shared.hostSlot(host, lane.delayMs, this.#signal);
        try {
          return await task();
        } finally {
          release();
        }
      }
      if (lane.delayMs > 0) {
        // Starts to one host pass one at a time, each at least `delayMs` after the previous
        // one actually started (a late timer makes the next gap longer, never shorter).
        const turn = lane.gate.then(async () => {
          const wait = lane.lastStart + lane.delayMs - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
          lane.lastStart = performance.now();
        });
        lane.gate = turn;
        await turn;
      }
      return task();
    };
    return lane.queue.add(() => this.#global.add(polite, { priority }), { priority }) as Promise<T>;
  }

  /** Stops starting tasks for `host` for `ms` (a 429/503 Retry-After); extends a running pause. */
  pauseHost(host: string, ms: number): void {
    this.#shared?.pauseHost(host, ms).catch(() => {});
    const lane = this.#lane(host);
    const until = Date.now() + ms;
    if (until <= lane.pausedUntil && lane.resumeTimer) return;
    lane.pausedUntil = until;
    lane.queue.pause();
    if (lane.resumeTimer) clearTimeout(lane.resumeTimer);
    lane.resumeTimer = setTimeout(() => {
      lane.resumeTimer = undefined;
      lane.queue.start();
    }, ms);
  }

  /** Tasks waiting or running, over all hosts. */
  get busy(): number {
    let n = 0;
    for (const lane of this.#lanes.values()) n += lane.queue.size + lane.queue.pending;
    return n;
  }

  /** Drops waiting tasks and pause timers (running tasks finish on their own). */
  clear(): void {
    for (const lane of this.#lanes.values()) {
      lane.queue.clear();
      if (lane.resumeTimer) clearTimeout(lane.resumeTimer);
      lane.resumeTimer = undefined;
    }
    this.#global.clear();
  }
}
