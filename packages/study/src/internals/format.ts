import { formatTable } from '@growset/core';
import type { DataEquivalent, StudyResults } from './types.ts';

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '-');

/**
 * The study as plain text: mean test accuracy (± std over seeds) per variant and size, the
 * train-test gap at the smallest size, the data-equivalent at the largest, then the verdicts.
 */
export function formatStudySummary(results: StudyResults): string {
  const sizes = results.config.trainSizes;
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  const baseline = (results.config.variants.find((v) => v.baseline) ?? results.config.variants[0])?.name;
  const rows = results.summaries.map((s) => {
    const cells: (string | number)[] = [s.variant];
    for (const n of sizes) {
      const z = s.sizes.find((x) => x.trainSize === n);
      cells.push(
        z && z.testAccuracy.n > 0
          ? `${pct(z.testAccuracy.mean)}${z.testAccuracy.n > 1 ? ` ±${(100 * z.testAccuracy.std).toFixed(1)}` : ''}`
          : '-',
      );
    }
    const first = s.sizes.find((z) => z.testAccuracy.n > 0);
    cells.push(first ? `${(100 * first.gap.mean).toFixed(1)} (${first.verdict})` : '-');
    cells.push(
      worthAt(
        s.dataEquivalents.find((d) => d.trainSize === last),
        s.variant === baseline,
      ),
    );
    return cells;
  });
  const table = formatTable(
    ['variant', ...sizes.map((n) => `n=${n}`), `gap at n=${first} (points)`, `worth at n=${last}`],
    rows,
  );
  const comparisons = (results.comparisons ?? []).filter((c) => c.metric === 'accuracy');
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;
  const compared = formatTable(
    ['variant', 'n', `minus ${baseline ?? 'baseline'} (points)`, '95% interval', 'verdict'],
    comparisons.map((c) => [
      c.variant,
      c.trainSize,
      signed(c.difference),
      `${signed(c.ci[0])} to ${signed(c.ci[1])}`,
      c.verdict,
    ]),
  );
  const failed = results.trials.filter((t) => !t.ok).length;
  const lines = [
    `Study \`${results.name}\`: ${results.config.originals} ${results.config.task === 'image' ? 'images' : 'rows'} of ${results.config.classes.length} classes, ${results.config.testSize} held out for testing; ${results.trials.length} trials (${failed} failed) on ${results.backend}, ${results.config.workers} worker(s), ${(results.wallTimeMs / 1000).toFixed(1)} s.`,
    '',
    'Test accuracy (mean ± std over seeds):',
    table,
    ...(comparisons.length > 0
      ? [
          '',
          `Paired differences in test accuracy (same subsets, same ${results.config.testSize} test items${(results.config.testSplits ?? 1) > 1 ? ` in each of ${results.config.testSplits} splits` : ''}; 95% interval over seeds and test items):`,
          compared,
        ]
      : []),
    '',
    'Verdicts:',
    ...results.verdicts.map((v) => `- ${v}`),
  ];
  return lines.join('\n');
}

function worthAt(d: DataEquivalent | undefined, isBaseline: boolean): string {
  if (isBaseline) return 'baseline';
  if (!d) return '-';
  if (d.worth !== null) {
    const i = d.worthInterval;
    return `${d.worth.toFixed(2)}x${i ? ` (${i[0].toFixed(1)}-${i[1] === null ? '∞' : i[1].toFixed(1)})` : ''}`;
  }
  return d.sentence.includes('beyond what') ? 'beyond curve' : '-';
}
