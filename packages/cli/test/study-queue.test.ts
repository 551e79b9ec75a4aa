import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { queueTrialRunner, RETENTION_SECONDS } from '@growset/queue';
import { runStudy, type StudyData, type StudyOptions, type StudyResults } from '@growset/study';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
// The queue package's own redis-server helper (its benchmark uses it too).
import { freePort, type LocalRedis, startLocalRedis } from '../../queue/test/support/redis-server.ts';

/**
 * `growset study --queue` and `growset worker` end to end: a coordinator (the study through
 * @growset/queue's runner, or the CLI) and `growset worker` processes on a real redis-server.
 */
const repo = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const bin = join(repo, 'packages/cli/bin/growset.js');

/** A small two-class table with a learnable rule and some noise from the row index. */
function table(): StudyData {
  const rows: (string | number)[][] = [];
  const labels: string[] = [];
  for (let i = 0; i < 160; i++) {
    const x = (i * 37) % 23;
    const y = (i * 11) % 19;
    rows.push([x, y, i % 3 === 0 ? 'red' : 'blue']);
    labels.push(x + y + (i % 5) > 22 ? 'high' : 'low');
  }
  return {
    name: 'rule',
    task: 'tabular',
    ids: rows.map((_, i) => `row-${i}`),
    labels,
    classes: ['high', 'low'],
    table: {
      columns: [
        { name: 'x', kind: 'numeric' },
        { name: 'y', kind: 'numeric' },
        { name: 'colour', kind: 'categorical' },
      ],
      rows,
    },
  };
}

/** `growset study` of a CSV of {@link table} with kNN, the baseline only, then `rest`. */
const studyArgs = (csv: string, sizes: string, rest: string[]) => [
  bin,
  'study',
  csv,
  '--label',
  'label',
  '--model',
  'knn',
  '--variants',
  'baseline',
  '--sizes',
  sizes,
  ...rest,
];

/** {@link table} as a CSV file (label last), for the CLI. */
async function writeTableCsv(file: string): Promise<string> {
  const data = table();
  const lines = data.table!.rows.map((r, i) => `${r.join(',')},${data.labels[i]}`);
  await writeFile(file, ['x,y,colour,label', ...lines].join('\n'));
  return file;
}

const options = (name: string, out?: string): StudyOptions => ({
  name,
  testSize: 40,
  trainSizes: [20, 40, 80],
  seeds: 2,
  variants: [
    { name: 'knn', model: { model: 'knn', k: 3 }, baseline: true },
    { name: 'logistic', model: { model: 'logistic', epochs: 150, batchSize: 16, learningRate: 0.05 } },
  ],
  bootstrapRounds: 20,
  ...(out ? { out } : {}),
});

/**
 * Trials as results.json holds them (JSON: a resumed run reads some from trials.jsonl, where an
 * infinite log loss is null), without what depends on the machine (time, throughput).
 */
const comparable = (results: StudyResults) =>
  (JSON.parse(JSON.stringify(results.trials)) as StudyResults['trials']).map(
    ({ wallTimeMs, samplesPerSecond, ...rest }) => rest,
  );

let redis: LocalRedis;
let dir: string;
let local: StudyResults;
const workers = new Set<ChildProcess>();

/** A `growset worker` process (locks of 2 s, so that a killed worker's trial moves on soon). */
function startWorker(threads = 1, at: { url?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      bin,
      'worker',
      '--queue',
      at.url ?? redis.url,
      '--threads',
      String(threads),
      '--lock-ms',
      '2000',
      '--json',
    ],
    { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], ...(at.env ? { env: at.env } : {}) },
  );
  workers.add(child);
  child.once('exit', () => workers.delete(child));
  return child;
}

