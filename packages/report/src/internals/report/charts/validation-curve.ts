import { isFiniteNumber, percent } from '../format.ts';
import type { StudyView } from '../study-view.ts';
import { type ChartPlan, CONFIG, focusDomain, HEIGHT, SCHEMA, tickSettings, WIDTH } from './shared.ts';

/**
 * scikit-learn's validation curve: training and cross-validated accuracy against each value of one
 * model option (one training subset, its stratified folds), with one standard deviation over folds
 * as error bars. Values keep the order the study was given (they may be numbers or words).
 */
export function validationCurveChart(view: StudyView): ChartPlan {
  const id = 'validation-curve';
  const curve = view.results.validationCurve;
  const title = curve ? `Validation curve: accuracy against ${curve.param}` : 'Validation curve';
  if (!curve)
    return { id, title, skipped: 'The study did not ask for a validation curve (`validationCurve`).' };
  const rows: { value: string; order: number; split: string; mean: number; lo: number; hi: number }[] = [];
  curve.points.forEach((point, order) => {
    const value = typeof point.value === 'string' ? point.value : JSON.stringify(point.value);
    for (const [split, scores] of [
      ['training', point.train],
      ['cross-validated', point.test],
    ] as const) {
      if (!isFiniteNumber(scores.mean)) continue;
      const spread = isFiniteNumber(scores.std) ? scores.std : 0;
      rows.push({
        value,
        order,
        split,
        mean: scores.mean,
        lo: Math.max(0, scores.mean - spread),
        hi: Math.min(1, scores.mean + spread),
      });
    }
  });
  if (rows.length === 0)
    return { id, title, skipped: `Every fit of the validation curve over ${curve.param} failed.` };
  const values = [...new Set([...rows].sort((a, b) => a.order - b.order).map((r) => r.value))];
  const domain = focusDomain(rows.flatMap((r) => [r.lo, r.hi]));
  const best = rows.filter((r) => r.split === 'cross-validated').sort((a, b) => b.mean - a.mean)[0];
  return {
    id,
    title,
    alt: `Training and ${curve.folds}-fold cross-validated accuracy of ${curve.variant} at ${curve.trainSize} training originals for ${curve.param} = ${values.join(', ')}.${best ? ` Best cross-validated: ${curve.param} = ${best.value} (${percent(best.mean)}).` : ''}`,
    caption: `${curve.variant}'s model with ${curve.param} set to each value, fitted on the same ${curve.folds} stratified folds of one ${curve.trainSize}-original training subset (seed ${curve.seed}; the test set is never used). Dashed: accuracy on the rows it trained on; solid: on the held-out fold; bars: one standard deviation over folds. A gap that widens along the axis means the option lets the model overfit; both low means it underfits.`,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      width: WIDTH,
      height: HEIGHT,
      data: { values: rows },
      encoding: {
        x: { field: 'value', type: 'ordinal', sort: values, title: curve.param, axis: { labelAngle: 0 } },
        color: {
          field: 'split',
          type: 'nominal',
          scale: { domain: ['training', 'cross-validated'], range: ['#888888', '#1f77b4'] },
          legend: { title: null },
        },
        strokeDash: {
          field: 'split',
          type: 'nominal',
          scale: {
            domain: ['training', 'cross-validated'],
            range: [
              [4, 3],
              [1, 0],
            ],
          },
          legend: { title: null },
        },
      },
      layer: [
        {
          mark: { type: 'rule' },
          encoding: {
            y: { field: 'lo', type: 'quantitative' },
            y2: { field: 'hi' },
          },
        },
        {
          mark: { type: 'line', point: true },
          encoding: {
            y: {
              field: 'mean',
              type: 'quantitative',
              title: 'accuracy',
              scale: { domain, zero: false },
              axis: tickSettings(domain, 'percent'),
            },
          },
        },
      ],
    },
  };
}
