import type { TopLevelSpec } from 'vega-lite';
import { count, isFiniteNumber, percent } from '../format.ts';
import type { StudyView } from '../study-view.ts';
import {
  type ChartPlan,
  CONFIG,
  colorEncoding,
  focusDomain,
  logSizeAxis,
  SCHEMA,
  tickSettings,
} from './shared.ts';

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
      $schema: SCHEMA,
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
