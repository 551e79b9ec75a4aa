import type { Stage } from '@growset/core';

/**
 * A stage that keeps counts beyond the pipeline's own (missing values per column, duplicate
 * groups, conversions) and hands them to {@link cleaningSummary}. The report covers the stage's
 * latest run; it starts afresh each time the stage runs.
 */
export interface CleaningStage<I, O, R extends CleaningReport = CleaningReport> extends Stage<I, O> {
  report(): R;
}

/**
 * What every stage report has: its kind, used to place it in the cleaning summary. Reports hold
 * only JSON values (numbers, text, arrays, plain objects).
 */
export interface CleaningReport {
  kind: string;
  stage: string;
}

/** Whether `value` has a `report()` method (a {@link CleaningStage}). */
export function hasReport(value: unknown): value is { report(): CleaningReport } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { report?: unknown }).report === 'function'
  );
}

/** Increments `map[key]` (a plain counting object). */
export function bump(map: { [key: string]: number }, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

/**
 * A stage that holds every sample it receives until its input ends, fits a stage on all of them
 * with `fit`, then runs that stage over them and takes over its report: for cleaning steps that
 * learn from the data (imputation values, outlier bounds) when there is no train/test split yet.
 */
export function fitOnAllStage<S, R extends CleaningReport>(
  name: string,
  initialReport: R,
  fit: (all: S[]) => CleaningStage<S, S, R>,
): CleaningStage<S, S, R> {
  let report = initialReport;
  return {
    name,
    report: () => report,
    async *run(input, ctx) {
      const all: S[] = [];
      for await (const sample of input) all.push(sample);
      const inner = fit(all);
      yield* inner.run(
        (async function* () {
          yield* all;
        })(),
        ctx,
      );
      report = inner.report();
    },
  };
}
