import type { StudyView } from '../study-view.ts';
import { comparisonChart } from './comparison.ts';
import { dataEquivalentChart } from './data-equivalents.ts';
import { gapChart } from './gap.ts';
import { learningCurveChart } from './learning-curves.ts';
import { projectionChart } from './projection.ts';
import type { ChartPlan } from './shared.ts';
import { validationCurveChart } from './validation-curve.ts';

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
