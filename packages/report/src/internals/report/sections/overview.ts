import { count, duration, percent } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { StudyView } from '../study-view.ts';

/** Title, the study in one line of facts, and the table of contents. */
export function headerSection(view: StudyView, title: string, contents: [string, string][]): SafeHtml {
  const { results } = view;
  const c = results.config;
  const facts: [string, string][] = [
    ['dataset', c.dataset],
    ['task', `${c.task}, ${c.classes.length} classes`],
    ['originals', count(c.originals)],
    ['test set', `${count(c.testSize)} originals`],
    ['training sizes', c.trainSizes.map(count).join(', ')],
    ['seeds', String(c.seeds.length)],
    ...((c.testSplits ?? 1) > 1 ? [['test splits', String(c.testSplits)] as [string, string]] : []),
    ...(results.power
      ? [
          [
            'smallest detectable difference',
            `≈ ${(results.power.minimumDetectable * 100).toFixed(1)} pts`,
          ] as [string, string],
        ]
      : []),
    ['variants', String(view.variants.length)],
    [
      'trials',
      `${count(results.trials.length)}${view.failedTrials.length > 0 ? ` (${view.failedTrials.length} failed)` : ''}`,
    ],
    ['backend', results.backend],
    ['wall time', duration(results.wallTimeMs)],
  ];
  if (c.targetAccuracy !== null) facts.splice(5, 0, ['target', percent(c.targetAccuracy)]);
  return html`<header>
<h1>${title}</h1>
<p class="lede">A learning-curve study by growset: how much each extra slice of data buys, compared with each treatment.</p>
<ul class="facts">${facts.map(([k, v]) => html`<li>${k}: <b>${v}</b></li>`)}</ul>
<nav aria-label="Contents"><ol>${contents.map(([id, label]) => html`<li><a href="#${id}">${label}</a></li>`)}</ol></nav>
</header>`;
}

/** The conclusions in plain words, first thing on the page, and failed trials called out. */
export function verdictSection(view: StudyView): SafeHtml {
  const { verdicts } = view.results;
  const failed = view.failedTrials;
  const power = view.results.power;
  const powerNote = power?.warning
    ? html`<div class="alert" role="note"><strong>Low power.</strong> ${power.warning}</div>`
    : '';
  const failedNote =
    failed.length > 0
      ? html`<div class="alert bad" role="note"><strong>${failed.length} of ${count(view.results.trials.length)} trials failed</strong> and are left out of the means: ${failed
          .slice(0, 5)
          .map((t) => t.key)
          .join(
            ', ',
          )}${failed.length > 5 ? ', …' : ''}. Their errors are in the <a href="#trials">trials table</a>.</div>`
      : '';
  return html`<section id="verdicts" aria-labelledby="verdicts-h">
<h2 id="verdicts-h">Verdicts</h2>
${verdicts.length > 0 ? html`<ol class="verdicts">${verdicts.map((v) => html`<li>${v}</li>`)}</ol>` : html`<p class="skipped">The study recorded no verdicts.</p>`}
${powerNote}
${failedNote}
</section>`;
}
