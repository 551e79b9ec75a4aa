import type { TopLevelSpec } from 'vega-lite';
import { count, isFiniteNumber, percent, times } from '../format.ts';
import { clamp01, logSpace } from '../stats.ts';
import { pairedDifferences, type StudyView } from '../study-view.ts';

/** A chart to render: a vega-lite spec with the words around it. */
export interface ChartDefinition {
  /** Stable id: `learning-curves`, `gap`, `comparison`, `data-equivalents`, `projection`. */
  id: string;
  title: string;
  /** Text alternative for screen readers: what the chart shows and its main reading. */
  alt: string;
  /** Shown under the chart: how to read it. */
  caption: string;
  spec: TopLevelSpec;
}

/** A chart that does not apply to these results, with the reason shown instead. */
export interface SkippedChart {
  id: string;
  title: string;
  skipped: string;
}

export type ChartPlan = ChartDefinition | SkippedChart;

const WIDTH = 560;
const HEIGHT = 300;

/**
 * A y domain that frames `values` with a margin, within [0, 1] for accuracies (`bounded`), so that
 * wide intervals do not squash what matters.
 */
function focusDomain(values: readonly number[], bounded = true): [number, number] {
  const finite = values.filter(isFiniteNumber);
  if (finite.length === 0) return bounded ? [0, 1] : [-1, 1];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const pad = Math.max(0.02, (hi - lo) * 0.12);
  return bounded ? [Math.max(0, lo - pad), Math.min(1, hi + pad)] : [lo - pad, hi + pad];
}

/** Grouped bars get wider with more bars, up to what fits beside the legend on the page. */
const groupedWidth = (groups: number, perGroup: number) =>
  Math.min(820, Math.max(WIDTH, groups * perGroup * 9));

const CONFIG = {
  background: 'white',
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  aria: false,
  view: { stroke: '#bbb' },
  axis: {
    labelColor: '#222',
    titleColor: '#222',
    gridColor: '#e6e6e6',
    domainColor: '#888',
    tickColor: '#888',
  },
  legend: { labelColor: '#222', titleColor: '#222', labelLimit: 220 },
  header: { labelColor: '#222', titleColor: '#222', labelFontSize: 12 },
} as const;

function colorEncoding(view: StudyView, present: readonly string[]) {
  const domain = view.variants.filter((v) => present.includes(v));
  return {
    field: 'variant',
    type: 'nominal' as const,
    scale: { domain, range: domain.map((v) => view.colors.get(v)!) },
    legend: { title: 'variant' },
  };
}

/** A log-scaled training-size axis, labelled at the given sizes when there are few enough. */
const logSizeAxis = (title: string, sizes: readonly number[]) => ({
  field: 'trainSize',
  type: 'quantitative' as const,
  scale: { type: 'log' as const, nice: false, padding: 10 },
  axis: { format: '~s', title, ...(sizes.length > 0 && sizes.length <= 9 ? { values: [...sizes] } : {}) },
});

