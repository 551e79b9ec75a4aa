import { formatTable } from '@growset/core';
import type { ResampleReport } from './resample.ts';

/** Class counts before and after as a plain-text table, with a total row. */
export function formatClassCounts(report: ResampleReport): string {
  let before = 0;
  let after = 0;
  const rows: (string | number)[][] = report.classes.map((name) => {
    const b = report.before[name] ?? 0;
    const a = report.after[name] ?? 0;
    before += b;
    after += a;
    return [name, b, a, a - b];
  });
  rows.push(['(total)', before, after, after - before]);
  return formatTable(['class', 'before', 'after', 'change'], rows);
}
