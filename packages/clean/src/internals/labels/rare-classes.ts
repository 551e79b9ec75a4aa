import { hardLabel, parseOptions, type Sample } from '@growset/core';
import type { CleaningReport, CleaningStage } from '@growset/tables';
import { z } from 'zod';

const optionsSchema = z.strictObject({
  minCount: z.int().min(1),
  name: z.string().min(1).default('rare-classes'),
});

/** Options of {@link filterRareClasses}. */
export interface RareClassesOptions {
  /** Classes with fewer samples than this are filtered. */
  minCount: number;
  /** Stage name. @default 'rare-classes' */
  name?: string;
}

/** Class counts and the classes removed. */
export interface RareClassesReport extends CleaningReport {
  kind: 'rare-classes';
  minCount: number;
  /** Samples per class before filtering. */
  classes: { [label: string]: number };
  /** Classes removed, with their counts. */
  removed: { [label: string]: number };
}

/**
 * A stage filtering the samples of classes with fewer than `minCount` samples (reason
 * `rare class`, naming the class and its count): too few to learn or to stratify. It counts
 * classes first, so it holds all samples until its input ends. Unlabeled samples pass.
 */
export function filterRareClasses<P = unknown>(
  options: RareClassesOptions,
): CleaningStage<Sample<P>, Sample<P>, RareClassesReport> {
  const opts = parseOptions(optionsSchema, options, 'RareClassesOptions');
  let report = emptyReport(opts.name, opts.minCount);
  return {
    name: opts.name,
    report: () => report,
    async *run(input, ctx) {
      report = emptyReport(opts.name, opts.minCount);
      const all: Sample<P>[] = [];
      const counts = new Map<string, number>();
      for await (const sample of input) {
        all.push(sample);
        const label = hardLabel(sample.label);
        if (label !== undefined) counts.set(label, (counts.get(label) ?? 0) + 1);
      }
      for (const [label, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        report.classes[label] = n;
        if (n < opts.minCount) report.removed[label] = n;
      }
      for (const sample of all) {
        const label = hardLabel(sample.label);
        const n = label === undefined ? undefined : counts.get(label);
        if (n !== undefined && n < opts.minCount) {
          ctx.filter(
            sample,
            'rare class',
            `class ${JSON.stringify(label)} has ${n} sample(s), fewer than ${opts.minCount}`,
          );
          continue;
        }
        yield sample;
      }
    },
  };
}

function emptyReport(stage: string, minCount: number): RareClassesReport {
  return { kind: 'rare-classes', stage, minCount, classes: {}, removed: {} };
}
