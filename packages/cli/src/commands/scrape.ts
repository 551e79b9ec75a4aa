import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage } from '@growset/core';
import { redisCrawlFrontier } from '@growset/queue';
import { engines, runScrapeJob } from '@growset/scrape';
import { defineCommand, intOption, stringOption, UsageError } from '../command.ts';
import { queueOption } from '../queue-option.ts';

const ENGINES = [...engines.names, 'auto'];

export const scrapeCommand = defineCommand({
  name: 'scrape',
  summary: 'crawl a website into an ImageFolder (http or browser engine, polite and resumable)',
  usage: `<config.json> --out <dir> [--fresh] [--engine ${ENGINES.join('|')}] [--queue redis://HOST:PORT[/DB]] [--json]`,
  details: `
<config.json> is a crawl config (see the @growset/scrape README), e.g.
  {"start":["http://127.0.0.1:8080/"],"engine":"http","allowHosts":["127.0.0.1"],
   "allowPrivateNetwork":true,"follow":["a.next","a.item"],
   "item":{"urlPattern":"/item/","fields":{"label":{"selector":".label"},
   "image":{"selector":"img.photo","attr":"src","asset":"image"}}},"concurrency":8,"maxPages":5000}
Writes <out>/images/ (one folder per label, manifest.jsonl), <out>/quarantine.jsonl (items and
pages that failed, with URL and reason), <out>/crawl-report.json and <out>/.crawl/journal.jsonl.
A crawl interrupted in any way (Ctrl-C, kill -9) continues where it stopped when run again on the
same folder; a finished one does nothing; --fresh starts over.
With --queue, every process given the same config and Redis URL (each with its own --out) shares
one crawl: request queue, seen URLs, item keys, robots.txt and per-host politeness live in Redis.
Restart a killed process on its folder to resume (see "Running on several machines" in the
@growset/scrape README).`,
  positionals: { min: 1, max: 1 },
  options: {
    out: { type: 'string', value: 'DIR', description: 'output folder', default: 'out/scrape' },
    fresh: { type: 'boolean', description: 'forget an earlier crawl in --out and start over' },
    engine: {
      type: 'string',
      value: 'NAME',
      description: `override the config engine: ${ENGINES.join(', ')}`,
    },
    queue: {
      type: 'string',
      value: 'URL',
      description: 'share the crawl with other processes through Redis (redis://[:pass@]HOST:PORT[/DB])',
    },
    'lease-ms': {
      type: 'string',
      value: 'MS',
      description: "with --queue: how long a killed process's pages stay reserved",
      default: '30000',
    },
  },
  async run(args, io) {
    const file = resolve(io.cwd, args.positionals[0]!);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read crawl config ${file}: ${errorMessage(error)}`, { cause: error });
    }
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`Crawl config ${file} is not valid JSON: ${errorMessage(error)}`, {
        cause: error,
      });
    }
    const engine = stringOption(args, 'engine');
    if (engine !== undefined && !ENGINES.includes(engine)) {
      throw new UsageError(`Expected \`--engine\` to be one of ${ENGINES.join(', ')}, got \`${engine}\``);
    }
    if (engine !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config))) {
      throw new UsageError(`Crawl config ${file} must be a JSON object`);
    }
    const queue = queueOption(args);
    const leaseMs = intOption(args, 'lease-ms', { min: 100 }) ?? 30_000;
    const { summary, text: table } = await runScrapeJob(
      {
        config,
        out: resolve(io.cwd, stringOption(args, 'out') ?? 'out/scrape'),
        fresh: args.values.fresh === true,
        ...(engine === undefined ? {} : { engine }),
        ...(queue === undefined ? {} : { shared: redisCrawlFrontier(queue, { leaseMs }) }),
      },
      { signal: io.signal, logger: io.logger, onProgress: io.onProgress },
    );
    return { summary, text: table };
  },
});