/** Test accuracy against training size with the 95% band, the fitted power law and the target. */
export function learningCurveChart(view: StudyView): ChartPlan {
  const id = 'learning-curves';
  const title = 'Learning curves';
  const means: { variant: string; trainSize: number; mean: number; low: number; high: number }[] = [];
  const fitted: { variant: string; trainSize: number; accuracy: number }[] = [];
  const extrapolated: { variant: string; trainSize: number; low: number; high: number }[] = [];
  let maxSize = 0;
  for (const summary of view.summaries.values()) {
    for (const s of summary.sizes) {
      const { mean, ci95 } = s.testAccuracy;
      if (!isFiniteNumber(mean) || !(s.trainSize > 0)) continue;
      const low = isFiniteNumber(ci95[0]) ? clamp01(ci95[0]) : mean;
      const high = isFiniteNumber(ci95[1]) ? clamp01(ci95[1]) : mean;
      means.push({ variant: summary.variant, trainSize: s.trainSize, mean, low, high });
      maxSize = Math.max(maxSize, s.trainSize);
    }
  }
  if (means.length === 0) return { id, title, skipped: 'No trial succeeded, so there is no curve to draw.' };
  const minSize = Math.min(...means.map((m) => m.trainSize));
  let reach = maxSize;
  for (const summary of view.summaries.values()) {
    for (const e of summary.curve?.extrapolation ?? []) {
      if (!(e.trainSize > 0) || !isFiniteNumber(e.low) || !isFiniteNumber(e.high)) continue;
      extrapolated.push({
        variant: summary.variant,
        trainSize: e.trainSize,
        low: clamp01(e.low),
        high: clamp01(e.high),
      });
      reach = Math.max(reach, e.trainSize);
    }
  }
  for (const summary of view.summaries.values()) {
    const curve = summary.curve;
    if (!curve || ![curve.a, curve.b, curve.c].every(isFiniteNumber)) continue;
    for (const n of logSpace(minSize, reach, 48)) {
      const accuracy = clamp01(1 - (curve.a * n ** -curve.b + curve.c));
      fitted.push({ variant: summary.variant, trainSize: n, accuracy });
    }
  }
  const present = [...new Set(means.map((m) => m.variant))];
  const color = {
    ...colorEncoding(view, present),
    legend: { title: 'variant', symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 },
  };
  const extraTicks = [...new Set(extrapolated.map((e) => e.trainSize))].filter((n) => n > maxSize);
  const x = logSizeAxis(
    'training originals (log scale)',
    [...new Set(means.map((m) => m.trainSize))].sort((a, b) => a - b).concat(extraTicks),
  );
  const target = view.results.config.targetAccuracy;
  // The y range follows the lines (means, fits, target), not the bands: with two or three seeds a
  // 95% interval can span most of [0, 1] and would flatten every curve. Bands are clipped instead.
  const domain = focusDomain([
    ...means.map((m) => m.mean),
    ...fitted.map((f) => f.accuracy),
    ...(target === null ? [] : [target]),
  ]);
  const clipped = [...means, ...extrapolated].some((b) => b.low < domain[0] || b.high > domain[1]);
  const yAxis = { axis: { format: '.0%', title: 'test accuracy' }, scale: { zero: false, domain } };
  const layer: unknown[] = [
    {
      data: { values: means },
      mark: { type: 'area', opacity: 0.16, clip: true },
      encoding: { x, y: { field: 'low', type: 'quantitative', ...yAxis }, y2: { field: 'high' }, color },
    },
  ];
  if (extrapolated.length > 0) {
    layer.push({
      data: { values: extrapolated },
      mark: { type: 'area', opacity: 0.08, clip: true },
      encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color },
    });
  }
  if (fitted.length > 0) {
    layer.push({
      data: { values: fitted },
      mark: { type: 'line', strokeDash: [6, 4], strokeWidth: 1.5 },
      encoding: { x, y: { field: 'accuracy', type: 'quantitative' }, color },
    });
  }
  layer.push({
    data: { values: means },
    mark: { type: 'line', point: { filled: true, size: 36 }, strokeWidth: 2.2 },
    encoding: {
      x,
      y: { field: 'mean', type: 'quantitative' },
      color,
    },
  });
  if (target !== null) {
    layer.push({
      data: { values: [{ target, label: `target ${percent(target)}` }] },
      layer: [
        {
          mark: { type: 'rule', strokeDash: [2, 3], color: '#444' },
          encoding: { y: { field: 'target', type: 'quantitative' } },
        },
        {
          mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#444', fontSize: 11 },
          encoding: {
            y: { field: 'target', type: 'quantitative' },
            x: { value: 0 },
            text: { field: 'label' },
          },
        },
      ],
    });
  }
  const best = [...means].sort((a, b) => b.trainSize - a.trainSize || b.mean - a.mean)[0]!;
  return {
    id,
    title,
    alt: `Line chart of mean test accuracy against training size (log scale) for ${present.join(', ')}, with 95% bands over seeds${fitted.length > 0 ? ' and dashed fitted power-law curves extrapolated beyond the data' : ''}. At the largest size, ${count(best.trainSize)}, ${best.variant} is best at ${percent(best.mean)}.`,
    caption: `Mean test accuracy over seeds (solid, dots) with its 95% interval (band). Dashed: the fitted curve err(n) = a·n^-b + c, extended to ${count(reach)}${extrapolated.length > 0 ? ', with its bootstrap band (lighter) beyond the data' : ''}.${clipped ? ' Some bands (few seeds) reach past the plot and are cut at its edge; the tables give every interval.' : ''}${target !== null ? ` Dotted line: the target accuracy, ${percent(target)}.` : ''}`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: WIDTH,
      height: HEIGHT,
      config: CONFIG,
      layer,
    } as TopLevelSpec,
  };
}