async function stopWorker(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

beforeAll(async () => {
  redis = await startLocalRedis();
  dir = await mkdtemp(join(tmpdir(), 'growset-queue-'));
  local = await runStudy(table(), { ...options('local'), workers: 1 });
});
// Trials are content addressed: each test starts from an empty Redis, or it would collect the
// previous test's results.
beforeEach(async () => {
  const client = new Redis(redis.url);
  await client.flushdb();
  client.disconnect();
});
afterAll(async () => {
  await Promise.all([...workers].map((w) => stopWorker(w, 'SIGKILL')));
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('studies through BullMQ on a real redis-server', () => {
  it('gives trial-for-trial the results of a local run with 2 worker processes', async () => {
    const a = startWorker();
    const b = startWorker();
    const logs: string[] = [];
    const queued = await runStudy(table(), options('queued'), {
      runner: queueTrialRunner({ url: redis.url }),
      logger: {
        debug() {},
        info: (m) => logs.push(m),
        warn: (m) => logs.push(m),
        error: (m) => logs.push(m),
      },
    });
    expect(queued.trials).toHaveLength(12);
    // The coordinator says where trials go and records the worker processes, not its own threads.
    expect(logs.join('\n')).toMatch(/12 trial\(s\) to run on the queue at redis:\/\/127\.0\.0\.1:\d+/);
    expect(logs.join('\n')).not.toMatch(/worker thread/);
    expect(queued.config.queue).toMatch(/^redis:\/\/127\.0\.0\.1:\d+/);
    expect(queued.config.workers).toBeGreaterThanOrEqual(1);
    expect(queued.config.workers).toBeLessThanOrEqual(2);
    expect(comparable(queued)).toEqual(comparable(local));
    expect(queued.summaries).toEqual(local.summaries);
    // What Redis holds: the study data once, under its hash, expiring (as the README says).
    const client = new Redis(redis.url);
    const dataKeys = await client.keys('growset:study-data:*');
    expect(dataKeys).toHaveLength(1);
    const ttl = await client.ttl(dataKeys[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(RETENTION_SECONDS);
    // Every key growset and BullMQ wrote is under the prefix the README's cleanup deletes.
    expect((await client.keys('*')).filter((k) => !k.startsWith('growset:'))).toEqual([]);
    client.disconnect();
    await Promise.all([stopWorker(a), stopWorker(b)]);
  });

  it('loses nothing when a worker is SIGKILLed mid-study, and a restarted coordinator resumes', async () => {
    const out = join(dir, 'resumed');
    const victim = startWorker();
    // First coordinator: stopped (as if killed) once 2 results are in and the victim has just
    // started a logistic trial (hundreds of steps: still running when the SIGKILL lands, however
    // busy the machine); its queued trials stay in Redis. Killing on the result event instead
    // raced with the victim: a kNN trial takes a few milliseconds and could finish first.
    const first = new AbortController();
    let seen = 0;
    const kill = (line: string) => {
      if (seen < 3 || first.signal.aborted || !/^Trial logistic\/\S+ started on a worker/.test(line)) return;
      victim.kill('SIGKILL');
      first.abort();
    };
    await expect(
      runStudy(
        table(),
        { ...options('resumable', out), studySeed: 0 },
        {
          signal: first.signal,
          runner: queueTrialRunner({
            url: redis.url,
            logger: { debug: kill, info() {}, warn() {}, error() {} },
          }),
          onProgress: () => {
            // The first event is the start, then one per result.
            seen += 1;
          },
        },
      ),
    ).rejects.toThrow(/aborted/);
    await new Promise((r) => victim.once('exit', r)).catch(() => {});
    const rescuer = startWorker(2);
    const logs: string[] = [];
    const logger = {
      debug() {},
      info: (m: string) => logs.push(m),
      warn: (m: string) => logs.push(m),
      error: (m: string) => logs.push(m),
    };
    const resumed = await runStudy(table(), options('resumable', out), {
      runner: queueTrialRunner({ url: redis.url, reconcileMs: 1000, logger }),
      logger,
    });
    const done = Number(
      /Resuming study `resumable`: (\d+) of 12 trials already done/.exec(logs.join('\n'))?.[1],
    );
    expect(done).toBeGreaterThanOrEqual(2);
    expect(done).toBeLessThan(12);
    // The victim's trial went back to the queue once its lock expired.
    expect(logs.join('\n')).toMatch(/Trial \S+ stalled \(its worker stopped\): queued again/);
    expect(logs.join('\n')).toMatch(/already in redis:\/\/127\.0\.0\.1:\d+\/? .*not published again/);
    expect(comparable(resumed)).toEqual(comparable(local));
    await stopWorker(rescuer);
  });

  it('works with a password over TLS (rediss://), through the CLI, and never prints the password', async () => {
    const secure = await startLocalRedis({ password: 'tls-s3cret', tls: true });
    try {
      const env = { ...process.env, NODE_EXTRA_CA_CERTS: secure.caFile! };
      const worker = startWorker(1, { url: secure.url, env });
      let workerOutput = '';
      worker.stdout?.on('data', (d) => {
        workerOutput += String(d);
      });
      worker.stderr?.on('data', (d) => {
        workerOutput += String(d);
      });
      const csv = await writeTableCsv(join(dir, 'tls.csv'));
      const out = join(dir, 'tls');
      const study = spawnSync(
        process.execPath,
        studyArgs(csv, '20,40', [
          '--seeds',
          '2',
          '--test-fraction',
          '40',
          '--out',
          out,
          '--queue',
          secure.url,
          '--json',
        ]),
        { cwd: repo, env, encoding: 'utf8', timeout: 60_000 },
      );
      expect(study.stderr).toMatch(/Queued 4 trial\(s\) on rediss:\/\/\*\*\*@127\.0\.0\.1:\d+/);
      expect(study.status).toBe(0);
      const summary = JSON.parse(study.stdout.trim().split('\n').pop()!);
      expect(summary).toMatchObject({ ok: true, trials: 4, failedTrials: 0 });
      expect(summary.queue).toMatch(/^rediss:\/\/\*\*\*@127\.0\.0\.1:\d+/);
      await stopWorker(worker);
      expect(
        JSON.parse(
          workerOutput
            .trim()
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .pop()!,
        ),
      ).toMatchObject({
        ok: true,
        trials: 4,
      });
      expect(`${study.stdout}${study.stderr}${workerOutput}`).not.toMatch(/tls-s3cret/);
    } finally {
      await secure.stop();
    }
  });

  it('says in one line which Redis it cannot reach, without the password', async () => {
    const port = await freePort();
    const url = `redis://:s3cret@127.0.0.1:${port}/2`;
    const attempt = runStudy(table(), options('nowhere'), {
      runner: queueTrialRunner({ url, connectTimeoutMs: 2000 }),
    });
    await expect(attempt).rejects.toThrow(
      new RegExp(`^Cannot reach Redis at redis://\\*\\*\\*@127\\.0\\.0\\.1:${port}/2: `),
    );
    await attempt.catch((error: Error) => expect(error.message).not.toMatch(/s3cret/));
    const cli = spawnSync(process.execPath, [bin, 'worker', '--queue', url, '--json'], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(cli.status).toBe(1);
    expect(`${cli.stdout}${cli.stderr}`).not.toMatch(/s3cret/);
    expect(cli.stderr.split('\n')[0]).toMatch(
      new RegExp(`growset worker: Cannot reach Redis at redis://\\*\\*\\*@127\\.0\\.0\\.1:${port}/2: `),
    );
    expect(JSON.parse(cli.stdout.trim().split('\n').pop()!)).toMatchObject({
      ok: false,
      error: { code: 'ERR_REDIS' },
    });
    // The coordinator's flag: `growset study ... --queue URL`.
    const csv = await writeTableCsv(join(dir, 'rule.csv'));
    const study = spawnSync(
      process.execPath,
      studyArgs(csv, '20', ['--seeds', '1', '--out', join(dir, 'nowhere'), '--queue', url, '--json']),
      { cwd: repo, encoding: 'utf8', timeout: 60_000 },
    );
    expect(study.status).toBe(1);
    expect(`${study.stdout}${study.stderr}`).not.toMatch(/s3cret/);
    expect(study.stderr).toMatch(
      new RegExp(`growset study: Cannot reach Redis at redis://\\*\\*\\*@127\\.0\\.0\\.1:${port}/2: `),
    );
    const usage = spawnSync(
      process.execPath,
      [bin, 'study', csv, '--label', 'label', '--out', join(dir, 'x'), '--queue', 'http://:s3cret@h'],
      { cwd: repo, encoding: 'utf8', timeout: 60_000 },
    );
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(
      /--queue: Expected a redis:\/\/ or rediss:\/\/ URL, got `http:\/\/\*\*\*@h\/?`/,
    );
    expect(usage.stderr).not.toMatch(/s3cret/);
  });
});
