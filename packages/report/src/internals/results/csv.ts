import type { StudyResults, TrialRecord } from './types.ts';

/** A CSV cell: empty for `null`, `undefined` and non-finite numbers. */
export type CsvCell = string | number | boolean | null | undefined;

/** One field, quoted per RFC 4180 when it holds a delimiter, a quote, a line break or edge spaces. */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = typeof value === 'boolean' ? (value ? 'true' : 'false') : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows to CSV text (CRLF line ends, as RFC 4180 says), header first. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

/** Columns of `results.csv`, one row per trial. */
export const TRIAL_COLUMNS = [
  'variant',
  'trainSize',
  'seed',
  'ok',
  'trainAccuracy',
  'testAccuracy',
  'trainBalancedAccuracy',
  'testBalancedAccuracy',
  'trainMacroF1',
  'testMacroF1',
  'trainLogLoss',
  'testLogLoss',
  'epochs',
  'stoppedEarly',
  'fittedSamples',
  'validationSize',
  'wallTimeMs',
  'backend',
  'error',
] as const;

function trialRow(t: TrialRecord): CsvCell[] {
  return [
    t.variant,
    t.trainSize,
    t.seed,
    t.ok,
    t.train?.accuracy,
    t.test?.accuracy,
    t.train?.balancedAccuracy,
    t.test?.balancedAccuracy,
    t.train?.macroF1,
    t.test?.macroF1,
    t.train?.logLoss,
    t.test?.logLoss,
    t.epochs,
    t.stoppedEarly,
    t.fittedSamples,
    t.validationSize,
    Math.round(t.wallTimeMs),
    t.backend,
    t.error,
  ];
}

/** `results.csv`: one row per trial, in the order of `results.trials`. */
export function trialsCsv(results: StudyResults): string {
  return toCsv(TRIAL_COLUMNS, results.trials.map(trialRow));
}

/** Columns of `summary.csv`, one row per variant and training size. */
export const SUMMARY_COLUMNS = [
  'variant',
  'trainSize',
  'seeds',
  'failedTrials',
  'testAccuracyMean',
  'testAccuracyStd',
  'testAccuracyCi95Low',
  'testAccuracyCi95High',
  'trainAccuracyMean',
  'gapMean',
  'gapStd',
  'gapCi95Low',
  'gapCi95High',
  'verdict',
  'explanation',
  'equivalentBaselineSize',
  'worth',
] as const;

/** `summary.csv`: per variant and size, test accuracy over seeds, the gap, the verdict and worth. */
export function summaryCsv(results: StudyResults): string {
  const rows: CsvCell[][] = [];
  for (const summary of results.summaries) {
    for (const s of summary.sizes) {
      const equivalent = summary.dataEquivalents.find((d) => d.trainSize === s.trainSize);
      rows.push([
        s.variant,
        s.trainSize,
        s.testAccuracy.n,
        s.failedTrials,
        s.testAccuracy.mean,
        s.testAccuracy.std,
        s.testAccuracy.ci95[0],
        s.testAccuracy.ci95[1],
        s.trainAccuracy.mean,
        s.gap.mean,
        s.gap.std,
        s.gap.ci95[0],
        s.gap.ci95[1],
        s.verdict,
        s.explanation,
        equivalent?.equivalentBaselineSize,
        equivalent?.worth,
      ]);
    }
  }
  return toCsv(SUMMARY_COLUMNS, rows);
}
