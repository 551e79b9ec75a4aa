import type { JsonObject } from '@growset/core';
import type { CommandEntry, CommandIO } from './command.ts';
import { commands as builtInCommands } from './commands/index.ts';
import { GLOBAL_OPTIONS } from './global-options.ts';

/**
 * What running a command needs and `growset --help` does not (core, zod, the progress bars):
 * imported once the general help is ruled out, so that help prints without loading them.
 */
const runtime = async () => {
  const [core, command, progress] = await Promise.all([
    import('@growset/core'),
    import('./command.ts'),
    import('./progress.ts'),
  ]);
  return { ...core, ...command, ...progress };
};

export interface MainOptions {
  cwd?: string;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  commands?: readonly CommandEntry[];
  /** Install SIGINT/SIGTERM handlers that abort the run. @default true */
  handleSignals?: boolean;
}

/** Exit codes: 0 success, 1 failure while running, 2 bad usage (arguments, options, module). */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const commands = options.commands ?? builtInCommands;
  const json = argv.includes('--json');
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const [name, ...rest] = argv;

  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    if (!topic) {
      stdout.write(generalHelp(commands));
      return 0;
    }
    const { commandHelp, resolveCommand } = await runtime();
    stdout.write(commandHelp(await resolveCommand(topic)));
    return 0;
  }
  if (name === '--version') {
    stdout.write('growset 0.1.0\n');
    return 0;
  }
  const {
    GrowsetError,
    UsageError,
    commandHelp,
    createProgressRenderer,
    parseCommandArgs,
    resolveCommand,
    streamLogger,
  } = await runtime();
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    return await fail(
      new UsageError(
        `Unknown command \`${name}\`. Commands: ${commands.map((c) => c.name).join(', ')}. See \`growset --help\``,
      ),
      { stdout, stderr, json, verbose, command: name },
    );
  }

  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    stderr.write(`\nReceived ${signal}: stopping (press again to force)\n`);
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new GrowsetError(`Interrupted by ${signal}`, { code: 'ERR_ABORTED' }));
  };
  const handleSignals = options.handleSignals ?? true;
  if (handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const renderer = createProgressRenderer(stderr, json ? { tty: false } : {});
  try {
    const command = await resolveCommand(entry);
    const args = parseCommandArgs(command, rest);
    if (args.values.help) {
      stdout.write(commandHelp(command));
      return 0;
    }
    const io: CommandIO = {
      cwd: options.cwd ?? process.cwd(),
      json,
      verbose,
      stdout,
      stderr,
      // Log lines go through the renderer, which clears and redraws the bars around them.
      logger: streamLogger({ level: verbose ? 'debug' : 'info', stream: { write: renderer.write } }),
      onProgress: renderer.listener,
      signal: controller.signal,
    };
    const result = await command.run(args, io);
    renderer.stop();
    const exitCode = result.exitCode ?? 0;
    if (json)
      stdout.write(`${JSON.stringify({ ok: exitCode === 0, command: command.name, ...result.summary })}\n`);
    else stdout.write(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
    return exitCode;
  } catch (error) {
    renderer.stop();
    return await fail(error, { stdout, stderr, json, verbose, command: entry.name });
  } finally {
    if (handleSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

async function fail(
  error: unknown,
  ctx: {
    stdout: NodeJS.WritableStream;
    stderr: NodeJS.WritableStream;
    json: boolean;
    verbose: boolean;
    command: string;
  },
): Promise<number> {
  const { errorMessage, GrowsetError, OptionsError, UsageError } = await runtime();
  const usage = error instanceof UsageError || error instanceof OptionsError;
  const exitCode = usage ? 2 : 1;
  const message = errorMessage(error);
  ctx.stderr.write(`growset ${ctx.command}: ${message}\n`);
  if (ctx.verbose && error instanceof Error && error.stack) {
    ctx.stderr.write(`${error.stack}\n`);
    let cause: unknown = error.cause;
    while (cause instanceof Error) {
      ctx.stderr.write(`Caused by: ${cause.stack ?? cause.message}\n`);
      cause = cause.cause;
    }
  } else if (!usage) {
    ctx.stderr.write('(run with --verbose for details)\n');
  }
  if (ctx.json) {
    const summary: JsonObject = {
      ok: false,
      command: ctx.command,
      error: { code: error instanceof GrowsetError ? error.code : 'ERR_UNEXPECTED', message },
    };
    ctx.stdout.write(`${JSON.stringify(summary)}\n`);
  }
  return exitCode;
}

function generalHelp(commands: readonly CommandEntry[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = [
    'growset: grow small datasets and measure what actually helps a model.',
    '',
    'Usage: growset <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes:',
    ...Object.entries(GLOBAL_OPTIONS).map(([n, s]) => `  --${n.padEnd(8)} ${s.description}`),
    '',
    'Run `growset <command> --help` for its options.',
  ];
  return `${lines.join('\n')}\n`;
}
