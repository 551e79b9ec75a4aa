import { createHash } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { deserialize, serialize } from 'node:v8';
import { AbortError, GrowsetError, type Logger, silentLogger } from '@growset/core';
import {
  type PoolOptions,
  SpareThreads,
  type TrialRecord,
  type TrialRunner,
  type TrialRunReport,
  type TrialTask,
  TrialThreads,
  trialKey,
  type WorkerSetup,
} from '@growset/study';
import { Job, Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import { connectRedis, KEY_PREFIX, redactRedisUrl } from './redis.ts';

/** The BullMQ queue every study's trials go through (`growset:trials:*` keys). */
export const TRIALS_QUEUE = 'trials';
/** How long study data, finished and failed jobs stay in Redis. @default 7 days */
export const RETENTION_SECONDS = 7 * 24 * 3600;

const dataKey = (hash: string) => `${KEY_PREFIX}:study-data:${hash}`;

/** What a trial job carries: the study data by hash, and the trial. */
export interface TrialJobData {
  data: string;
  task: TrialTask;
}
/** What a trial job returns: the record, v8-serialized (NaN and -0 survive) in base64. */
export interface TrialJobResult {
  record: string;
  /** The worker process that ran it (`host:pid`), so the coordinator can count workers. */
  worker?: string;
}

/** The job id of a trial: its study's data hash and its key, so adding it twice adds it once. */
export function trialJobId(hash: string, task: TrialTask): string {
  return `${hash.slice(0, 24)}|${trialKey(task)}`;
}

/** Content address of a study setup (data, plan, plugins, variants). */
export function hashSetup(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface QueueRunnerOptions {
  /** `redis://[:password@]host[:port][/db]` or `rediss://...` (TLS). */
  url: string;
  logger?: Logger;
  /** Attempts per trial when a worker throws (a trial that fails inside is recorded, not retried). @default 3 */
  attempts?: number;
  /** Connection timeout. @default 5000 */
  connectTimeoutMs?: number;
  /** How often unfinished jobs are checked besides queue events. @default 5000 */
  reconcileMs?: number;
}

/**
 * A `TrialRunner` (pass it as `runStudy(..., { runner })`) that makes this process a coordinator:
 * it publishes the study's setup once under its SHA-256 (`SET NX`, so a restarted coordinator does
 * not upload it again), adds one BullMQ job per pending trial with a deterministic id (adding a
 * trial twice adds it once; a finished job is collected, not rerun), and hands each result to the
 * study as it completes. Workers (`runStudyWorker`) may run anywhere.
 */
export function queueTrialRunner(options: QueueRunnerOptions): TrialRunner {
  const run = async (tasks: readonly TrialTask[], setup: WorkerSetup, pool: PoolOptions) =>
    await runThroughQueue(tasks, setup, pool, options);
  return Object.assign(run, { where: `the queue at ${redactRedisUrl(options.url)}` });
}

async function runThroughQueue(
  tasks: readonly TrialTask[],
  setup: WorkerSetup,
  pool: PoolOptions,
  options: QueueRunnerOptions,
): Promise<TrialRunReport> {
  const where = redactRedisUrl(options.url);
  const workers = new Set<string>();
  if (tasks.length === 0) return { workers: 0, queue: where };
  const logger = options.logger ?? silentLogger;
  const redis = await connectRedis(options.url, { timeoutMs: options.connectTimeoutMs ?? 5000 });
  const bytes = serialize(setup);
  const hash = hashSetup(bytes);
  const queue = new Queue<TrialJobData, TrialJobResult>(TRIALS_QUEUE, {
    connection: redis,
    prefix: KEY_PREFIX,
  });
  const events = new QueueEvents(TRIALS_QUEUE, { connection: redis.duplicate(), prefix: KEY_PREFIX });
  queue.on('error', () => {});
  events.on('error', () => {});
  const byId = new Map(tasks.map((t) => [trialJobId(hash, t), t]));
  const delivered = new Set<string>();
  let reconcile: NodeJS.Timeout | undefined;
  try {
    const published = await redis.set(dataKey(hash), Buffer.from(bytes), 'EX', RETENTION_SECONDS, 'NX');
    if (published === 'OK')
      logger.info(
        `Published the study data to ${where} (${(bytes.length / 1e6).toFixed(1)} MB, ${hash.slice(0, 12)})`,
      );
    else {
      await redis.expire(dataKey(hash), RETENTION_SECONDS);
      logger.info(`The study data is already in ${where} (${hash.slice(0, 12)}): not published again`);
    }
    await events.waitUntilReady();

    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: unknown) => {
        if (settled) return;
        settled = true;
        pool.signal?.removeEventListener('abort', onAbort);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onAbort = () => finish(new AbortError('The study was aborted (its trials stay queued)'));
      if (pool.signal?.aborted) return onAbort();
      pool.signal?.addEventListener('abort', onAbort, { once: true });

      // One result per trial, whatever the events say (a job seen by an event and by a scan counts once).
      let chain = Promise.resolve();
      let handed = 0;
      const deliver = (id: string, result: TrialJobResult | undefined) => {
        if (settled || delivered.has(id) || !byId.has(id) || !result?.record) return;
        delivered.add(id);
        if (result.worker) workers.add(result.worker);
        const record = deserialize(Buffer.from(result.record, 'base64')) as TrialRecord;
        chain = chain
          // After an abort the study is gone: the result stays in Redis for the next coordinator.
          .then(() => (settled ? undefined : pool.onResult(record)))
          .then(() => {
            // Counted after the study has taken the result (journal written), not when it arrived.
            handed += 1;
            if (handed === byId.size) finish();
          }, finish);
      };
      const check = async (id: string) => {
        if (delivered.has(id)) return;
        const job = await Job.fromId<TrialJobData, TrialJobResult>(queue, id);
        if (!job) return;
        if (job.finishedOn && job.returnvalue) deliver(id, job.returnvalue);
        else if ((await job.getState()) === 'failed')
          finish(
            new GrowsetError(
              `Trial ${trialKey(byId.get(id)!)} failed on a worker ${job.attemptsMade} time(s): ${job.failedReason}`,
              {
                code: 'ERR_TRIAL',
              },
            ),
          );
      };
      events.on('completed', ({ jobId }) => {
        if (byId.has(jobId)) check(jobId).catch(finish);
      });
      events.on('failed', ({ jobId }) => {
        if (byId.has(jobId)) check(jobId).catch(finish);
      });
      events.on('stalled', ({ jobId }) => {
        const task = byId.get(jobId);
        if (task) logger.warn(`Trial ${trialKey(task)} stalled (its worker stopped): queued again`);
      });
      events.on('active', ({ jobId }) => {
        const task = byId.get(jobId);
        if (task) logger.debug(`Trial ${trialKey(task)} started on a worker`);
      });

      (async () => {
        // Adding a job whose id exists is a no-op: a restarted coordinator re-adds every pending
        // trial and gets the running or finished ones back.
        await queue.addBulk(
          [...byId].map(([jobId, task]) => ({
            name: trialKey(task),
            data: { data: hash, task },
            opts: {
              jobId,
              attempts: options.attempts ?? 3,
              backoff: { type: 'exponential', delay: 1000 },
              removeOnComplete: { age: RETENTION_SECONDS },
              removeOnFail: { age: RETENTION_SECONDS },
            },
          })),
        );
        logger.info(
          `Queued ${byId.size} trial(s) on ${where}: waiting for workers (growset worker --queue ...)`,
        );
        for (const id of byId.keys()) await check(id);
        const every = options.reconcileMs ?? 5000;
        const loop = async () => {
          if (settled) return;
          for (const id of byId.keys()) if (!settled) await check(id);
          reconcile = setTimeout(() => loop().catch(finish), every);
        };
        reconcile = setTimeout(() => loop().catch(finish), every);
      })().catch(finish);
    });
  } finally {
    clearTimeout(reconcile);
    await events.close().catch(() => {});
    await queue.close().catch(() => {});
    redis.disconnect();
  }
  return { workers: workers.size, queue: where };
}

