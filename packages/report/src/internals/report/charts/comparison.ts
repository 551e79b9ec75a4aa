import { count, isFiniteNumber, points } from '../format.ts';
import { pairedDifferences, type StudyView } from '../study-view.ts';
import { type ChartPlan, focusDomain, layeredSpec, tickSettings, WIDTH } from './shared.ts';

const VERDICT_COLORS: { [verdict: string]: string } = {
  helps: '#2e7d32',
  hurts: '#c62828',
  'no detectable difference': '#8a8a8a',
  'interval over seeds only': '#4e79a7',
};

/**
 * Each treatment minus the baseline at each size: a dot with its 95% interval per (treatment,
 * size), the verdict word in the row label and the colour (helps, hurts, no detectable difference).
 */
export function comparisonChart(view: StudyView): ChartPlan {
  const id = 'comparison';
  const title = 'Treatments against the baseline, paired';
  if (view.baseline === undefined)
    return {
      id,
      title,
      skipped: 'No variant is marked as the baseline, so there is nothing to compare with.',
    };
  const diffs = pairedDifferences(view).filter((d) => isFiniteNumber(d.mean));
  if (diffs.length === 0)
    return { id, title, skipped: 'No seed has a successful trial of both a treatment and the baseline.' };
  const rows = diffs.map((d) => {
    const verdict = d.verdict ?? 'interval over seeds only';
    return {
      variant: d.variant,
      trainSize: d.trainSize,
      row: `${d.variant}, n=${count(d.trainSize)}: ${verdict}`,
      verdict,
      diff: d.mean,
      low: isFiniteNumber(d.low) ? d.low : d.mean,
      high: isFiniteNumber(d.high) ? d.high : d.mean,
    };
  });
  const order = [...rows]
    .sort(
      (a, b) =>
        view.variants.indexOf(a.variant) - view.variants.indexOf(b.variant) || a.trainSize - b.trainSize,
    )
    .map((r) => r.row);
  // A simple baseline far below everything (majority class: -70 points) would squash the others:
  // frame the variants that have rows near zero and say which run off the plot.
  const withRows = view.variants.filter((v) => rows.some((r) => r.variant === v));
  const far = withRows.filter((v) => rows.filter((r) => r.variant === v).every((r) => r.high < -0.2));
  const framed = far.length < withRows.length ? rows.filter((r) => !far.includes(r.variant)) : rows;
  const domain = focusDomain([0, ...framed.flatMap((r) => [r.low, r.high])], false);
  const farRows = framed === rows ? [] : rows.filter((r) => far.includes(r.variant));
  const offPlot =
    farRows.length > 0
      ? ` ${far.join(', ')} ${far.length === 1 ? 'lies' : 'lie'} far below the others and ${far.length === 1 ? 'is' : 'are'} cut at the left edge (down to ${points(Math.min(...farRows.map((r) => r.diff)))}; the table gives every value).`
      : '';
  const verdicts = [...new Set(rows.map((r) => r.verdict))];
  const color = {
    field: 'verdict',
    type: 'nominal' as const,
    scale: { domain: verdicts, range: verdicts.map((v) => VERDICT_COLORS[v] ?? '#444') },
    legend: { title: 'verdict' },
  };
  const y = { field: 'row', type: 'nominal' as const, sort: order, axis: { title: null, labelLimit: 420 } };
  const xScale = { domain, zero: false };
  const xAxis = {
    field: 'diff',
    type: 'quantitative' as const,
    scale: xScale,
    axis: { ...tickSettings(domain, 'points'), title: `test accuracy minus ${view.baseline} (points)` },
  };
  const top = [...rows].sort((a, b) => b.diff - a.diff)[0]!;
  const paired = rows.some((r) => r.verdict !== 'interval over seeds only');
  return {
    id,
    title,
    alt: `Dot-and-interval chart: for each treatment and training size, test accuracy minus the baseline's in percentage points with its 95% interval, labelled helps, hurts or no detectable difference. The largest difference is ${top.variant} at ${count(top.trainSize)} originals: ${points(top.diff)} (${top.verdict}).`,
    caption: `Each row: a treatment's test accuracy minus ${view.baseline}'s at one size, ${paired ? 'paired (both trained on the same subsets, scored on the same test items), with its 95% interval over seeds and test items' : 'paired by seed, with a 95% interval over seeds'}. The verdict is read off the interval: helps when it lies above zero, hurts below, no detectable difference when it contains zero.${view.results.comparisons?.some((c) => c.ciFamily) ? " These are each comparison's own intervals; the best-treatment sentences in the verdicts use wider simultaneous intervals over all the treatments compared at a size." : ''}${offPlot}`,
    spec: layeredSpec(
      { width: WIDTH, height: Math.max(120, 22 * rows.length) },
      [
        {
          data: { values: [{ zero: 0 }] },
          mark: { type: 'rule', color: '#444' },
          encoding: { x: { field: 'zero', type: 'quantitative', scale: xScale } },
        },
        {
          mark: { type: 'rule', strokeWidth: 2, clip: true },
          encoding: { y, x: { ...xAxis, field: 'low' }, x2: { field: 'high' }, color },
        },
        {
          mark: { type: 'point', filled: true, size: 60, clip: true },
          encoding: { y, x: xAxis, color },
        },
      ],
      rows,
    ),
  };
}
