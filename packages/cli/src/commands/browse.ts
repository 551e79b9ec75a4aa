import { runBrowseExportJob, startBrowseJob } from '@growset/browse';
import { type CommandResult, defineCommand, intOption, stringOption, UsageError } from '../command.ts';

export const browseCommand = defineCommand({
  name: 'browse',
  summary: 'browse a dataset in a local data grid: images, rows, lineage, quarantine, study results',
  usage:
    '<imagefolder | file.csv | manifest.jsonl | output dir> [--port N] [--host 127.0.0.1] [--export DIR [--filter EXPR]] [--json]',
  details: `
Starts a local web app and prints \`Browse http://HOST:PORT/\` as the first line of stdout; Ctrl-C
stops it. Opens an ImageFolder (with or without manifest.jsonl), a CSV file, a JSONL manifest or
quarantine file, or a scrape, clean, augment or study output folder. An SQLite index (sql.js) and
the thumbnails are cached under the OS temp folder and reused while the input is unchanged. The
page loads nothing from outside the server, and the server serves only files inside the dataset.
When the folder holds a report.html, it is served at /report.html with its gallery images and
quarantine counts linked to their browse views.
--export DIR writes a static copy instead (index.html, data, thumbnails, images) that opens from
disk, optionally only the rows matching --filter.`,
  positionals: { min: 1, max: 1 },
  options: {
    port: { type: 'string', value: 'N', description: 'port to listen on (0 picks a free one)', default: '0' },
    host: {
      type: 'string',
      value: 'HOST',
      description: 'address to bind; anything but loopback exposes the data to the network',
      default: '127.0.0.1',
    },
    export: {
      type: 'string',
      value: 'DIR',
      description: 'write a static site that opens from disk, and exit',
    },
    filter: { type: 'string', value: 'EXPR', description: 'with --export: only rows matching this filter' },
  },
  async run(args, io): Promise<CommandResult> {
    const input = args.positionals[0]!;
    const exportDir = stringOption(args, 'export');
    const filter = stringOption(args, 'filter');
    const context = { logger: io.logger, onProgress: io.onProgress, signal: io.signal };
    const missing = (error: unknown) =>
      (error as { code?: string }).code === 'ENOENT'
        ? new UsageError(`No such file or folder: ${input}`, { cause: error })
        : undefined;
    if (exportDir === undefined && filter !== undefined)
      throw new UsageError(
        '`--filter` only applies with `--export DIR` (in the page, type the filter in its box)',
      );
    if (exportDir !== undefined) {
      try {
        return await runBrowseExportJob(
          { input, out: exportDir, cwd: io.cwd, ...(filter === undefined ? {} : { filter }) },
          context,
        );
      } catch (error) {
        if (error instanceof Error && error.name === 'FilterSyntaxError')
          throw new UsageError(`--filter: ${error.message}`, { cause: error });
        throw missing(error) ?? error;
      }
    }
    const port = intOption(args, 'port', { min: 0, max: 65535 }) ?? 0;
    const host = stringOption(args, 'host') ?? '127.0.0.1';
    let job: Awaited<ReturnType<typeof startBrowseJob>>;
    try {
      // The job logs its notes; `Browse URL` below is still the first line of stdout.
      job = await startBrowseJob({ input, cwd: io.cwd, host, port }, context);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES')
        throw new UsageError(`Cannot listen on ${host}:${port} (${code})`, { cause: error });
      throw missing(error) ?? error;
    }
    io.stdout.write(`Browse ${job.url}\n`);
    await new Promise<void>((done) => {
      if (io.signal.aborted) done();
      else io.signal.addEventListener('abort', () => done(), { once: true });
    });
    return job.close();
  },
});
