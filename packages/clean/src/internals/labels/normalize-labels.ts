import { parseOptions, type Sample } from '@growset/core';
import { bump, type CleaningReport, type CleaningStage } from '@growset/tables';
import { z } from 'zod';

const optionsSchema = z.strictObject({
  trim: z.boolean().default(true),
  case: z.enum(['keep', 'lower', 'upper']).default('keep'),
  aliases: z.record(z.string(), z.string().min(1)).default({}),
  empty: z.enum(['quarantine', 'unlabel']).default('quarantine'),
  name: z.string().min(1).default('normalize-labels'),
});

/** Options of {@link normalizeLabels}. */
export interface NormalizeLabelsOptions {
  /** Trim spaces and collapse inner runs of spaces. @default true */
  trim?: boolean;
  /** Case folding: `keep`, `lower` or `upper`. @default 'keep' */
  case?: 'keep' | 'lower' | 'upper';
  /**
   * Spelling -> class name, matched after trimming and case folding, ignoring case
   * (`{ 'adelie penguin': 'Adelie' }`). Targets are used as given. @default {}
   */
  aliases?: { [spelling: string]: string };
  /** A label that is empty after trimming: `quarantine` the sample, or `unlabel` it. @default 'quarantine' */
  empty?: 'quarantine' | 'unlabel';
  /** Stage name. @default 'normalize-labels' */
  name?: string;
}

/** What {@link normalizeLabels} changed. */
export interface LabelsReport extends CleaningReport {
  kind: 'labels';
  samples: number;
  /** Samples per class after normalization. */
  classes: { [label: string]: number };
  /** `original -> normalized` spellings with their counts. */
  renamed: { [change: string]: number };
  unlabeled: number;
}

/**
 * A stage cleaning class labels: trimming, case folding and an alias map, so `" adelie"`,
 * `"Adelie "` and `"Adelie Penguin"` become one class. Samples without a label or with a soft
 * label pass unchanged (counted as unlabeled or left alone).
 */
export function normalizeLabels<P = unknown>(
  options: NormalizeLabelsOptions = {},
): CleaningStage<Sample<P>, Sample<P>, LabelsReport> {
  const opts = parseOptions(optionsSchema, options, 'NormalizeLabelsOptions');
  const aliases = new Map<string, string>();
  for (const [from, to] of Object.entries(opts.aliases)) aliases.set(fold(clean(from, opts), 'lower'), to);
  let report = emptyReport(opts.name);
  return {
    name: opts.name,
    report: () => report,
    async *run(input, ctx) {
      report = emptyReport(opts.name);
      for await (const sample of input) {
        report.samples += 1;
        const label = sample.label;
        if (typeof label !== 'string') {
          if (label === undefined) report.unlabeled += 1;
          yield sample;
          continue;
        }
        const cleaned = clean(label, opts);
        if (cleaned === '') {
          if (opts.empty === 'quarantine') {
            ctx.quarantine(sample, 'empty label', { detail: `label ${JSON.stringify(label)} is blank` });
            continue;
          }
          report.unlabeled += 1;
          const { label: _dropped, ...rest } = sample;
          yield rest;
          continue;
        }
        const folded = fold(cleaned, opts.case);
        const next = aliases.get(fold(cleaned, 'lower')) ?? folded;
        bump(report.classes, next);
        if (next === label) {
          yield sample;
          continue;
        }
        bump(report.renamed, `${JSON.stringify(label)} -> ${JSON.stringify(next)}`);
        yield { ...sample, label: next };
      }
    },
  };
}

function clean(label: string, opts: { trim: boolean }): string {
  const normalized = label.normalize('NFC');
  return opts.trim ? normalized.trim().replace(/\s+/g, ' ') : normalized;
}

function fold(label: string, mode: 'keep' | 'lower' | 'upper'): string {
  if (mode === 'lower') return label.toLowerCase();
  if (mode === 'upper') return label.toUpperCase();
  return label;
}

function emptyReport(stage: string): LabelsReport {
  return { kind: 'labels', stage, samples: 0, classes: {}, renamed: {}, unlabeled: 0 };
}