/** Small multiples: train and test accuracy per variant, the gap between them shaded. */
export function gapChart(view: StudyView): ChartPlan {
  const id = 'gap';
  const title = 'Train vs test: the overfitting gap';
  const rows: { variant: string; trainSize: number; train: number; test: number }[] = [];
  for (const summary of view.summaries.values()) {
    for (const s of summary.sizes) {
      if (!isFiniteNumber(s.trainAccuracy.mean) || !isFiniteNumber(s.testAccuracy.mean) || !(s.trainSize > 0))
        continue;
      rows.push({
        variant: summary.variant,
        trainSize: s.trainSize,
        train: s.trainAccuracy.mean,
        test: s.testAccuracy.mean,
      });
    }
  }
  if (rows.length === 0) return { id, title, skipped: 'No trial recorded both train and test accuracy.' };
  const present = view.variants.filter((v) => rows.some((r) => r.variant === v));
  const color = { ...colorEncoding(view, present), legend: null };
  const x = logSizeAxis(
    'training originals',
    [...new Set(rows.map((r) => r.trainSize))].sort((a, b) => a - b),
  );
  const widest = [...rows].sort((a, b) => b.train - b.test - (a.train - a.test))[0]!;
  return {
    id,
    title,
    alt: `Small multiples, one per variant (${present.join(', ')}): train accuracy (dashed) and test accuracy (solid) against training size, the gap between them shaded. The widest gap is ${present.length > 0 ? `${widest.variant} at ${count(widest.trainSize)} originals: ${percent(widest.train)} train vs ${percent(widest.test)} test` : 'none'}.`,
    caption:
      'Per variant: train accuracy (dashed) and test accuracy (solid), means over seeds. The shaded band is the gap; a wide gap that does not close as data grows means the model overfits.',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: CONFIG,
      data: { values: rows },
      facet: { field: 'variant', type: 'nominal', sort: present, title: null },
      columns: Math.min(3, present.length),
      spec: {
        width: 170,
        height: 130,
        layer: [
          {
            mark: { type: 'area', opacity: 0.22 },
            encoding: {
              x,
              y: {
                field: 'test',
                type: 'quantitative',
                scale: { zero: false },
                axis: { format: '.0%', title: 'accuracy' },
              },
              y2: { field: 'train' },
              color,
            },
          },
          {
            transform: [{ fold: ['train', 'test'], as: ['split', 'accuracy'] }],
            mark: { type: 'line', strokeWidth: 2 },
            encoding: {
              x,
              y: { field: 'accuracy', type: 'quantitative' },
              color,
              strokeDash: {
                field: 'split',
                type: 'nominal',
                scale: {
                  domain: ['train', 'test'],
                  range: [
                    [5, 3],
                    [1, 0],
                  ],
                },
                legend: {
                  title: 'split',
                  symbolType: 'stroke',
                  symbolStrokeColor: '#333',
                  symbolStrokeWidth: 2,
                },
              },
            },
          },
        ],
      },
    } as TopLevelSpec,
  };
}

