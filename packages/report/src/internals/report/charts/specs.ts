import type { TopLevelSpec } from 'vega-lite';
import { count, isFiniteNumber, percent, points, times } from '../format.ts';
import { clamp01, logSpace } from '../stats.ts';
import { pairedDifferences, type StudyView } from '../study-view.ts';
import { validationCurveChart } from './validation-curve.ts';

/** A chart to render: a vega-lite spec with the words around it. */
export interface ChartDefinition {
  /** Stable id: `learning-curves`, `gap`, `comparison`, `data-equivalents`, `projection`, `validation-curve`. */
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

export const WIDTH = 560;
export const HEIGHT = 300;

/**
 * A y domain that frames `values` with a margin, within [0, 1] for accuracies (`bounded`), so that
 * wide intervals do not squash what matters.
 */
export function focusDomain(values: readonly number[], bounded = true): [number, number] {
  const finite = values.filter(isFiniteNumber);
  if (finite.length === 0) return bounded ? [0, 1] : [-1, 1];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const pad = Math.max(0.02, (hi - lo) * 0.12);
  return bounded ? [Math.max(0, lo - pad), Math.min(1, hi + pad)] : [lo - pad, hi + pad];
}

/**
 * Axis settings for accuracies (`percent`) or differences in points over `domain`, such that no
 * two tick labels read the same: one decimal when the range is under 10 points, and ticks never
 * closer than what that many decimals can tell apart.
 */
export function tickSettings(domain: readonly [number, number], kind: 'percent' | 'points') {
  const fine = domain[1] - domain[0] < 0.1;
  const step = fine ? 0.001 : 0.01;
  if (kind === 'percent') return { format: fine ? '.1%' : '.0%', tickMinStep: step };
  const digits = fine ? '.1f' : '.0f';
  return {
    tickMinStep: step,
    labelExpr: `(datum.value > 0 ? '+' : '') + format(datum.value * 100, '${digits}') + ' pts'`,
  };
}

/** Grouped bars get wider with more bars, up to what fits beside the legend on the page. */
const groupedWidth = (groups: number, perGroup: number) =>
  Math.min(820, Math.max(WIDTH, groups * perGroup * 9));

export const CONFIG = {
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

/**
 * Mean test accuracy per size with its 95% interval (error bars), and each variant's chosen curve
 * with its bootstrap band: solid over the measured sizes, dashed and lighter where it extrapolates.
 * Ill-behaved curves are drawn without a fit and marked.
 */
export function learningCurveChart(view: StudyView): ChartPlan {
  const id = 'learning-curves';
  const title = 'Learning curves';
  const means: { variant: string; trainSize: number; mean: number; low: number; high: number }[] = [];
  const fitted: {
    variant: string;
    trainSize: number;
    accuracy: number;
    low: number;
    high: number;
    part: string;
  }[] = [];
  const illBehaved: { variant: string; trainSize: number; mean: number; label: string }[] = [];
  const families: string[] = [];
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
  // Extrapolate at most to 4x the largest size: further out the band says little.
  const reachLimit = 4 * maxSize;
  let reach = maxSize;
  for (const summary of view.summaries.values()) {
    const curve = summary.curve;
    if (!curve) continue;
    const shape = curve.shape ?? 'monotone';
    if (shape !== 'monotone') {
      const last = means.filter((m) => m.variant === summary.variant).at(-1);
      if (last)
        illBehaved.push({
          variant: summary.variant,
          trainSize: last.trainSize,
          mean: last.mean,
          label: `${summary.variant}: ${shape}, not extrapolated`,
        });
      continue;
    }
    families.push(`${summary.variant}: ${curve.formula ?? 'power law'}`);
    const band = curve.band ?? legacyBand(curve, minSize, maxSize, reachLimit);
    for (const p of band) {
      if (
        !(p.trainSize > 0) ||
        p.trainSize > reachLimit ||
        ![p.accuracy, p.low, p.high].every(isFiniteNumber)
      )
        continue;
      fitted.push({
        variant: summary.variant,
        trainSize: p.trainSize,
        accuracy: clamp01(p.accuracy),
        low: clamp01(p.low),
        high: clamp01(p.high),
        part: p.extrapolated ? 'extrapolated' : 'measured',
      });
      if (p.extrapolated) reach = Math.max(reach, p.trainSize);
    }
    // The extrapolated stretch starts where the measured one ends, so the two join.
    const lastMeasured = fitted.filter((f) => f.variant === summary.variant && f.part === 'measured').at(-1);
    if (lastMeasured && fitted.some((f) => f.variant === summary.variant && f.part === 'extrapolated'))
      fitted.push({ ...lastMeasured, part: 'extrapolated' });
  }
  const present = [...new Set(means.map((m) => m.variant))];
  const color = {
    ...colorEncoding(view, present),
    legend: { title: 'variant', symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 },
  };
  const extraTicks = [
    ...new Set(fitted.filter((f) => f.part === 'extrapolated').map((f) => f.trainSize)),
  ].filter(
    (n) =>
      n > maxSize &&
      view.results.summaries.some((s) => s.curve?.extrapolation.some((e) => e.trainSize === n)),
  );
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
  const clipped = [...means, ...fitted].some((b) => b.low < domain[0] - 1e-9 || b.high > domain[1] + 1e-9);
  const yAxis = {
    axis: { ...tickSettings(domain, 'percent'), title: 'test accuracy' },
    scale: { zero: false, domain },
  };
  const byPart = (part: string) => fitted.filter((f) => f.part === part);
  const layer: unknown[] = [];
  for (const [part, opacity] of [
    ['measured', 0.14],
    ['extrapolated', 0.07],
  ] as const) {
    if (byPart(part).length === 0) continue;
    layer.push({
      data: { values: byPart(part) },
      mark: { type: 'area', opacity, clip: true },
      encoding: {
        x,
        y: { field: 'low', type: 'quantitative', ...yAxis },
        y2: { field: 'high' },
        color: { ...color, legend: null },
        detail: { field: 'variant' },
      },
    });
    layer.push({
      data: { values: byPart(part) },
      mark: {
        type: 'line',
        strokeWidth: 1.5,
        clip: true,
        ...(part === 'extrapolated' ? { strokeDash: [6, 4] } : {}),
      },
      encoding: {
        x,
        y: { field: 'accuracy', type: 'quantitative', ...yAxis },
        color: { ...color, legend: null },
      },
    });
  }
  layer.push({
    data: { values: means },
    mark: { type: 'rule', strokeWidth: 1, opacity: 0.35, clip: true },
    encoding: {
      x,
      y: { field: 'low', type: 'quantitative', ...yAxis },
      y2: { field: 'high' },
      color: { ...color, legend: null },
    },
  });
  // Variants without a drawn curve (ill-behaved, or too few sizes) join their means with a line.
  const unfitted = present.filter((v) => !fitted.some((f) => f.variant === v));
  const joined = means.filter((m) => unfitted.includes(m.variant));
  if (joined.length > 0) {
    layer.push({
      data: { values: joined },
      mark: { type: 'line', strokeWidth: 2, clip: true },
      encoding: { x, y: { field: 'mean', type: 'quantitative', ...yAxis }, color },
    });
  }
  layer.push({
    data: { values: means },
    mark: { type: 'point', filled: true, size: 40, opacity: 1, clip: true },
    encoding: { x, y: { field: 'mean', type: 'quantitative', ...yAxis }, color },
  });
  if (illBehaved.length > 0) {
    layer.push({
      data: { values: illBehaved },
      mark: { type: 'text', align: 'right', dx: -6, dy: -10, fontSize: 11, color: '#a33' },
      encoding: { x, y: { field: 'mean', type: 'quantitative', ...yAxis }, text: { field: 'label' } },
    });
  }
  if (target !== null) {
    layer.push({
      data: { values: [{ target, label: `target ${percent(target)}` }] },
      layer: [
        {
          mark: { type: 'rule', strokeDash: [2, 3], color: '#444' },
          encoding: { y: { field: 'target', type: 'quantitative', ...yAxis } },
        },
        {
          mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#444', fontSize: 11 },
          encoding: {
            y: { field: 'target', type: 'quantitative', ...yAxis },
            x: { value: 0 },
            text: { field: 'label' },
          },
        },
      ],
    });
  }
  const best = [...means].sort((a, b) => b.trainSize - a.trainSize || b.mean - a.mean)[0]!;
  const ill = illBehaved.map((i) => i.label);
  return {
    id,
    title,
    alt: `Mean test accuracy against training size (log scale) for ${present.join(', ')}, with 95% intervals${fitted.length > 0 ? " and each variant's chosen learning curve with its bootstrap band, dashed where it extrapolates" : ''}. At the largest size, ${count(best.trainSize)}, ${best.variant} is best at ${percent(best.mean)}.${ill.length > 0 ? ` Ill-behaved, not extrapolated: ${ill.join('; ')}.` : ''}`,
    caption: `Dots: mean test accuracy over seeds, with its 95% interval (bars). Lines: each variant's learning curve, the family chosen by how well it predicts the largest size from the smaller ones (${families.join('; ') || 'none fitted'}), with its 95% bootstrap band; dashed and lighter beyond ${count(maxSize)}, where it is an extrapolation${reach > maxSize ? ` (drawn to ${count(reach)})` : ''}.${ill.length > 0 ? ` Marked in red: curves whose accuracy falls beyond noise, not fitted or extrapolated (${ill.join('; ')}).` : ''}${clipped ? ' Intervals that reach past the plot are cut at its edge; the tables give every value.' : ''}${target !== null ? ` Dotted line: the target accuracy, ${percent(target)}.` : ''}`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: WIDTH,
      height: HEIGHT,
      config: CONFIG,
      layer,
    } as TopLevelSpec,
  };
}

/** The band of a curve from results written before bands were stored: the power law, no band. */
function legacyBand(
  curve: {
    a: number;
    b: number;
    c: number;
    extrapolation: { trainSize: number; accuracy: number; low: number; high: number }[];
  },
  from: number,
  largest: number,
  to: number,
): { trainSize: number; accuracy: number; low: number; high: number; extrapolated: boolean }[] {
  if (![curve.a, curve.b, curve.c].every(isFiniteNumber)) return [];
  return [...logSpace(from, largest, 16), ...logSpace(largest, to, 8).slice(1)].map((n) => {
    const accuracy = 1 - (curve.a * n ** -curve.b + curve.c);
    return { trainSize: n, accuracy, low: accuracy, high: accuracy, extrapolated: n > largest };
  });
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
  const gapDomain = focusDomain(rows.flatMap((r) => [r.train, r.test]));
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
                scale: { zero: false, domain: gapDomain },
                axis: { ...tickSettings(gapDomain, 'percent'), title: 'accuracy' },
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
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: WIDTH,
      height: Math.max(120, 22 * rows.length),
      config: CONFIG,
      data: { values: rows },
      layer: [
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
    } as TopLevelSpec,
  };
}

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
    // Opt-in (`StudyOptions.validationCurve`): no empty section when the study did not ask.
    ...(view.results.validationCurve ? [validationCurveChart(view)] : []),
  ];
}
