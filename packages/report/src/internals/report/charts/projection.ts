import { count, isFiniteNumber, percent } from '../format.ts';
import type { StudyView } from '../study-view.ts';
import { type ChartPlan, colorEncoding, layeredSpec, WIDTH } from './shared.ts';

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
    spec: layeredSpec(
      { width: WIDTH, height: Math.max(90, 34 * rows.length) },
      [
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
      rows,
    ),
  };
}