/** Each treatment minus the baseline at each size, paired by seed, with 95% intervals. */
export function comparisonChart(view: StudyView): ChartPlan {
  const id = 'comparison';
  const title = 'Treatments against the baseline at each size';
  if (view.baseline === undefined)
    return {
      id,
      title,
      skipped: 'No variant is marked as the baseline, so there is nothing to compare with.',
    };
  const diffs = pairedDifferences(view).filter((d) => isFiniteNumber(d.mean));
  if (diffs.length === 0)
    return { id, title, skipped: 'No seed has a successful trial of both a treatment and the baseline.' };
  const rows = diffs.map((d) => ({
    variant: d.variant,
    trainSize: d.trainSize,
    diff: d.mean,
    low: isFiniteNumber(d.low) ? d.low : d.mean,
    high: isFiniteNumber(d.high) ? d.high : d.mean,
  }));
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
  const top = [...rows].sort((a, b) => b.diff - a.diff)[0]!;
  // As in the learning curves: frame the bars, clip whiskers that few seeds make very long.
  // A simple baseline far below everything (majority class: -70 points) would flatten the
  // treatments' bars to nothing; frame the others and say which bars run off the plot.
  const far = present.filter((v) => rows.filter((r) => r.variant === v).every((r) => r.diff < -0.2));
  const framed = far.length < present.length ? rows.filter((r) => !far.includes(r.variant)) : rows;
  const domain = focusDomain([0, ...framed.map((r) => r.diff)], false);
  const clipped = rows.some((r) => !far.includes(r.variant) && (r.low < domain[0] || r.high > domain[1]));
  const offPlot =
    framed === rows
      ? ''
      : ` Bars of ${far.join(', ')} run below the plot (down to ${(Math.min(...rows.filter((r) => far.includes(r.variant)).map((r) => r.diff)) * 100).toFixed(0)} points).`;
  return {
    id,
    title,
    alt: `Grouped bar chart: for each training size (${sizes.map(count).join(', ')}), the test accuracy of each treatment minus the baseline's, in percentage points, with 95% intervals. The largest gain is ${top.variant} at ${count(top.trainSize)} originals: ${(top.diff * 100).toFixed(1)} points.`,
    caption: `Test accuracy of each treatment minus ${view.baseline}'s, in percentage points, paired by seed (both trained on the same subset). Whiskers: 95% interval over seeds${clipped ? ' (cut at the plot edge where few seeds make them longer; the table gives every value)' : ''}. Above zero the treatment helps.${offPlot}`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: groupedWidth(sizes.length, present.length),
      height: HEIGHT,
      config: CONFIG,
      data: { values: rows },
      layer: [
        {
          mark: { type: 'bar', opacity: 0.9, clip: true },
          encoding: {
            x,
            xOffset,
            y: {
              field: 'diff',
              type: 'quantitative',
              scale: { domain },
              axis: {
                labelExpr: "(datum.value > 0 ? '+' : '') + format(datum.value * 100, '.0f') + ' pts'",
                title: `test accuracy minus ${view.baseline} (points)`,
              },
            },
            color,
          },
        },
        {
          mark: { type: 'rule', color: '#222', clip: true },
          encoding: { x, xOffset, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } },
        },
        {
          data: { values: [{ zero: 0 }] },
          mark: { type: 'rule', color: '#444' },
          encoding: { y: { field: 'zero', type: 'quantitative' } },
        },
      ],
    } as TopLevelSpec,
  };
}

