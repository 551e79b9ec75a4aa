// A study through the queue with 1 and with 2 `growset worker` processes (one trial thread each),
// against the same study on 1 local worker thread, all in one run on a redis-server of its own:
// prints the speed-up of 2 workers over 1 and the queue's cost per trial over worker threads.
// Workers are started (and have loaded the CLI, started their trial thread and loaded tfjs in it)
// before the clock starts; the local pool starts its threads on the clock. For each queued run it
// prints where each worker's wall time went (BullMQ's processedOn/finishedOn, each record's
// wallTimeMs, CPU per thread from /proc) and the load average. Real MLPs on MNIST digits.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize } from 'node:v8';
import { loadMnist } from '@growset/fixtures';
import type { TrialRecord } from '@growset/study';
import {
  runStudy,
  type StudyData,
  type StudyOptions,
  type StudyResults,
  studyDataFromSamples,
} from '@growset/study';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  KEY_PREFIX,
  queueTrialRunner,
  TRIALS_QUEUE,
  type TrialJobData,
  type TrialJobResult,
} from '../src/index.ts';
import { startLocalRedis } from '../test/support/redis-server.ts';

const repo = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const bin = resolve(repo, 'packages/cli/bin/growset.js');
// Trials of 0.06 to 0.6 s with early stopping (EPOCHS=25, the study of the first version of
// this benchmark, gives 0.05 to 0.25 s with today's tfjs): as long as we can afford here, so that
// each worker process's fixed costs (V8 compiling the trial code and tfjs's wasm to optimized
// code, on the first trials and in V8's helper threads) are amortized as far as possible; real
// studies amortize them better (CNN trials take minutes).
const epochs = Number(process.env.EPOCHS ?? 100);
const mlp = { model: 'mlp', hidden: [64], epochs, batchSize: 32, learningRate: 0.005 };
const options: StudyOptions = {
  name: 'bench',
  testSize: 100,
  trainSizes: [120, 240, 400],
  seeds: 3,
  variants: [
    { name: 'mlp', model: mlp, baseline: true },
    { name: 'l2', model: { ...mlp, l2: 1e-3 } },
  ],
  bootstrapRounds: 20,
};

