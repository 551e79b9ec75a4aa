import { resolve } from 'node:path';
import { exportStatic, isLoopback, startBrowseServer } from '@growset/browse';
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
    const input = resolve(io.cwd, args.positionals[0]!);
    const exportDir = stringOption(args, 'export');
    if (exportDir === undefined && stringOption(args, 'filter') !== undefined)
      throw new UsageError(
        '`--filter` only applies with `--export DIR` (in the page, type the filter in its box)',
      );
    if (exportDir !== undefined) {
      const out = resolve(io.cwd, exportDir);
      const filter = stringOption(args, 'filter');
      let written: Awaited<ReturnType<typeof exportStatic>>;
      try {
        written = await exportStatic(input, out, filter === undefined ? {} : { filter });
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ENOENT') throw new UsageError(`No such file or folder: ${input}`, { cause: error });
        if (error instanceof Error && error.name === 'FilterSyntaxError')
          throw new UsageError(`--filter: ${error.message}`, { cause: error });
        throw error;
      }
      return {
        summary: {
          input,
          export: written.dir,
          rows: written.rows,
          thumbnails: written.thumbnails,
          images: written.images,
        },
        text: `Exported ${written.rows} rows (${written.thumbnails} thumbnails, ${written.images} images) to ${out}; open ${out}/index.html\n`,
      };
    }
    const port = intOption(args, 'port', { min: 0, max: 65535 }) ?? 0;
    const host = stringOption(args, 'host') ?? '127.0.0.1';
    let server: Awaited<ReturnType<typeof startBrowseServer>>;
    try {
      server = await startBrowseServer(input, { host, port });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ENOENT') throw new UsageError(`No such file or folder: ${input}`, { cause: error });
      if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES')
        throw new UsageError(`Cannot listen on ${host}:${port} (${code})`, { cause: error });
      throw error;
    }
    io.stdout.write(`Browse ${server.url}\n`);
    if (!isLoopback(host))
      io.logger.warn(`--host ${host} exposes this dataset to every machine that can reach this address`);
    const total = server.index.total;
    io.logger.info(
      `${total} rows (${server.index.kind})${server.index.reused ? ', cached index reused' : ''}; press Ctrl-C to stop`,
    );
    for (const note of server.index.notes) io.logger.warn(note);
    await new Promise<void>((done) => {
      if (io.signal.aborted) done();
      else io.signal.addEventListener('abort', () => done(), { once: true });
    });
    await server.close();
    return {
      summary: {
        input,
        url: server.url,
        kind: server.index.kind,
        rows: total,
        reusedIndex: server.index.reused,
      },
      text: 'Stopped.\n',
    };
  },
});
