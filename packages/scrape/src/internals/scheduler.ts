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
  pausedUntil: number;
  resumeTimer: NodeJS.Timeout | undefined;
}

/**
 * Runs network tasks with p-queue: one queue per host (its own concurrency, and a politeness
 * delay as p-queue's `interval` with `intervalCap: 1`, so two request starts to one host are at
 * least `delayMs` apart) feeding one global queue. A host can be paused (Retry-After) without
 * holding global slots: its tasks wait in the host queue. Higher `priority` runs first.
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
    const lane = this.#lanes.get(host);
    if (lane && lane.delayMs === delayMs) return;
    if (lane && (lane.queue.size > 0 || lane.queue.pending > 0)) {
      throw new Error(`Scheduler: cannot change the delay of busy host ${host}`);
    }
    this.#lanes.set(host, this.#newLane(delayMs, lane));
  }

  /** The delay in force for a host. */
  delayOf(host: string): number {
    return this.#lanes.get(host)?.delayMs ?? 0;
  }

  #newLane(delayMs: number, previous?: HostLane): HostLane {
    const queue =
      delayMs > 0
        ? new PQueue({ concurrency: this.#perHost, interval: delayMs, intervalCap: 1 })
        : new PQueue({ concurrency: this.#perHost });
    const lane: HostLane = {
      queue,
      delayMs,
      pausedUntil: previous?.pausedUntil ?? 0,
      resumeTimer: undefined,
    };
    if (lane.pausedUntil > Date.now()) this.#pauseLane(lane, lane.pausedUntil - Date.now());
    return lane;
  }

  #lane(host: string): HostLane {
    let lane = this.#lanes.get(host);
    if (!lane) {
      lane = this.#newLane(0);
      this.#lanes.set(host, lane);
    }
    return lane;
  }

  /** Runs `task` when both the host and the global queue have room. */
  run<T>(host: string, task: () => Promise<T>, priority = 0): Promise<T> {
    const lane = this.#lane(host);
    return lane.queue.add(() => this.#global.add(task, { priority }), { priority }) as Promise<T>;
  }

  /** Stops starting tasks for `host` for `ms` (a 429/503 Retry-After); extends a running pause. */
  pauseHost(host: string, ms: number): void {
    this.#pauseLane(this.#lane(host), ms);
  }

  #pauseLane(lane: HostLane, ms: number): void {
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
