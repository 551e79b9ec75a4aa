import { resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/index.ts';

/** The repository root: where `growset run pipelines/...` resolves. */
export const repo = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));

export interface MainRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The last stdout line parsed as JSON (the `--json` summary). */
  json(): ReturnType<typeof JSON.parse>;
}

/** Runs the CLI's `main()` in this process with captured output streams. */
export async function runMain(args: string[], cwd = repo): Promise<MainRun> {
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
  const code = await main(args, { cwd, stdout, stderr, handleSignals: false });
  return { code, stdout: out, stderr: err, json: () => JSON.parse(out.trim().split('\n').pop() ?? 'null') };
}
