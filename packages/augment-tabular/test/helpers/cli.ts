import { PassThrough } from 'node:stream';

type Main = (
  argv: string[],
  options: {
    cwd: string;
    stdout: NodeJS.WritableStream;
    stderr: NodeJS.WritableStream;
    handleSignals: boolean;
  },
) => Promise<number>;

/**
 * The `growset` CLI's `main()`, imported by name at run time. The CLI depends on this package,
 * not the reverse: a static import would make this package's type check walk every other
 * package the CLI bundles.
 */
export async function loadMain(): Promise<Main> {
  const specifier: string = '@growset/cli';
  return ((await import(specifier)) as { main: Main }).main;
}

/** Runs `growset <args>` in process with captured output. */
export async function growset(
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const main = await loadMain();
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
  return { code, stdout: out, stderr: err };
}
