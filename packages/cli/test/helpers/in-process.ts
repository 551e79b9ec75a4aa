import { PassThrough } from 'node:stream';
import { silentLogger } from '@growset/core';
import { type CommandDefinition, parseCommandArgs, UsageError } from '../../src/command.ts';

export { UsageError };

/**
 * Runs a command's own argument checks and body in this process (the CLI framework maps a
 * UsageError to one line on stderr and exit code 2; that mapping is checked by spawning the
 * real binary in cli.test.ts).
 */
export async function runInProcess(
  command: CommandDefinition,
  argv: string[],
  cwd: string,
): Promise<unknown> {
  const args = parseCommandArgs(command, argv);
  return command.run(args, {
    cwd,
    json: true,
    verbose: false,
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    logger: silentLogger,
    onProgress: () => {},
    signal: new AbortController().signal,
  });
}
