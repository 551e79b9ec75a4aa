import { hardLabel, parseOptions, type Sample } from '@growset/core';
import { bump, type CleaningReport, type CleaningStage } from '@growset/tables';
import { z } from 'zod';
import { type FindLabelIssuesOptions, findLabelIssues } from './confident-learning.ts';

type ProbabilitySource =
  | ReadonlyMap<string, readonly number[]>
  | ((sample: Sample<unknown>) => readonly number[] | undefined);

const optionsSchema = z.strictObject({
  probabilities: z.custom<ProbabilitySource>((v) => v instanceof Map || typeof v === 'function', {
    message: 'a Map from sample id to probabilities, or a function of the sample',
  }),
  classes: z.array(z.string().min(1)).min(2),
  filterBy: z.enum(['prune_by_noise_rate', 'confident_learning', 'both']).default('prune_by_noise_rate'),
  minPerClass: z.int().min(0).default(1),
  action: z.enum(['flag', 'quarantine', 'filter']).default('flag'),
  maxIssues: z.int().min(0).default(1000),
  name: z.string().min(1).default('suspicious-labels'),
});

/** Options of {@link flagSuspiciousLabels}. */
export interface SuspiciousLabelsOptions extends FindLabelIssuesOptions {
  /** Out-of-fold predicted probabilities per sample: a Map by sample id, or a function of the sample. */
  probabilities: ProbabilitySource;
  /** Class names in the order of the probability vectors. */
  classes: string[];
  /**
   * A likely label error: `flag` it (`meta.suspiciousLabel`, the sample passes), `quarantine` it
   * (reason `suspicious label`) or `filter` it. @default 'flag'
   */
  action?: 'flag' | 'quarantine' | 'filter';
  /** Issues listed in the report. @default 1000 */
  maxIssues?: number;
  /** Stage name. @default 'suspicious-labels' */
  name?: string;
}

/** What {@link flagSuspiciousLabels} found. */
export interface SuspiciousLabelsReport extends CleaningReport {
  kind: 'suspicious-labels';
  samples: number;
  /** Samples with a label among `classes` and probabilities. */
  scored: number;
  flagged: number;
  action: 'flag' | 'quarantine' | 'filter';
  /** Flagged samples per given label. */
  byClass: { [label: string]: number };
  /** Per-class confidence thresholds. */
  thresholds: { [label: string]: number | null };
  /** The confident joint (`counts[given][true]`), in `classes` order. */
  confidentJoint: number[][];
  /** The likely errors, least confident first. */
  issues: { id: string; given: string; suggested: string; selfConfidence: number }[];
}

/**
 * A stage flagging likely label errors by confident learning (see {@link findLabelIssues}),
 * given out-of-fold predicted probabilities from any model. It needs every sample's
 * probabilities before deciding, so it holds all samples until its input ends. Samples without
 * probabilities or with a label outside `classes` pass unscored.
 */
export function flagSuspiciousLabels<P = unknown>(
  options: SuspiciousLabelsOptions,
): CleaningStage<Sample<P>, Sample<P>, SuspiciousLabelsReport> {
  const opts = parseOptions(optionsSchema, options, 'SuspiciousLabelsOptions');
  const lookup = (sample: Sample<unknown>) =>
    opts.probabilities instanceof Map
      ? opts.probabilities.get(sample.id)
      : (opts.probabilities as (s: Sample<unknown>) => readonly number[] | undefined)(sample);
  let report = emptyReport(opts.name, opts.action, opts.classes);
  return {
    name: opts.name,
    report: () => report,
    async *run(input, ctx) {
      report = emptyReport(opts.name, opts.action, opts.classes);
      const all: Sample<P>[] = [];
      const scored: number[] = [];
      const labels: string[] = [];
      const probabilities: (readonly number[])[] = [];
      const known = new Set(opts.classes);
      for await (const sample of input) {
        const label = hardLabel(sample.label);
        const probs = lookup(sample);
        if (label !== undefined && known.has(label) && probs !== undefined) {
          scored.push(all.length);
          labels.push(label);
          probabilities.push(probs);
        }
        all.push(sample);
      }
      report.samples = all.length;
      const flagged = new Map<number, { suggested: string; selfConfidence: number }>();
      if (scored.length > 0) {
        const result = findLabelIssues(
          { labels, probabilities, classes: opts.classes },
          { filterBy: opts.filterBy, minPerClass: opts.minPerClass },
        );
        report.scored = scored.length - result.skipped.length;
        result.joint.thresholds.forEach((t, j) => {
          report.thresholds[opts.classes[j]!] = Number.isFinite(t) ? t : null;
        });
        report.confidentJoint = result.joint.counts;
        for (const issue of result.issues) {
          const at = scored[issue.index]!;
          flagged.set(at, { suggested: issue.suggested, selfConfidence: issue.selfConfidence });
          bump(report.byClass, issue.given);
          if (report.issues.length < opts.maxIssues) {
            report.issues.push({
              id: all[at]!.id,
              given: issue.given,
              suggested: issue.suggested,
              selfConfidence: issue.selfConfidence,
            });
          }
        }
      }
      report.flagged = flagged.size;
      for (let i = 0; i < all.length; i++) {
        const sample = all[i]!;
        const issue = flagged.get(i);
        if (issue === undefined) {
          yield sample;
          continue;
        }
        const detail = `labelled ${JSON.stringify(hardLabel(sample.label))} (p=${issue.selfConfidence.toFixed(3)}); the model is confident it is ${JSON.stringify(issue.suggested)}`;
        if (opts.action === 'quarantine') ctx.quarantine(sample, 'suspicious label', { detail });
        else if (opts.action === 'filter') ctx.filter(sample, 'suspicious label', detail);
        else yield { ...sample, meta: { ...(sample.meta ?? {}), suspiciousLabel: issue } };
      }
    },
  };
}

function emptyReport(
  stage: string,
  action: SuspiciousLabelsReport['action'],
  classes: readonly string[],
): SuspiciousLabelsReport {
  return {
    kind: 'suspicious-labels',
    stage,
    samples: 0,
    scored: 0,
    flagged: 0,
    action,
    byClass: {},
    thresholds: Object.fromEntries(classes.map((c) => [c, null])),
    confidentJoint: [],
    issues: [],
  };
}
