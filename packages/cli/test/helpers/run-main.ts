import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CapturedRun, runGrowset } from '../../src/index.ts';

/** The repository root: where `growset run pipelines/...` resolves. */
export const repo = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));

export type MainRun = CapturedRun;

/** Runs the CLI's `main()` in this process with captured output streams. */
export function runMain(args: string[], cwd = repo): Promise<MainRun> {
  return runGrowset(args, { cwd });
}
