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
        html`${d ? `${points(d.mean)}${isFiniteNumber(d.low) && isFiniteNumber(d.high) ? ` [${points(d.low)}, ${points(d.high)}]` : ''}${d.verdict ? `: ${d.verdict}` : ''}` : variant === view.baseline ? 'reference' : '–'}`,
        html`${eq ? (eq.worth === null ? (eq.sentence.includes('beyond what') ? 'beyond the curve' : '–') : `${times(eq.worth)}${eq.worthInterval ? ` [${times(eq.worthInterval[0])}, ${eq.worthInterval[1] === null ? '∞' : times(eq.worthInterval[1])}]` : ''}`) : '–'}`,
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
      caption:
        'Test accuracy over seeds; gap = train minus test; "vs" is the paired difference (same subsets, same test items) with its 95% interval over seeds and test items, and the verdict read off it; brackets after a worth are its 95% interval.',
    },
  )}</div>`;
}

const FAMILY_NAMES: { [family: string]: string } = {
  pow3: 'power law + asymptote',
  pow2: 'power law',
  exp3: 'exponential + asymptote',
  log2: 'logarithmic',
};

/** Each variant's chosen curve: family, formula, held-out error, shape, ceiling and projection. */
export function fitsTable(view: StudyView): SafeHtml {
  const target = view.results.config.targetAccuracy;
  const rows: SafeHtml[][] = [];
  for (const variant of view.variants) {
    const summary = view.summaries.get(variant);
    if (!summary) continue;
    const curve = summary.curve;
    if (!curve) {
      rows.push([
        swatch(view, variant),
        html`<span class="skipped">no fit (too few sizes or failed trials)</span>`,
        html``,
        html``,
        html``,
        html``,
        html``,
      ]);
      continue;
    }
    const family = curve.family ?? 'pow3';
    const held = curve.heldOut?.find((h) => h.family === family)?.error;
    const others = (curve.heldOut ?? [])
      .filter((h) => h.family !== family && h.error !== null)
      .map((h) => `${h.family} ${points(h.error)}`.replace(' +', ' '))
      .join(', ');
    const shape = curve.shape ?? 'monotone';
    const ceiling = curve.asymptote ?? null;
    rows.push([
      swatch(view, variant),
      html`${FAMILY_NAMES[family] ?? family}<br><span class="note">${curve.formula ?? `err(n) = ${num(curve.a)}·n^-${num(curve.b)} + ${num(curve.c)}`}</span>`,
      html`${held === undefined || held === null ? '–' : points(held).replace('+', '')}${others ? html`<br><span class="note">others: ${others}</span>` : ''}`,
      html`${num(curve.rmse)}`,
      html`${shape === 'monotone' ? 'well-behaved' : html`<span class="verdict-overfits">${shape}: not extrapolated</span>`}`,
      html`${ceiling ? `${percent(ceiling.accuracy)} [${percent(ceiling.low)}, ${percent(ceiling.high)}]${curve.ceilingIsGuess ? ' (a guess: few sizes)' : ''}` : shape === 'monotone' ? 'none (keeps improving)' : '–'}`,
      html`${target === null ? '–' : summary.projectedSizeForTarget === null ? 'not reached' : `≈ ${count(summary.projectedSizeForTarget)}`}`,
    ]);
  }
  if (rows.length === 0) return html`<p class="skipped">The results hold no curve fits.</p>`;
  return html`<p>Four families are fitted to each variant's mean test error: power law with and without an asymptote, exponential with an asymptote, logarithmic. Each is fitted to all sizes but the largest and scored by how far it misses the largest (held-out error); the best, simplest first on ties, is refitted to every size. Ill-behaved curves (accuracy falling between sizes beyond noise) are not extrapolated. Ceilings are the accuracy a curve levels off at, with a 95% bootstrap interval; read off fewer than 5 sizes they are guesses.</p>
<div class="wide">${table(
    [
      'variant',
      'chosen family',
      'held-out error',
      'RMSE',
      'shape',
      'ceiling',
      target === null ? 'projected size' : `size for ${percent(target)}`,
    ],
    rows,
    { numeric: [false, false, true, true, false, true, true] },
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
