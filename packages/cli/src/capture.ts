import { PassThrough } from 'node:stream';
import { type MainOptions, main } from './main.ts';

/** What a captured `growset` run printed, and its exit code. */
export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The last stdout line parsed as JSON: the summary a `--json` run ends with. */
  json(): ReturnType<typeof JSON.parse>;
}

/**
 * Runs `growset <argv>` in this process with its output captured instead of printed, and no
 * signal handlers installed: for tests, and for programs that drive the CLI.
 */
export async function runGrowset(
  argv: string[],
  options: Omit<MainOptions, 'stdout' | 'stderr' | 'handleSignals'> = {},
): Promise<CapturedRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const code = await main(argv, { ...options, stdout, stderr, handleSignals: false });
  return { code, stdout: out, stderr: err, json: () => JSON.parse(out.trim().split('\n').pop() ?? 'null') };
}
