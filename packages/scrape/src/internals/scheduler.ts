import PQueue from 'p-queue';

export interface SchedulerOptions {
  /** Tasks running at once over all hosts. */
  concurrency: number;
  /** Tasks running at once per host. */
  perHostConcurrency: number;
}

interface HostLane {
  queue: PQueue;
  delayMs: number;
  /** Earliest start of the next request to this host (politeness delay), in `performance.now()` time. */
  nextStart: number;
  pausedUntil: number;
  resumeTimer: NodeJS.Timeout | undefined;
}

/**
 * Runs network tasks with p-queue: one queue per host (its own concurrency) feeding one global
 * queue, higher `priority` first. A host's politeness delay is a chain of start times reserved
 * once a task holds its global slot, so two request starts to one host are always at least
 * `delayMs` apart (p-queue's `interval` counts starts per time window, which lets two starts
 * fall close together across a window edge). A host can be paused (Retry-After) without holding
 * global slots: its tasks wait in the host queue.
 */
export class Scheduler {
  readonly #global: PQueue;
  readonly #perHost: number;
  readonly #lanes = new Map<string, HostLane>();

  constructor(options: SchedulerOptions) {
    this.#global = new PQueue({ concurrency: options.concurrency });
    this.#perHost = options.perHostConcurrency;
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
        nextStart: 0,
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
      if (lane.delayMs > 0) {
        const now = performance.now();
        const at = Math.max(now, lane.nextStart);
        lane.nextStart = at + lane.delayMs;
        if (at > now) await new Promise((resolve) => setTimeout(resolve, Math.ceil(at - now)));
      }
      return task();
    };
    return lane.queue.add(() => this.#global.add(polite, { priority }), { priority }) as Promise<T>;
  }

  /** Stops starting tasks for `host` for `ms` (a 429/503 Retry-After); extends a running pause. */
  pauseHost(host: string, ms: number): void {
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
