import type { StudyResults } from '../../results/types.ts';
import { count, duration, isFiniteNumber, num, percent, points, times } from '../format.ts';
import { html, type SafeHtml, table, trusted } from '../html.ts';
import { pairedDifferences, type StudyView } from '../study-view.ts';

function swatch(view: StudyView, variant: string): SafeHtml {
  const color = view.colors.get(variant) ?? '#999';
  return html`<span class="name"><span class="swatch" style="background:${color}" aria-hidden="true"></span>${variant}</span>`;
}

function spreadText(mean: number, std: number): string {
  return isFiniteNumber(std) && std > 0 ? `${percent(mean)} ± ${(std * 100).toFixed(1)}` : percent(mean);
}

/** Per variant and size: test accuracy over seeds, the gap, the verdict, and what it is worth. */
export function summaryTable(view: StudyView): SafeHtml {
  const diffs = new Map(pairedDifferences(view).map((d) => [`${d.variant}\u0000${d.trainSize}`, d]));
  const rows: SafeHtml[][] = [];
  for (const variant of view.variants) {
    const summary = view.summaries.get(variant);
    if (!summary) continue;
    for (const s of summary.sizes) {
      const d = diffs.get(`${variant}\u0000${s.trainSize}`);
      const eq = summary.dataEquivalents.find((e) => e.trainSize === s.trainSize);
      rows.push([
        swatch(view, variant),
        html`${count(s.trainSize)}`,
        html`${s.testAccuracy.n}${s.failedTrials > 0 ? html` <span class="verdict-overfits">(${s.failedTrials} failed)</span>` : ''}`,
        html`${spreadText(s.testAccuracy.mean, s.testAccuracy.std)}`,
        html`${percent(s.testAccuracy.ci95[0])} – ${percent(s.testAccuracy.ci95[1])}`,
        html`${percent(s.trainAccuracy.mean)}`,
        html`${points(s.gap.mean)}`,
        html`${d ? points(d.mean) : variant === view.baseline ? 'reference' : '–'}`,
        html`${eq ? (eq.worth === null ? 'beyond reach' : `${times(eq.worth)} (≈ ${count(eq.equivalentBaselineSize)})`) : '–'}`,
        html`<span class="verdict-${s.verdict}" title="${s.explanation}">${s.verdict}</span>`,
      ]);
    }
  }
  if (rows.length === 0) return html`<p class="skipped">The results hold no summaries.</p>`;
  return html`<div class="wide">${table(
    [
      'variant',
      'train size',
      'seeds',
      'test accuracy (mean ± sd)',
      '95% interval',
      'train accuracy',
      'gap',
      `vs ${view.baseline ?? 'baseline'}`,
      'worth in data',
      'verdict',
    ],
    rows,
    {
      numeric: [false, true, true, true, true, true, true, true, true, false],
      caption: 'Test accuracy over seeds; gap = train minus test; "vs" is paired by seed.',
    },
  )}</div>`;
}

/** Each variant's fitted power law with bootstrap intervals, and its projection to the target. */
export function fitsTable(view: StudyView): SafeHtml {
  const target = view.results.config.targetAccuracy;
  const rows: SafeHtml[][] = [];
  const range = (v: number, [lo, hi]: [number, number]) =>
    html`${num(v)} <span class="note">[${num(lo)}, ${num(hi)}]</span>`;
  for (const variant of view.variants) {
    const summary = view.summaries.get(variant);
    if (!summary) continue;
    const curve = summary.curve;
    rows.push(
      curve
        ? [
            swatch(view, variant),
            range(curve.a, curve.interval.a),
            range(curve.b, curve.interval.b),
            range(curve.c, curve.interval.c),
            html`${num(curve.rmse)}`,
            html`${percent(1 - curve.c)}`,
            html`${target === null ? '–' : summary.projectedSizeForTarget === null ? 'not reached' : `≈ ${count(summary.projectedSizeForTarget)}`}`,
          ]
        : [
            swatch(view, variant),
            html`<span class="skipped">no fit (too few sizes or failed trials)</span>`,
            html``,
            html``,
            html``,
            html``,
            html``,
          ],
    );
  }
  if (rows.length === 0) return html`<p class="skipped">The results hold no curve fits.</p>`;
  return html`<p>err(n) = a·n<sup>−b</sup> + c fitted to each variant's mean test error; brackets are 95% bootstrap intervals. b is how fast more data helps; 1 − c is the accuracy the curve levels off at.</p>
<div class="wide">${table(
    [
      'variant',
      'a',
      'b',
      'c',
      'RMSE',
      'ceiling (1 − c)',
      target === null ? 'projected size' : `size for ${percent(target)}`,
    ],
    rows,
    { numeric: [false, true, true, true, true, true, true] },
  )}</div>`;
}

/** Every trial, failed ones marked with their error. */
export function trialsTable(results: StudyResults): SafeHtml {
  if (results.trials.length === 0) return html`<p class="skipped">The study ran no trials.</p>`;
  const rows = results.trials.map((t) => {
    const cells: SafeHtml[] = [
      html`<span class="name">${t.variant}</span>`,
      html`${count(t.trainSize)}`,
      html`${t.seed}`,
      html`${t.ok ? 'ok' : 'failed'}`,
      html`${percent(t.test?.accuracy)}`,
      html`${percent(t.train?.accuracy)}`,
      html`${percent(t.test?.balancedAccuracy)}`,
      html`${percent(t.test?.macroF1)}`,
      html`${num(t.test?.logLoss)}`,
      html`${t.epochs === undefined ? '–' : `${t.epochs}${t.stoppedEarly ? ', early' : ''}`}`,
      html`${count(t.fittedSamples)}`,
      html`${duration(t.wallTimeMs)}`,
      html`${t.backend ?? '–'}`,
      html`${t.error ?? ''}`,
    ];
    return { ok: t.ok, cells };
  });
  const headers = [
    'variant',
    'train size',
    'seed',
    'status',
    'test acc.',
    'train acc.',
    'balanced acc.',
    'macro-F1',
    'log loss',
    'epochs',
    'fitted samples',
    'time',
    'backend',
    'error',
  ];
  const numeric = [false, true, true, false, true, true, true, true, true, true, true, true, false, false];
  const cls = (i: number) => (numeric[i] ? ' class="num"' : '');
  return html`<div class="wide"><table class="trials"><thead><tr>${headers.map((h, i) => html`<th scope="col"${trusted(cls(i))}>${h}</th>`)}</tr></thead><tbody>${rows.map(
    (r) =>
      html`<tr${trusted(r.ok ? '' : ' class="failed"')}>${r.cells.map((c, i) => html`<td${trusted(cls(i))}>${c}</td>`)}</tr>`,
  )}</tbody></table></div>`;
}