export interface StudyWorkerOptions {
  /** `redis://[:password@]host[:port][/db]` or `rediss://...` (TLS). */
  url: string;
  /** Trials at once, each in its own worker thread. @default one per core */
  threads?: number;
  signal?: AbortSignal;
  logger?: Logger;
  /** A job whose worker has not renewed its lock for this long is given to another worker. @default 30000 */
  lockDurationMs?: number;
  /** How often workers look for stalled jobs. @default lockDurationMs / 2 */
  stalledIntervalMs?: number;
  /** Called after each trial this worker finished. */
  onTrial?: (record: TrialRecord) => void;
  /** Connection timeout. @default 5000 */
  connectTimeoutMs?: number;
}

export interface StudyWorkerSummary {
  trials: number;
  failed: number;
  studies: number;
}

/**
 * Runs queued trials until `signal` aborts (then finishes the trials it holds). Each study's data
 * is fetched from Redis once per process and kept in its trial threads; trials run in worker
 * threads, so the event loop stays free to renew job locks.
 */
export async function runStudyWorker(options: StudyWorkerOptions): Promise<StudyWorkerSummary> {
  const logger = options.logger ?? silentLogger;
  const where = redactRedisUrl(options.url);
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const redis = await connectRedis(options.url, { timeoutMs: options.connectTimeoutMs ?? 5000 });
  const studies = new Map<string, { threads: Promise<TrialThreads>; active: number }>();
  // Trial threads start now and load tfjs while no job is held: the first study's first trials
  // (on every worker process at once, when many start together) do not pay for it.
  const spares = new SpareThreads(threads);
  const summary: StudyWorkerSummary = { trials: 0, failed: 0, studies: 0 };

  const threadsFor = (hash: string) => {
    let entry = studies.get(hash);
    if (!entry) {
      // A new study: let go of idle ones (a worker serves one study at a time in practice).
      for (const [other, e] of studies)
        if (e.active === 0) {
          studies.delete(other);
          e.threads.then((t) => t.close()).catch(() => {});
        }
      entry = {
        active: 0,
        threads: (async () => {
          const bytes = await redis.getBuffer(dataKey(hash));
          if (!bytes)
            throw new UnrecoverableError(
              `The study data ${hash.slice(0, 12)} is not in Redis (expired or deleted): run the coordinator again`,
            );
          if (hashSetup(bytes) !== hash)
            throw new UnrecoverableError(`The study data ${hash.slice(0, 12)} is corrupt`);
          summary.studies += 1;
          logger.info(`Fetched study data ${hash.slice(0, 12)} (${(bytes.length / 1e6).toFixed(1)} MB)`);
          return new TrialThreads(deserialize(bytes) as WorkerSetup, threads, { spares });
        })(),
      };
      entry.threads.catch(() => studies.delete(hash));
      studies.set(hash, entry);
    }
    return entry;
  };

  const self = `${hostname()}:${process.pid}`;
  const lockDuration = options.lockDurationMs ?? 30_000;
  const worker = new Worker<TrialJobData, TrialJobResult>(
    TRIALS_QUEUE,
    async (job) => {
      const entry = threadsFor(job.data.data);
      entry.active += 1;
      try {
        const record = await (await entry.threads).run(job.data.task);
        summary.trials += 1;
        if (!record.ok) summary.failed += 1;
        options.onTrial?.(record);
        return { record: Buffer.from(serialize(record)).toString('base64'), worker: self };
      } finally {
        entry.active -= 1;
      }
    },
    {
      connection: redis,
      prefix: KEY_PREFIX,
      concurrency: threads,
      lockDuration,
      stalledInterval: options.stalledIntervalMs ?? Math.max(500, Math.floor(lockDuration / 2)),
      maxStalledCount: 5,
      autorun: false,
    },
  );
  worker.on('error', (error) => logger.warn(`Queue worker (${where}): ${error.message}`));
  const stop = () => {
    worker.close().catch(() => {});
  };
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    await spares.ready;
    logger.info(`Worker on ${where}: ${threads} trial(s) at a time`);
    if (!options.signal?.aborted) await worker.run();
  } finally {
    await spares.close();
    options.signal?.removeEventListener('abort', stop);
    await worker.close().catch(() => {});
    for (const e of studies.values()) await (await e.threads.catch(() => undefined))?.close();
    redis.disconnect();
  }
  return summary;
}
