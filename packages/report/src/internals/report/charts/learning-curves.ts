import { count, isFiniteNumber, percent } from '../format.ts';
import { clamp01, logSpace } from '../stats.ts';
import type { StudyView } from '../study-view.ts';
import {
  type ChartPlan,
  colorEncoding,
  focusDomain,
  HEIGHT,
  layeredSpec,
  logSizeAxis,
  tickSettings,
  WIDTH,
} from './shared.ts';

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
        color,
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
        color,
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
      color,
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
    spec: layeredSpec({ width: WIDTH, height: HEIGHT }, layer),
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
