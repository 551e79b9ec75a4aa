import { count, isFiniteNumber, times } from '../format.ts';
import type { StudyView } from '../study-view.ts';
import { type ChartPlan, colorEncoding, groupedWidth, HEIGHT, layeredSpec } from './shared.ts';

/** What each treatment is worth in baseline data, per size. */
export function dataEquivalentChart(view: StudyView): ChartPlan {
  const id = 'data-equivalents';
  const title = 'What each treatment is worth in data';
  const rows: {
    variant: string;
    trainSize: number;
    worth: number;
    label: string;
    low?: number;
    high?: number;
    open?: boolean;
  }[] = [];
  const beyond: string[] = [];
  for (const summary of view.summaries.values()) {
    for (const d of summary.dataEquivalents) {
      if (isFiniteNumber(d.worth) && d.worth > 0)
        rows.push({
          variant: d.variant,
          trainSize: d.trainSize,
          worth: d.worth,
          label: times(d.worth),
          ...(d.worthInterval
            ? {
                low: d.worthInterval[0],
                ...(d.worthInterval[1] === null ? { open: true } : { high: d.worthInterval[1] }),
              }
            : {}),
        });
      else beyond.push(`${d.variant} at ${count(d.trainSize)}`);
    }
  }
  if (rows.length === 0)
    return {
      id,
      title,
      skipped:
        beyond.length > 0
          ? `Every treatment is beyond the reach of the baseline's fitted curve (${beyond.join(', ')}).`
          : 'The results hold no data equivalents (no baseline curve to compare with).',
    };
  const present = view.variants.filter((v) => rows.some((r) => r.variant === v));
  const sizes = view.sizes.filter((n) => rows.some((r) => r.trainSize === n));
  const color = colorEncoding(view, present);
  const x = {
    field: 'trainSize',
    type: 'ordinal' as const,
    sort: sizes,
    axis: { title: 'training originals', labelAngle: 0 },
  };
  const xOffset = { field: 'variant', type: 'nominal' as const, sort: present };
  const top = [...rows].sort((a, b) => b.worth - a.worth)[0]!;
  // Frame the bars; intervals that reach further (or have no upper end) are cut at the top.
  const yMax = Math.max(1.2, ...rows.map((r) => r.worth)) * 1.25;
  for (const r of rows) {
    if (r.low === undefined) continue;
    if (r.open || r.high === undefined || r.high > yMax) r.high = yMax;
  }
  const whiskers = rows.filter((r) => r.low !== undefined);
  const cut = rows.some((r) => r.open) || whiskers.some((r) => r.high === yMax);
  return {
    id,
    title,
    alt: `Grouped bar chart of data equivalents: for each training size, how many times more baseline data would reach each treatment's accuracy. A bar at 1x is worth nothing. The largest is ${top.variant} at ${count(top.trainSize)} originals, worth ${top.label} data.`,
    caption: `Baseline data needed to match each treatment, as a multiple of the data the treatment used (read from the baseline's fitted curve). Above the 1x line the treatment is worth more data.${whiskers.length > 0 ? ` Whiskers: the 95% interval, from the interval of the paired difference read off the same curve${cut ? '; those that reach past the top (or past the curve) are cut there' : ''}.` : ''}${beyond.length > 0 ? ` Beyond the baseline curve's reach, not drawn: ${beyond.join(', ')}.` : ''}`,
    spec: layeredSpec(
      { width: groupedWidth(sizes.length, present.length), height: HEIGHT },
      [
        {
          mark: { type: 'bar', opacity: 0.9 },
          encoding: {
            x,
            xOffset,
            y: {
              field: 'worth',
              type: 'quantitative',
              scale: { domain: [0, yMax] },
              axis: { title: 'worth in baseline data (x)' },
            },
            color,
          },
        },
        {
          mark: { type: 'text', dy: -6, fontSize: 10, color: '#222' },
          encoding: { x, xOffset, y: { field: 'worth', type: 'quantitative' }, text: { field: 'label' } },
        },
        ...(whiskers.length > 0
          ? [
              {
                data: { values: whiskers },
                mark: { type: 'rule', color: '#222', clip: true },
                encoding: { x, xOffset, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } },
              },
            ]
          : []),
        {
          data: { values: [{ one: 1 }] },
          mark: { type: 'rule', color: '#444', strokeDash: [4, 3] },
          encoding: { y: { field: 'one', type: 'quantitative' } },
        },
      ],
      rows,
    ),
  };
}
