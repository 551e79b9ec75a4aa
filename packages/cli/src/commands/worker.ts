import { redactRedisUrl, runStudyWorker } from '@growset/queue';
import { defineCommand, intOption, UsageError } from '../command.ts';
import { queueOption } from '../queue-option.ts';

export const workerCommand = defineCommand({
  name: 'worker',
  summary: 'run queued study trials from Redis until stopped (growset study --queue on any machine)',
  usage: '--queue redis://[:password@]HOST:PORT[/DB] [--threads N] [--json]',
  details: `
Takes trials that \`growset study ... --queue URL\` put on a BullMQ queue in Redis, runs each in
a worker thread (one per core unless --threads) and returns the results to the coordinator.
Start as many as you like, on any machines that reach the Redis server. Stops on SIGINT or
SIGTERM after finishing the trials it holds; a worker killed outright loses nothing (its trials
go to another worker once their lock expires). rediss:// connects over TLS; passwords are never
printed.`,
  positionals: { min: 0, max: 0 },
  options: {
    queue: { type: 'string', value: 'URL', description: 'Redis URL (redis:// or rediss://), required' },
    threads: {
      type: 'string',
      value: 'N',
      description: 'trials at once (worker threads)',
      default: 'one per core',
    },
    'lock-ms': {
      type: 'string',
      value: 'MS',
      description: 'a trial whose worker is silent this long goes to another worker',
      default: '30000',
    },
  },
  async run(args, io) {
    const url = queueOption(args);
    if (url === undefined)
      throw new UsageError('Missing `--queue redis://HOST:PORT`: the Redis server to take trials from');
    const threads = intOption(args, 'threads', { min: 1, max: 256 });
    const lockDurationMs = intOption(args, 'lock-ms', { min: 500, max: 3_600_000 });
    let trials = 0;
    const summary = await runStudyWorker({
      url,
      signal: io.signal,
      logger: io.logger,
      ...(threads === undefined ? {} : { threads }),
      ...(lockDurationMs === undefined ? {} : { lockDurationMs }),
      onTrial: (record) => {
        trials += 1;
        io.onProgress({
          type: 'task',
          task: 'worker',
          done: trials,
          message: `${record.key}: ${record.ok ? `test ${(100 * record.test!.accuracy).toFixed(1)}%` : `failed (${record.error})`}`,
        });
      },
    });
    return {
      summary: { queue: redactRedisUrl(url), ...summary },
      text: `Worker stopped after ${summary.trials} trial(s) (${summary.failed} failed) from ${summary.studies} study(ies) on ${redactRedisUrl(url)}`,
    };
  },
});
