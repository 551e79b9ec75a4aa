import { ResultsFileError, runReportJob } from '@growset/report';
import { defineCommand, stringOption, UsageError } from '../command.ts';

export const reportCommand = defineCommand({
  name: 'report',
  summary: 'rebuild the HTML report (charts, gallery, verdicts) from a results.json',
  usage: '<results.json> [--out report.html] [--screenshot report.png] [--json]',
  details: `
Reads a study's results.json, validates it, and writes one self-contained report.html that opens
offline in any browser. Gallery paths in the results resolve against the folder of results.json.
--screenshot also saves a full-page PNG of the report through headless Chromium (GROWSET_CHROMIUM,
or Debian's chromium).`,
  positionals: { min: 1, max: 1 },
  options: {
    out: {
      type: 'string',
      value: 'FILE',
      description: 'where to write the report',
      default: 'report.html beside results.json',
    },
    screenshot: {
      type: 'string',
      value: 'PNG',
      description: 'also save a full-page screenshot of the report',
    },
  },
  async run(args, io) {
    const out = stringOption(args, 'out');
    const screenshot = stringOption(args, 'screenshot');
    try {
      return await runReportJob(
        {
          results: args.positionals[0]!,
          cwd: io.cwd,
          ...(out !== undefined ? { out } : {}),
          ...(screenshot !== undefined ? { screenshot } : {}),
        },
        { logger: io.logger, onProgress: io.onProgress, signal: io.signal },
      );
    } catch (error) {
      if (error instanceof ResultsFileError) throw new UsageError(error.message, { cause: error });
      throw error;
    }
  },
});