/** What each treatment is worth in baseline data, per size. */
export function dataEquivalentChart(view: StudyView): ChartPlan {
  const id = 'data-equivalents';
  const title = 'What each treatment is worth in data';
  const rows: { variant: string; trainSize: number; worth: number; label: string }[] = [];
  const beyond: string[] = [];
  for (const summary of view.summaries.values()) {
    for (const d of summary.dataEquivalents) {
      if (isFiniteNumber(d.worth) && d.worth > 0)
        rows.push({ variant: d.variant, trainSize: d.trainSize, worth: d.worth, label: times(d.worth) });
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
  return {
    id,
    title,
    alt: `Grouped bar chart of data equivalents: for each training size, how many times more baseline data would reach each treatment's accuracy. A bar at 1x is worth nothing. The largest is ${top.variant} at ${count(top.trainSize)} originals, worth ${top.label} data.`,
    caption: `Baseline data needed to match each treatment, as a multiple of the data the treatment used (read from the baseline's fitted curve). Above the 1x line the treatment is worth more data.${beyond.length > 0 ? ` Beyond the baseline curve's reach, not drawn: ${beyond.join(', ')}.` : ''}`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: groupedWidth(sizes.length, present.length),
      height: HEIGHT,
      config: CONFIG,
      data: { values: rows },
      layer: [
        {
          mark: { type: 'bar', opacity: 0.9 },
          encoding: {
            x,
            xOffset,
            y: { field: 'worth', type: 'quantitative', axis: { title: 'worth in baseline data (x)' } },
            color,
          },
        },
        {
          mark: { type: 'text', dy: -6, fontSize: 10, color: '#222' },
          encoding: { x, xOffset, y: { field: 'worth', type: 'quantitative' }, text: { field: 'label' } },
        },
        {
          data: { values: [{ one: 1 }] },
          mark: { type: 'rule', color: '#444', strokeDash: [4, 3] },
          encoding: { y: { field: 'one', type: 'quantitative' } },
        },
      ],
    } as TopLevelSpec,
  };
}

/** Training size each variant needs to reach the target accuracy, from its fitted curve. */
export function projectionChart(view: StudyView): ChartPlan {
  const id = 'projection';
  const title = 'Data needed to reach the target';
  const target = view.results.config.targetAccuracy;
  if (target === null) return { id, title, skipped: 'The study set no target accuracy.' };
  const largest = view.sizes.at(-1) ?? 0;
  const rows: { variant: string; projected: number; from: number; label: string }[] = [];
  const unreachable: string[] = [];
  for (const variant of view.variants) {
    const summary = view.summaries.get(variant);
    if (!summary) continue;
    const projected = summary.projectedSizeForTarget;
    if (isFiniteNumber(projected) && projected > 0)
      rows.push({ variant, projected, from: largest, label: `≈ ${count(projected)}` });
    else unreachable.push(variant);
  }
  if (rows.length === 0)
    return {
      id,
      title,
      skipped: `No variant's fitted curve reaches the target accuracy of ${percent(target)}${unreachable.length > 0 ? ` (${unreachable.join(', ')})` : ''}.`,
    };
  const present = rows.map((r) => r.variant);
  const color = colorEncoding(view, present);
  const y = { field: 'variant', type: 'nominal' as const, sort: present, axis: { title: null } };
  const xScale = { type: 'log' as const };
  const cheapest = [...rows].sort((a, b) => a.projected - b.projected)[0]!;
  return {
    id,
    title,
    alt: `Dot chart, log scale: training size each variant needs to reach ${percent(target)} test accuracy, projected from its fitted curve, against the largest size studied (${count(largest)}). Cheapest: ${cheapest.variant} at about ${count(cheapest.projected)} originals.`,
    caption: `Training originals each variant needs to reach ${percent(target)} test accuracy, projected from its fitted curve (log scale). The grey line marks the largest size studied, ${count(largest)}; beyond it the numbers are extrapolations.${unreachable.length > 0 ? ` Never reaching the target on its curve: ${unreachable.join(', ')}.` : ''}`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: WIDTH,
      height: Math.max(90, 34 * rows.length),
      config: CONFIG,
      data: { values: rows },
      layer: [
        {
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: {
            y,
            x: {
              field: 'from',
              type: 'quantitative',
              scale: xScale,
              axis: { format: '~s', title: 'training originals (log scale)' },
            },
            x2: { field: 'projected' },
            color: { ...color, legend: null },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 90 },
          encoding: { y, x: { field: 'projected', type: 'quantitative' }, color: { ...color, legend: null } },
        },
        {
          mark: { type: 'text', align: 'left', dx: 8, fontSize: 11, color: '#222' },
          encoding: { y, x: { field: 'projected', type: 'quantitative' }, text: { field: 'label' } },
        },
        {
          data: { values: [{ largest }] },
          mark: { type: 'rule', color: '#999', strokeDash: [4, 3] },
          encoding: { x: { field: 'largest', type: 'quantitative' } },
        },
      ],
    } as TopLevelSpec,
  };
}

/** Every chart of the report, in reading order. */
export function planCharts(view: StudyView): ChartPlan[] {
  return [
    learningCurveChart(view),
    gapChart(view),
    comparisonChart(view),
    dataEquivalentChart(view),
    projectionChart(view),
  ];
}
