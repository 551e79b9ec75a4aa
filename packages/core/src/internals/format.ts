import type { RunSummary } from './pipeline.ts';

/** Renders rows as an aligned plain-text table (numbers right-aligned). */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const cells = [
    headers.map(String),
    ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c))),
  ];
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(1) : n.toFixed(3);
}

/** A table of a run's per-stage counts, plus the reasons behind drops. */
export function formatRunSummary(summary: RunSummary): string {
  const table = formatTable(
    ['stage', 'in', 'created', 'out', 'filtered', 'quarantined', 'ms'],
    summary.stages.map((s) => [s.stage, s.in, s.created, s.out, s.filtered, s.quarantined, s.timeMs]),
  );
  const reasons: string[] = [];
  for (const s of summary.stages) {
    for (const [reason, n] of Object.entries(s.filteredBy))
      reasons.push(`  ${s.stage}: filtered ${n} (${reason})`);
    for (const [reason, n] of Object.entries(s.quarantinedBy))
      reasons.push(`  ${s.stage}: quarantined ${n} (${reason})`);
  }
  return reasons.length > 0 ? `${table}\nReasons:\n${reasons.join('\n')}` : table;
}
