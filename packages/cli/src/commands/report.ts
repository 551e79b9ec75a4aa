import { dirname, join, relative, resolve } from 'node:path';
import { ResultsFileError, readResults, screenshotReport, writeReport } from '@growset/report';
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
    const input = resolve(io.cwd, args.positionals[0]!);
    let results: Awaited<ReturnType<typeof readResults>>;
    try {
      results = await readResults(input);
    } catch (error) {
      if (error instanceof ResultsFileError) throw new UsageError(error.message, { cause: error });
      throw error;
    }
    const out = resolve(io.cwd, stringOption(args, 'out') ?? join(dirname(input), 'report.html'));
    const written = await writeReport(results, out, {
      resultsDir: dirname(input),
      onProgress: io.onProgress,
    });
    for (const warning of written.warnings) io.logger.warn(warning);
    const rendered = written.charts.filter((c) => c.rendered).length;
    const shotPath = stringOption(args, 'screenshot');
    let screenshot: string | undefined;
    if (shotPath !== undefined) {
      screenshot = resolve(io.cwd, shotPath);
      const shot = await screenshotReport(out, screenshot);
      for (const e of shot.consoleErrors) io.logger.warn(`Browser console error: ${e}`);
    }
    const failed = results.trials.filter((t) => !t.ok).length;
    const show = (path: string) => {
      const rel = relative(io.cwd, path);
      return rel === '' || rel.startsWith('..') ? path : rel;
    };
    const lines = [
      `Report for \`${results.name}\`: ${results.trials.length} trials (${failed} failed), ${results.summaries.length} variants`,
      `Charts: ${written.charts.map((c) => `${c.id}${c.rendered ? '' : ' (not drawn)'}`).join(', ')}`,
      `Gallery images: ${written.galleryImages}${written.warnings.length > 0 ? `; ${written.warnings.length} warning(s) noted in the report` : ''}`,
      ...results.verdicts.slice(0, 3).map((v) => `- ${v}`),
      `Wrote ${show(out)} (${Math.round(written.bytes / 1024)} KB)${screenshot ? ` and ${show(screenshot)}` : ''}`,
    ];
    return {
      summary: {
        results: input,
        out,
        bytes: written.bytes,
        charts: rendered,
        chartsSkipped: written.charts.filter((c) => !c.rendered).map((c) => c.id),
        galleryImages: written.galleryImages,
        trials: results.trials.length,
        failedTrials: failed,
        variants: results.summaries.length,
        verdicts: results.verdicts,
        warnings: written.warnings,
        ...(screenshot ? { screenshot } : {}),
      },
      text: `${lines.join('\n')}\n`,
    };
  },
});
