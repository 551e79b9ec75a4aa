import { describe, expect, it } from 'vitest';
import { runMain } from './helpers/run-main.ts';

// A worker on a real redis-server (trials, SIGKILL, TLS, an unreachable server) is tested with the
// coordinator in study-queue.test.ts; these are the flags, which need no Redis.
describe('growset worker', () => {
  it('exits 2 with one line, naming the flag, for a missing or wrong --queue and bad numbers', async () => {
    const missing = await runMain(['worker', '--json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(
      'growset worker: Missing `--queue redis://HOST:PORT`: the Redis server to take trials from',
    );
    expect(missing.json()).toMatchObject({ ok: false, command: 'worker', error: { code: 'ERR_USAGE' } });
    const wrong = await runMain(['worker', '--queue', 'http://:s3cret@host:6379']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^growset worker: --queue: Expected a redis:\/\/ or rediss:\/\/ URL/);
    expect(wrong.stderr).not.toMatch(/s3cret/);
    const threads = await runMain(['worker', '--queue', 'redis://127.0.0.1:1', '--threads', '0']);
    expect(threads.code).toBe(2);
    expect(threads.stderr.trim()).toBe(
      'growset worker: Expected `--threads` to be an integer from 1 to 256, got `0`',
    );
    const lock = await runMain(['worker', '--queue', 'redis://127.0.0.1:1', '--lock-ms', '10']);
    expect(lock.code).toBe(2);
    expect(lock.stderr).toMatch(/`--lock-ms` to be an integer from 500 to 3600000, got `10`/);
  });

  it('lists its flags in --help', async () => {
    const help = await runMain(['worker', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: growset worker --queue redis:\/\/\[:password@\]HOST:PORT\[\/DB\]/);
    expect(help.stdout).toMatch(/--threads N\s+trials at once \(worker threads\) \(default: one per core\)/);
  });
});