const redis = await startLocalRedis();
// Workers run the TypeScript sources through tsx unless GROWSET_SOURCE=0 (then the built dist/,
// after `npm run build` at the repository root).
const env = { ...process.env, GROWSET_SOURCE: process.env.GROWSET_SOURCE ?? '1' };
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
/** CPU seconds (user + system, every thread) a process has used so far, from /proc. */
const cpuSeconds = (pid: number | undefined): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
};
const outputs = new Map<ChildProcess, string>();
const startWorkers = async (n: number): Promise<ChildProcess[]> =>
  await Promise.all(
    Array.from({ length: n }, async () => {
      const child = spawn(
        process.execPath,
        [bin, 'worker', '--queue', redis.url, '--threads', '1', '--json'],
        {
          cwd: repo,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      outputs.set(child, '');
      child.stdout?.on('data', (d) => outputs.set(child, outputs.get(child) + String(d)));
      await new Promise<void>((ready, fail) => {
        let err = '';
        child.stderr?.on('data', (d) => {
          err += String(d);
          if (err.includes('Worker on')) ready();
        });
        child.once('exit', (code) => fail(new Error(`worker exited (${code}): ${err}`)));
      });
      return child;
    }),
  );
/** Stops the workers; returns how many trials each ran (from its --json summary). */
const stop = async (children: ChildProcess[]): Promise<number[]> =>
  await Promise.all(
    children.map(async (c) => {
      const exited = new Promise((r) => c.once('exit', r));
      workerCpu.set(c.pid!, cpuSeconds(c.pid) - (workerCpuBefore.get(c.pid!) ?? 0));
      const before = threadsBefore.get(c.pid!) ?? new Map<string, number>();
      threadsUsed.set(
        c.pid!,
        [...cpuByThread(c.pid)]
          .map(([name, s]) => [name, s - (before.get(name) ?? 0)] as const)
          .filter(([, s]) => s >= 0.01)
          .sort((a, b) => b[1] - a[1])
          .map(([name, s]) => `${name} ${s.toFixed(2)}`)
          .join(', '),
      );
      c.kill('SIGTERM');
      await exited;
      const last = outputs.get(c)?.trim().split('\n').pop() ?? '{}';
      return Number((JSON.parse(last) as { trials?: number }).trials ?? Number.NaN);
    }),
  );
/** CPU seconds per thread name (main, trial thread, V8's GC and compiler helpers, libuv...). */
const cpuByThread = (pid: number | undefined): Map<string, number> => {
  const by = new Map<string, number>();
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const label = task === String(pid) ? 'main' : `${name}:${task}`;
      by.set(label, (by.get(label) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {}
  return by;
};
const threadsBefore = new Map<number, Map<string, number>>();
const threadsUsed = new Map<number, string>();
const workerCpu = new Map<number, number>();
const workerCpuBefore = new Map<number, number>();
/**
 * Where the queued run's wall time went, from BullMQ's own timestamps (a job's processedOn: a
 * worker took it; finishedOn: its result was stored) and each record's wallTimeMs (the trial
 * itself, in its thread): per worker, the wait before its first trial, the cost around each trial
 * (fetching the study data, starting the thread and loading tfjs on the first; serialization and
 * Redis on the others), the gaps between trials, and how long it sat idle at the end.
 */
const timeline = async (startedAt: number, endedAt: number, workerPids: number[]) => {
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue<TrialJobData, TrialJobResult>(TRIALS_QUEUE, { connection, prefix: KEY_PREFIX });
  const jobs = await queue.getJobs(['completed']);
  await queue.close();
  connection.disconnect();
  const by = new Map<string, { start: number; end: number; trial: number; key: string }[]>();
  for (const job of jobs) {
    const record = deserialize(Buffer.from(job.returnvalue.record, 'base64')) as TrialRecord;
    const list = by.get(job.returnvalue.worker ?? '?') ?? [];
    list.push({ start: job.processedOn!, end: job.finishedOn!, trial: record.wallTimeMs, key: record.key });
    by.set(job.returnvalue.worker ?? '?', list);
  }
  const lastEnd = Math.max(...jobs.map((j) => j.finishedOn!));
  for (const [worker, list] of [...by].sort()) {
    list.sort((a, b) => a.start - b.start);
    const first = list[0]!;
    const busy = list.reduce((t, j) => t + j.end - j.start, 0);
    const trial = list.reduce((t, j) => t + j.trial, 0);
    const gaps = list.slice(1).reduce((t, j, i) => t + j.start - list[i]!.end, 0);
    const pid = Number(worker.split(':').pop());
    console.log(
      `  worker ${worker}: ${list.length} trials; first taken at +${first.start - startedAt} ms; ` +
        `first trial ${first.end - first.start} ms in the job, ${first.trial} ms in the trial ` +
        `(so ${first.end - first.start - first.trial} ms for data, thread, tfjs); ` +
        `other jobs: ${busy - (first.end - first.start) - (trial - first.trial)} ms around ${trial - first.trial} ms of trials; ` +
        `gaps ${gaps} ms; idle at the end ${lastEnd - list.at(-1)!.end} ms; ` +
        `CPU during the run ${workerPids.includes(pid) ? (workerCpu.get(pid) ?? Number.NaN).toFixed(1) : '?'} s`,
    );
    console.log(`    CPU s by thread: ${threadsUsed.get(pid) ?? '?'}`);
    console.log(`    order: ${list.map((j) => `${j.key} ${j.end - j.start}`).join(', ')}`);
  }
  console.log(
    `  last result stored at +${lastEnd - startedAt} ms; study returned at +${endedAt - startedAt} ms`,
  );
};
const flush = async () => {
  const client = new Redis(redis.url);
  await client.flushdb();
  client.disconnect();
};
const time = async (run: () => Promise<StudyResults>) => {
  const cpu = process.cpuUsage();
  const at = Date.now();
  const started = performance.now();
  const results = await run();
  const used = process.cpuUsage(cpu);
  return {
    ms: performance.now() - started,
    results,
    at,
    endedAt: Date.now(),
    cpuS: (used.user + used.system) / 1e6,
  };
};

try {
  const { data }: { data: StudyData } = await studyDataFromSamples(await loadMnist({ perClass: 60 }), {
    name: 'mnist-600',
  });
  console.log(
    `load average before: ${load()}; workers from ${env.GROWSET_SOURCE === '1' ? 'sources (tsx)' : 'dist/'}`,
  );
  const local = await time(() => runStudy(data, { ...options, workers: 1 }));
  const local2 = await time(() => runStudy(data, { ...options, workers: 2 }));
  const trials = local.results.trials.length;
  const perWorkers: { [n: number]: number } = {};
  const split: { [n: number]: number[] } = {};
  for (const n of [1, 2]) {
    await flush();
    const workers = await startWorkers(n);
    for (const w of workers) {
      workerCpuBefore.set(w.pid!, cpuSeconds(w.pid));
      threadsBefore.set(w.pid!, cpuByThread(w.pid));
    }
    const queued = await time(() =>
      runStudy(data, options, { runner: queueTrialRunner({ url: redis.url }) }),
    );
    split[n] = await stop(workers);
    console.log(
      `queue, ${n} worker process(es): ${(queued.ms / 1000).toFixed(1)} s, coordinator CPU ${queued.cpuS.toFixed(1)} s, load ${load()}`,
    );
    await timeline(
      queued.at,
      queued.endedAt,
      workers.map((w) => w.pid!),
    );
    const same =
      queued.results.trials.length === trials &&
      queued.results.trials.every(
        (t, i) =>
          t.key === local.results.trials[i]!.key &&
          t.test?.accuracy === local.results.trials[i]!.test?.accuracy,
      );
    if (!same) throw new Error(`the queued study with ${n} worker(s) differs from the local run`);
    perWorkers[n] = queued.ms;
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `study: ${trials} trials (MLP, ${epochs} epochs, on 600 MNIST digits), ${process.env.HOSTNAME ?? 'this machine'}`,
  );
  console.log(`local, 1 worker thread:      ${s(local.ms)}`);
  console.log(`local, 2 worker threads:     ${s(local2.ms)}`);
  console.log(`queue, 1 worker process:     ${s(perWorkers[1]!)}`);
  console.log(
    `queue, 2 worker processes:   ${s(perWorkers[2]!)} (trials per worker: ${split[2]!.join(' + ')})`,
  );
  console.log(`speed-up 2 vs 1 worker processes: ${(perWorkers[1]! / perWorkers[2]!).toFixed(2)}x`);
  console.log(
    `speed-up 2 vs 1 local worker threads (what this machine allowed, same run): ${(local.ms / local2.ms).toFixed(2)}x`,
  );
  console.log(
    `queue overhead vs worker threads: ${((perWorkers[1]! - local.ms) / trials).toFixed(0)} ms per trial (${((100 * (perWorkers[1]! - local.ms)) / local.ms).toFixed(1)}% of the local run)`,
  );
  console.log('every queued trial equals the local one: yes');
  console.log(`load average after: ${load()}`);
} finally {
  await redis.stop();
}
