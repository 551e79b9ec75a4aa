// What every chart of the report shares: the chart types, sizes, theme, axis and colour helpers.
// One file per chart beside this one (learning-curves.ts, gap.ts, ...); plan.ts lists them in order.
import type { TopLevelSpec } from 'vega-lite';
import { isFiniteNumber } from '../format.ts';
import type { StudyView } from '../study-view.ts';

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
export const groupedWidth = (groups: number, perGroup: number) =>
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

/** The variant colour scale, over the variants present, in the study's order. */
export function colorEncoding(view: StudyView, present: readonly string[]) {
  const domain = view.variants.filter((v) => present.includes(v));
  return {
    field: 'variant',
    type: 'nominal' as const,
    scale: { domain, range: domain.map((v) => view.colors.get(v)!) },
    legend: { title: 'variant' },
  };
}

/** A log-scaled training-size axis, labelled at the given sizes when there are few enough. */
export const logSizeAxis = (title: string, sizes: readonly number[]) => ({
  field: 'trainSize',
  type: 'quantitative' as const,
  scale: { type: 'log' as const, nice: false, padding: 10 },
  axis: { format: '~s', title, ...(sizes.length > 0 && sizes.length <= 9 ? { values: [...sizes] } : {}) },
});

/** The vega-lite schema every chart spec names. */
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * A layered chart: the schema, its size, the theme, the rows its layers share (when they do; a
 * layer may bring its own) and the layers, in that order.
 */
export function layeredSpec(
  size: { width: number; height: number },
  layer: readonly unknown[],
  rows?: readonly unknown[],
): TopLevelSpec {
  return {
    $schema: SCHEMA,
    width: size.width,
    height: size.height,
    config: CONFIG,
    ...(rows ? { data: { values: rows } } : {}),
    layer,
  } as TopLevelSpec;
}
