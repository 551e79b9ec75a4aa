// A study through the queue with 1 and with 2 `growset worker` processes (one trial thread each),
// against the same study on 1 local worker thread, all in one run on a redis-server of its own:
// prints the speed-up of 2 workers over 1 and the queue's cost per trial over worker threads.
// Workers are started (and have loaded the CLI) before the clock starts; the first trial of each
// worker still pays for its thread and tfjs, as the local pool's does. Real MLPs on MNIST digits.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '@growset/fixtures';
import {
  runStudy,
  type StudyData,
  type StudyOptions,
  type StudyResults,
  studyDataFromSamples,
} from '@growset/study';
import { Redis } from 'ioredis';
import { queueTrialRunner } from '../src/index.ts';
import { startLocalRedis } from '../test/support/redis-server.ts';

const repo = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const bin = resolve(repo, 'packages/cli/bin/growset.js');
// Trials of about a second: long enough that each worker's fixed cost (its thread, tfjs) is
// amortized, as in real studies (CNN trials take minutes).
const mlp = { model: 'mlp', hidden: [64], epochs: 25, batchSize: 32, learningRate: 0.005 };
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
const env = { ...process.env, GROWSET_SOURCE: '1' };
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
      c.kill('SIGTERM');
      await exited;
      const last = outputs.get(c)?.trim().split('\n').pop() ?? '{}';
      return Number((JSON.parse(last) as { trials?: number }).trials ?? Number.NaN);
    }),
  );
const flush = async () => {
  const client = new Redis(redis.url);
  await client.flushdb();
  client.disconnect();
};
const time = async (run: () => Promise<StudyResults>) => {
  const started = performance.now();
  const results = await run();
  return { ms: performance.now() - started, results };
};

try {
  const { data }: { data: StudyData } = await studyDataFromSamples(await loadMnist({ perClass: 60 }), {
    name: 'mnist-600',
  });
  const local = await time(() => runStudy(data, { ...options, workers: 1 }));
  const local2 = await time(() => runStudy(data, { ...options, workers: 2 }));
  const trials = local.results.trials.length;
  const perWorkers: { [n: number]: number } = {};
  const split: { [n: number]: number[] } = {};
  for (const n of [1, 2]) {
    await flush();
    const workers = await startWorkers(n);
    const queued = await time(() =>
      runStudy(data, options, { runner: queueTrialRunner({ url: redis.url }) }),
    );
    split[n] = await stop(workers);
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
  console.log(`study: ${trials} trials (MLP on 600 MNIST digits), ${process.env.HOSTNAME ?? 'this machine'}`);
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
} finally {
  await redis.stop();
}
